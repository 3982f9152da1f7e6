import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { seal } from '../core/seal.js';
import type { Executor } from '../db/types.js';
import type { CodeSender } from '../people/service.js';
import { queueMessage } from './outbox.js';
import { listProviderRows } from './providers-store.js';
import type { ProviderRegistry } from './registry.js';

/**
 * Sends contact-verification codes through the notification layer: email codes by the configured
 * email provider, phone codes by SMS. The code travels sealed in the outbox row. Without a provider
 * for the method the code cannot be delivered; `fallback` (the dev-mode box) still gets it.
 */
export function createVerificationSender(deps: { db: Executor; clock: Clock; log: Log; registry: ProviderRegistry; secretKey: Buffer; fallback: CodeSender; onQueued: () => void }): CodeSender {
  return async (message) => {
    await deps.fallback(message);
    const method = message.kind === 'email' ? 'email' : 'sms';
    const providers = (await listProviderRows(deps.db)).filter((p) => Number(p.enabled) === 1 && deps.registry.get(p.provider)?.methods.includes(method));
    const provider = providers[0];
    if (!provider) {
      deps.log.warn({ personId: message.person.id, method }, `no ${method} provider is configured: the verification code cannot be delivered`);
      return;
    }
    const now = deps.clock.now();
    await queueMessage(
      deps.db,
      {
        key: `verify:${message.person.id}:${message.kind}:${now}`,
        incidentId: null,
        personId: message.person.id,
        providerId: provider.id,
        method,
        kind: 'verification',
        recipient: { kind: 'person', personId: message.person.id, name: message.person.name, address: message.target },
        payload: { code_sealed: seal(deps.secretKey, message.code) },
      },
      now,
    );
    deps.onQueued();
  };
}
