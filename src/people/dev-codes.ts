import type { Log } from '../core/log.js';
import type { CodeSender } from './service.js';

/**
 * Until the notification layer delivers verification codes, they are logged and, in dev mode only,
 * kept here for administrators to read. Outside dev mode the code itself is never logged.
 */
export class DevCodeBox {
  private readonly latest = new Map<string, { kind: string; target: string; code: string }>();

  constructor(
    private readonly devMode: boolean,
    private readonly log: Log,
  ) {}

  readonly sender: CodeSender = async ({ person, kind, target, code }) => {
    if (this.devMode) {
      this.latest.set(`${person.id}:${kind}`, { kind, target, code });
      this.log.info({ personId: person.id, kind, target, code }, 'verification code issued (dev mode)');
    } else {
      this.log.warn({ personId: person.id, kind }, 'verification code issued but no notification provider can deliver it yet');
    }
  };

  /** The last code sent to a person, in dev mode only. */
  codeFor(personId: string, kind: string): { kind: string; target: string; code: string } | undefined {
    return this.devMode ? this.latest.get(`${personId}:${kind}`) : undefined;
  }
}
