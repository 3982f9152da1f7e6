import type { Log } from '../core/log.js';
import type { CodeSender } from './service.js';

/**
 * In dev mode, verification codes are also logged and kept here for administrators to read (the
 * notification layer delivers them in every mode and warns itself when no provider can). Outside dev
 * mode this box does nothing: a code is never logged.
 */
export class DevCodeBox {
  private readonly latest = new Map<string, { kind: string; target: string; code: string }>();

  constructor(
    private readonly devMode: boolean,
    private readonly log: Log,
  ) {}

  readonly sender: CodeSender = async ({ person, kind, target, code }) => {
    if (!this.devMode) return;
    this.latest.set(`${person.id}:${kind}`, { kind, target, code });
    this.log.info({ personId: person.id, kind, target, code }, 'verification code issued (dev mode)');
  };

  /** The last code sent to a person, in dev mode only. */
  codeFor(personId: string, kind: string): { kind: string; target: string; code: string } | undefined {
    return this.devMode ? this.latest.get(`${personId}:${kind}`) : undefined;
  }
}
