import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import type { Executor } from '../db/types.js';
import type { IncidentHooks } from '../incidents/lifecycle.js';
import { acknowledgeIncident } from '../incidents/lifecycle.js';
import { resolveIncident } from '../incidents/service.js';
import { findIncident, findIncidentByNumber, insertTimeline } from '../incidents/store.js';
import { canSeeChannel } from '../channels/model.js';
import { findChannel } from '../channels/store.js';
import { findPersonById } from '../people/store.js';
import { teamIdsOf } from '../people/teams-store.js';
import type { InboundAction, InboundRequest } from './provider.js';
import { findByProviderMessageId, lastIncidentNotified, updateMessage } from './outbox.js';
import { findProviderRow } from './providers-store.js';
import { fallBackAfterReportedFailure, redialOrFallBack } from './fallback.js';
import { loadSettings, type ProviderRegistry } from './registry.js';
import { consumeLinkToken, personOfChat, saveLink } from './im-links-store.js';
import { messageLocale } from './message-words.js';

export type CallbackOutcome = { kind: 'not_found' } | { kind: 'forged' } | { kind: 'handled'; response?: { status: number; contentType: string; body: string } };

/**
 * Inbound vendor callbacks (SMS replies, key presses, button clicks, delivery statuses): verify the
 * vendor's signature, then act as the person who answered. Forgeries never reach the actions.
 */
export function createCallbackService(deps: { db: Executor; clock: Clock; log: Log; registry: ProviderRegistry; secretKey: Buffer; hooks: IncidentHooks; onCommitted: () => void; fetch?: typeof fetch; resolveHost?: (host: string) => Promise<string> }) {
  const { db, clock } = deps;

  /** The person behind `from`: a phone number (SMS, voice) or an email (IM). */
  async function personFrom(from: string) {
    const row = await db
      .selectFrom('persons')
      .select('id')
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('phone', '=', from), eb('email', '=', from.toLowerCase())]))
      .executeTakeFirst();
    return row ? findPersonById(db, row.id) : undefined;
  }

  async function act(configId: string, action: Extract<InboundAction, { kind: 'acknowledge' | 'resolve' }>, method: string, emailOf: (userId: string) => Promise<string | undefined>): Promise<boolean> {
    // `telegram:<user id>`: a press in a private chat, from the person who linked that chat.
    const chatUser = /^telegram:(-?\d+)$/.exec(action.from)?.[1];
    const linked = chatUser !== undefined ? await personOfChat(db, configId, chatUser) : undefined;
    let person = linked !== undefined ? await findPersonById(db, linked) : chatUser !== undefined ? undefined : await personFrom(action.from);
    if (person && person.status !== 'active') person = undefined;
    if (!person && chatUser === undefined && !action.from.includes('@')) {
      // An IM user id (Slack): ask the vendor for that user's email, then find the person by it.
      const email = await emailOf(action.from).catch(() => undefined);
      if (email) person = await personFrom(email);
    }
    if (!person) {
      deps.log.warn({ from: action.from }, 'inbound action from an unknown sender ignored');
      return false;
    }
    const incidentId =
      action.incidentId ??
      (action.incidentNumber !== undefined ? (await findIncidentByNumber(db, action.incidentNumber))?.id : await lastIncidentNotified(db, person.id, method));
    const incident = incidentId ? await findIncident(db, incidentId) : undefined;
    if (!incident) return false;
    const channel = await findChannel(db, incident.channel_id);
    const actor = { person, teamIds: new Set(await teamIdsOf(db, person.id)), via: 'session' as const };
    if (!channel || !canSeeChannel(actor, channel) || person.role === 'viewer') return false;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const current = await findIncident(trx, incident.id);
      if (!current) return;
      if (action.kind === 'acknowledge') await acknowledgeIncident(trx, current, now, { actorId: person.id, via: method }, deps.hooks);
      else await resolveIncident(trx, current, now, { actorId: person.id, via: method }, deps.hooks);
    });
    deps.onCommitted();
    return true;
  }

  /** `/start <token>`: links the chat to the token's person, once; the answer is in their language. */
  async function linkChat(configId: string, action: Extract<InboundAction, { kind: 'link_chat' }>) {
    const now = clock.now();
    const personId = await db.transaction().execute(async (trx) => {
      const id = await consumeLinkToken(trx, configId, action.token, now);
      if (id === undefined) return undefined;
      await saveLink(trx, { providerId: configId, personId: id, externalId: action.externalId, displayName: action.displayName ?? null, createdAt: now });
      return id;
    });
    const person = personId !== undefined ? await findPersonById(db, personId) : undefined;
    if (!person) return { linked: false };
    deps.log.info({ personId: person.id, provider: configId }, 'IM chat linked');
    return { linked: true, personName: person.name, locale: messageLocale(person.locale) };
  }

  return {
    async handle(configId: string, request: InboundRequest): Promise<CallbackOutcome> {
      const row = await findProviderRow(db, configId);
      const provider = row ? deps.registry.get(row.provider) : undefined;
      if (!row || !provider?.verifySignature || !provider.parseCallback) return { kind: 'not_found' };
      const settings = loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey);
      if (!provider.verifySignature(settings, request, clock.now())) return { kind: 'forged' };
      const result = provider.parseCallback(settings, request);
      const method = provider.methods.includes('sms') ? 'sms' : provider.methods.includes('voice') ? 'voice' : 'im';
      let response = result.response;
      for (const action of result.actions) {
        if (action.kind === 'link_chat') {
          response = action.reply(await linkChat(row.id, action));
          continue;
        }
        if (action.kind === 'delivery_status') {
          const message = await findByProviderMessageId(db, row.id, action.providerMessageId);
          if (!message) continue;
          if (action.status === 'failed' && message.status === 'sent') {
            await updateMessage(db, message.id, { status: 'failed', last_error: action.error ?? 'failed' });
            const now = clock.now();
            if (action.unanswered) {
              // Nobody took the call: one more call a minute later when the provider asks for it, then the next method.
              const next = await redialOrFallBack(db, deps.registry, message.id, provider.redialAfterMs?.(settings), now);
              if (message.incident_id)
                await insertTimeline(db, message.incident_id, now, 'notification_failed', {
                  method: message.method,
                  error: action.error ?? 'failed',
                  reported_by: 'vendor',
                  ...('redialAt' in next ? { redial_at: next.redialAt } : { fallback: next.fallback ?? null }),
                });
            } else {
              if (message.incident_id) await insertTimeline(db, message.incident_id, now, 'notification_failed', { method: message.method, error: action.error ?? 'failed', reported_by: 'vendor' });
              // Reported later by the vendor (an undelivered SMS): falls back like an immediate failure.
              await fallBackAfterReportedFailure(db, deps.registry, message.id, now);
            }
            deps.onCommitted();
          }
        } else {
          await act(row.id, action, method, (userId) => provider.userEmail?.(settings, userId, { fetch: deps.fetch ?? fetch, now: clock.now(), ...(deps.resolveHost && { resolveHost: deps.resolveHost }) }) ?? Promise.resolve(undefined));
        }
      }
      return { kind: 'handled', ...(response && { response }) };
    },
  };
}

export type CallbackService = ReturnType<typeof createCallbackService>;
