import type { Clock } from '../core/clock.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { isAdmin, type Actor } from '../people/model.js';
import type { NotificationMethod, Recipient, SendResult } from './provider.js';
import { findProviderRow, listProviderRows, type ProviderRow } from './providers-store.js';
import { loadSettings, type ProviderRegistry } from './registry.js';
import { renderMessage, sampleIncident } from './templates.js';

/** What one test send did, as the console shows it. */
export interface TestResult {
  readonly provider_id: string;
  readonly provider_name: string;
  readonly method: string;
  readonly to: string;
  readonly status: 'sent' | 'failed';
  readonly error: string | null;
}

const PERSONAL_METHODS: readonly NotificationMethod[] = ['sms', 'voice', 'email'];

/**
 * "Send a test notification" (issue 11 item 8): through one provider (to a group chat, or to an
 * address), or to a person through each of their verified methods. Sent now, outside any transaction,
 * never stored in the outbox (a test is not a page); the result comes back to the caller.
 */
export function createTestNotifier(deps: { db: Executor; clock: Clock; registry: ProviderRegistry; secretKey: Buffer; publicUrl: string; fetch?: typeof fetch | undefined }) {
  const { db, registry } = deps;

  async function sendOne(row: ProviderRow, method: NotificationMethod, recipient: Recipient): Promise<TestResult> {
    const provider = registry.get(row.provider);
    const to = recipient.kind === 'person' ? recipient.address : recipient.name;
    if (!provider) return { provider_id: row.id, provider_name: row.name, method, to, status: 'failed', error: `unknown provider type ${row.provider}` };
    const id = newId(deps.clock.now());
    const { message } = renderMessage({ id, idempotencyKey: `test:${id}`, method, recipient, kind: 'test', incident: sampleIncident(deps.publicUrl) });
    const result = await provider
      .send(loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey), message, { fetch: deps.fetch ?? fetch, now: deps.clock.now() })
      .catch((error: unknown): SendResult => ({ kind: 'failed', error: error instanceof Error ? error.message : String(error) }));
    return { provider_id: row.id, provider_name: row.name, method, to, status: result.kind === 'sent' ? 'sent' : 'failed', error: result.kind === 'sent' ? null : result.error };
  }

  async function person(id: string) {
    const row = await db.selectFrom('persons').select(['id', 'name', 'email', 'email_verified_at', 'phone', 'phone_verified_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('person');
    return row;
  }

  return {
    /** Tests one provider configuration: a group chat, or a personal method to `to` (default: my own verified address). */
    async provider(actor: Actor, providerId: string, to: string | undefined): Promise<TestResult> {
      if (!isAdmin(actor)) throw forbidden('only administrators test notification providers');
      const row = await findProviderRow(db, providerId);
      if (!row) throw notFound('notification provider');
      const provider = registry.get(row.provider);
      const methods = provider?.methods ?? [];
      const me = await person(actor.person.id);
      if (methods.length === 1 && methods[0] === 'im') {
        // A DM-only app (Feishu app, DingTalk work notification): a test DM to me, found as pages find me.
        const how = provider?.personAddress ?? 'email';
        const own = how === 'phone' ? (me.phone_verified_at !== null ? me.phone : null) : how === 'email' ? (me.email_verified_at !== null ? me.email : null) : null;
        const address = to?.trim() || own;
        if (!address) throw invalid('to', `give an address, or verify your own ${how === 'phone' ? 'phone' : 'email'} first`);
        return sendOne(row, 'im', { kind: 'person', personId: actor.person.id, name: me.name, address });
      }
      const personal = methods.find((m) => PERSONAL_METHODS.includes(m));
      if (!personal) return sendOne(row, methods[0] ?? 'webhook', { kind: 'group_chat', name: row.name });
      const own = personal === 'email' ? (me.email_verified_at !== null ? me.email : null) : me.phone_verified_at !== null ? me.phone : null;
      const address = to?.trim() || own;
      if (!address) throw invalid('to', `give an address, or verify your own ${personal === 'email' ? 'email' : 'phone'} first`);
      if (personal === 'email' ? !/^[^@\s]+@[^@\s]+$/.test(address) : !/^\+[1-9]\d{6,14}$/.test(address)) {
        throw invalid('to', personal === 'email' ? 'must be an email address' : 'must be an E.164 phone number (+14155550100)');
      }
      return sendOne(row, personal, { kind: 'person', personId: actor.person.id, name: me.name, address });
    },

    /** Sends a test to a person through every verified method that has an enabled provider (themselves or an admin). */
    async person(actor: Actor, personId: string): Promise<TestResult[]> {
      if (actor.person.id !== personId && !isAdmin(actor)) throw forbidden('you may only test your own notifications');
      const target = await person(personId);
      const providers = (await listProviderRows(db)).filter((p) => Number(p.enabled) === 1);
      const results: TestResult[] = [];
      for (const method of PERSONAL_METHODS) {
        const address = method === 'email' ? (target.email_verified_at !== null ? target.email : null) : target.phone_verified_at !== null ? target.phone : null;
        if (!address) continue;
        const row = providers.find((p) => registry.get(p.provider)?.methods.includes(method));
        if (!row) continue;
        results.push(await sendOne(row, method, { kind: 'person', personId: target.id, name: target.name, address }));
      }
      if (results.length === 0) throw invalid('methods', 'no verified contact method with a configured provider; verify an email or phone first');
      return results;
    },
  };
}

export type TestNotifier = ReturnType<typeof createTestNotifier>;
