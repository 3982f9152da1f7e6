import type { Executor } from '../../db/types.js';
import type { DialectName } from '../../db/connect.js';
import type { Log } from '../../core/log.js';
import { findIncident, insertTimeline, type IncidentRow } from '../../incidents/store.js';
import { createActionLink } from '../../notify/action-links.js';
import { incidentViewOf } from '../../notify/incident-view.js';
import { DELIVER_JOB, findMessage, queueMessage, updateMessage, type MessageRow } from '../../notify/outbox.js';
import { FALLBACK_ORDER, type PersonalMethod } from '../../notify/preferences.js';
import { findProviderRow, listProviderRows, type ProviderRow } from '../../notify/providers-store.js';
import { unseal } from '../../core/seal.js';
import { loadSettings, type ProviderRegistry } from '../../notify/registry.js';
import { renderMessage } from '../../notify/templates.js';
import { renderForChannel } from '../../notify/channel-templates.js';
import type { AnyProvider, IncidentView, MessageDraft, NotificationMethod, Recipient, SendResult } from '../../notify/provider.js';
import type { EngineModule, JobOutcome } from '../engine.js';

const MAX_ATTEMPTS = 6;
const ESCALATION_KINDS = new Set(['trigger', 'repeat', 'escalated']);
/** SPEC §8.1: at most one SMS, call or email per person per minute; what arrives meanwhile is bundled. */
const THROTTLED_METHODS = new Set(['sms', 'voice', 'email']);
export const THROTTLE_WINDOW_MS = 60_000;
const BUNDLE_MAX = 50;
// How long a bundle claim holds its rows; a crashed sender's rows are taken over after it.
const CLAIM_MS = 120_000;

/** When this person last got a message by this method (within the throttle window), if at all. */
async function lastSentWithinWindow(db: Executor, personId: string, method: string, now: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max<number>('sent_at').as('last'))
    .where('person_id', '=', personId)
    .where('method', '=', method)
    .where('status', '=', 'sent')
    .where('kind', 'in', [...ESCALATION_KINDS])
    .where('sent_at', '>', now - THROTTLE_WINDOW_MS)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
}

/**
 * Claims every pending escalation message for this person and method that is due, so one send covers
 * them all. Each row moves pending → sending in its own conditional update: two nodes never claim
 * the same row.
 */
async function claimBatch(deps: DeliverDeps, first: MessageRow, now: number): Promise<MessageRow[]> {
  return deps.db.transaction().execute(async (db) => {
    // One bundler per person at a time: concurrent jobs (lanes, nodes) wait here, then find the rows
    // already claimed. SQLite transactions are exclusive already.
    if (deps.dialect === 'postgres' && first.person_id) await db.selectFrom('persons').select('id').where('id', '=', first.person_id).forUpdate().execute();
    const candidates = await db
      .selectFrom('messages')
      .selectAll()
      .where('person_id', '=', first.person_id)
      .where('method', '=', first.method)
      // Its own row may be 'sending' from a claim whose holder crashed: it is taken over.
      .where((eb) => eb.or([eb('status', '=', 'pending'), eb('id', '=', first.id)]))
      .where('next_attempt_at', '<=', now)
      .where('kind', 'in', [...ESCALATION_KINDS])
      .orderBy('id')
      .limit(BUNDLE_MAX)
      .execute();
    const claimed: MessageRow[] = [];
    for (const row of candidates) {
      const result = await db
        .updateTable('messages')
        .set({ status: 'sending', locked_until: now + CLAIM_MS })
        .where('id', '=', row.id)
        .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', now)])]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) claimed.push(row);
    }
    return claimed;
  });
}

export interface DeliverDeps {
  readonly db: Executor;
  readonly dialect: DialectName;
  readonly registry: ProviderRegistry;
  readonly secretKey: Buffer;
  readonly publicUrl: string;
  readonly log: Log;
  readonly fetch?: typeof fetch;
  readonly onCommitted?: () => void;
}

async function incidentView(deps: DeliverDeps, incident: IncidentRow, personId: string | null, now: number): Promise<IncidentView> {
  const open = incident.status !== 'closed';
  return {
    ...(await incidentViewOf(deps.db, deps.publicUrl, incident)),
    ...(open &&
      incident.status === 'triggered' && {
        ackUrl: await createActionLink(deps.db, deps.publicUrl, { incidentId: incident.id, action: 'ack', personId }, now),
      }),
    ...(open && { resolveUrl: await createActionLink(deps.db, deps.publicUrl, { incidentId: incident.id, action: 'resolve', personId }, now) }),
  };
}

/** A vendor asking us to slow down (it said when to come back): queue, never drop (SPEC §8). */
function isThrottled(result: SendResult): boolean {
  return result.kind === 'retry' && result.retryAfterMs !== undefined;
}

/** Where a provider's vendor calls back for this configuration: `/callbacks/<family>/<config id>`. */
export function callbackBaseUrl(publicUrl: string, row: ProviderRow): string {
  const family = row.provider.startsWith('twilio') ? 'twilio' : row.provider;
  return `${publicUrl}/callbacks/${family}/${row.id}`;
}

/** After a permanent failure, the person's next usable method (SPEC §8.1), queued as its own message. */
export async function fallBack(deps: DeliverDeps, message: MessageRow, incident: IncidentRow, now: number): Promise<string | undefined> {
  if (!message.person_id) return undefined;
  const person = await deps.db.selectFrom('persons').selectAll().where('id', '=', message.person_id).executeTakeFirst();
  if (!person) return undefined;
  const providers = (await listProviderRows(deps.db)).filter((p) => Number(p.enabled) === 1);
  // One fallback per page: a fallback that fails too is reported, not chained (no ping-pong).
  if (message.key.includes(':fallback:')) return undefined;
  for (const method of FALLBACK_ORDER.filter((m) => m !== (message.method as PersonalMethod))) {
    const provider = providers.find((p) => deps.registry.get(p.provider)?.methods.includes(method as NotificationMethod));
    const address =
      method === 'email' && person.email_verified_at !== null
        ? person.email
        : (method === 'sms' || method === 'voice') && person.phone && person.phone_verified_at !== null
          ? person.phone
          : undefined;
    if (!provider || !address) continue;
    await queueMessage(
      deps.db,
      {
        key: `${message.key}:fallback:${method}`,
        incidentId: incident.id,
        personId: person.id,
        providerId: provider.id,
        method,
        kind: message.kind,
        recipient: { kind: 'person', personId: person.id, name: person.name, address },
        payload: { ...(JSON.parse(message.payload_json) as object), fallback_from: message.method },
      },
      now,
    );
    return method;
  }
  return undefined;
}

/** A verification code: no incident, no throttling, the code unsealed only to build the message. */
async function sendVerification(deps: DeliverDeps, message: MessageRow, row: ProviderRow, provider: AnyProvider, now: number): Promise<JobOutcome> {
  const { code_sealed } = JSON.parse(message.payload_json) as { code_sealed: string };
  const draft: MessageDraft = {
    id: message.id,
    idempotencyKey: message.key,
    method: message.method as NotificationMethod,
    recipient: JSON.parse(message.recipient_json) as Recipient,
    kind: 'verification',
    code: unseal(deps.secretKey, code_sealed),
  };
  const { message: outbound } = renderMessage(draft);
  const result = await provider
    .send(loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey), outbound, { fetch: deps.fetch ?? fetch, now })
    .catch((error: unknown): SendResult => ({ kind: 'retry', error: error instanceof Error ? error.message : String(error) }));
  const attempts = message.attempts + 1;
  if (result.kind === 'sent') {
    await updateMessage(deps.db, message.id, { status: 'sent', attempts, sent_at: now, last_error: null });
    return { kind: 'done' };
  }
  if (result.kind === 'retry' && attempts < MAX_ATTEMPTS) {
    await updateMessage(deps.db, message.id, { attempts, last_error: result.error });
    return { kind: 'later', runAt: now + (result.retryAfterMs ?? 5000 * 2 ** (attempts - 1)) };
  }
  await updateMessage(deps.db, message.id, { status: 'failed', attempts, last_error: result.error });
  deps.log.warn({ messageId: message.id, error: result.error }, 'verification code could not be delivered');
  return { kind: 'done' };
}

/**
 * Sends one outbox message through its provider. The send happens outside any transaction (it is
 * network I/O); the outcome is recorded after. A crash between the two re-sends after the lease
 * expires, with the same idempotency key for providers that honour one.
 */
export function deliverModule(deps: DeliverDeps): EngineModule {
  return {
    kind: DELIVER_JOB,
    async run(job, now) {
      const { messageId } = JSON.parse(job.payload_json) as { messageId: string };
      const message = await findMessage(deps.db, messageId);
      if (!message || (message.status !== 'pending' && message.status !== 'sending')) return { kind: 'done' };
      // Another job is sending it in a bundle right now; look again when that claim would have expired.
      if (message.status === 'sending' && (message.locked_until ?? 0) > now) return { kind: 'later', runAt: message.locked_until ?? now };
      const incident = message.incident_id ? await findIncident(deps.db, message.incident_id) : undefined;
      if (incident && ESCALATION_KINDS.has(message.kind) && (incident.status !== 'triggered' || (incident.snoozed_until ?? 0) > now)) {
        await updateMessage(deps.db, message.id, { status: 'cancelled', last_error: `incident is ${incident.snoozed_until ? 'snoozed' : incident.status}` });
        return { kind: 'done' };
      }
      const row = message.provider_id ? await findProviderRow(deps.db, message.provider_id) : undefined;
      const provider = row ? deps.registry.get(row.provider) : undefined;
      if (message.kind === 'verification' && row && provider) return sendVerification(deps, message, row, provider, now);
      if (!row || !provider || !incident) {
        await updateMessage(deps.db, message.id, { status: 'failed', last_error: 'provider or incident no longer exists' });
        return { kind: 'done' };
      }
      const recipient = JSON.parse(message.recipient_json) as Recipient;
      const payload = JSON.parse(message.payload_json) as { level?: number };
      const throttled = message.person_id !== null && THROTTLED_METHODS.has(message.method) && ESCALATION_KINDS.has(message.kind);
      if (throttled && message.person_id) {
        const last = await lastSentWithinWindow(deps.db, message.person_id, message.method, now);
        if (last !== undefined) {
          await updateMessage(deps.db, message.id, { next_attempt_at: last + THROTTLE_WINDOW_MS });
          return { kind: 'later', runAt: last + THROTTLE_WINDOW_MS };
        }
      }
      // Everything due for this person and method goes out as one message ("3 incidents: …").
      const batch = throttled ? await claimBatch(deps, message, now) : [message];
      if (!batch.some((r) => r.id === message.id)) {
        // Another job bundled (or is bundling) this message; look again when its claim would expire.
        const current = await findMessage(deps.db, message.id);
        if (!current || (current.status !== 'pending' && current.status !== 'sending')) return { kind: 'done' };
        return { kind: 'later', runAt: current.locked_until ?? now + CLAIM_MS };
      }
      const live: { row: MessageRow; incident: IncidentRow }[] = [];
      for (const row of batch) {
        const rowIncident = row.id === message.id ? incident : row.incident_id ? await findIncident(deps.db, row.incident_id) : undefined;
        if (rowIncident && (!ESCALATION_KINDS.has(row.kind) || (rowIncident.status === 'triggered' && (rowIncident.snoozed_until ?? 0) <= now))) live.push({ row, incident: rowIncident });
        else await updateMessage(deps.db, row.id, { status: 'cancelled', last_error: 'incident no longer needs this notification' });
      }
      if (live.length === 0) return { kind: 'done' };
      const views = await Promise.all(live.map((l) => incidentView(deps, l.incident, message.person_id, now)));
      const draft: MessageDraft =
        live.length > 1
          ? { id: message.id, idempotencyKey: message.key, method: message.method as NotificationMethod, recipient, kind: 'bundle', bundle: views }
          : {
              id: message.id,
              idempotencyKey: message.key,
              method: message.method as NotificationMethod,
              recipient,
              kind: message.kind as 'trigger',
              incident: views[0] as IncidentView,
              ...(payload.level !== undefined && { escalationLevel: payload.level }),
              threadKey: incident.id,
            };
      const outbound = await renderForChannel(deps.db, draft, incident, provider.maxTextLength, now);
      let result: SendResult;
      try {
        result = await provider.send(loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey), outbound, {
          fetch: deps.fetch ?? fetch,
          now,
          callbackBaseUrl: callbackBaseUrl(deps.publicUrl, row),
        });
      } catch (error) {
        result = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
      const to = recipient.name;
      if (live.length > 1 || throttled) {
        // A bundle (or a claimed single) is one send: record its outcome on every message it carried.
        for (const l of live) {
          if (result.kind === 'sent') {
            await updateMessage(deps.db, l.row.id, {
              status: 'sent',
              attempts: l.row.attempts + 1,
              sent_at: now,
              last_error: null,
              provider_message_id: result.providerMessageId ?? null,
            });
            await insertTimeline(deps.db, l.incident.id, now, 'notification_sent', {
              method: message.method,
              to,
              provider: row.name,
              ...(live.length > 1 && { bundled_with: live.length - 1 }),
            });
          } else {
            await updateMessage(deps.db, l.row.id, {
              status: 'pending',
              attempts: l.row.attempts + 1,
              last_error: result.error,
              next_attempt_at: now + 5000 * 2 ** Math.min(l.row.attempts, 6),
            });
          }
        }
        if (result.kind === 'sent') return { kind: 'done' };
        if (result.kind === 'failed' || (message.attempts + 1 >= MAX_ATTEMPTS && !isThrottled(result))) {
          for (const l of live) {
            await updateMessage(deps.db, l.row.id, { status: 'failed', last_error: result.error });
            const fallback = await fallBack(deps, l.row, l.incident, now);
            await insertTimeline(deps.db, l.incident.id, now, 'notification_failed', {
              method: message.method,
              to,
              error: result.error,
              fallback: fallback ?? null,
            });
          }
          deps.onCommitted?.();
          return { kind: 'done' };
        }
        const backoff = result.retryAfterMs ?? 5000 * 2 ** Math.min(message.attempts, 6);
        return { kind: 'later', runAt: now + backoff, error: result.error };
      }
      const attempts = message.attempts + 1;
      if (result.kind === 'sent') {
        await updateMessage(deps.db, message.id, {
          status: 'sent',
          attempts,
          sent_at: now,
          last_error: null,
          provider_message_id: result.providerMessageId ?? null,
        });
        await insertTimeline(deps.db, incident.id, now, 'notification_sent', { method: message.method, to, provider: row.name });
        return { kind: 'done' };
      }
      if (result.kind === 'retry' && (attempts < MAX_ATTEMPTS || isThrottled(result))) {
        const backoff = result.retryAfterMs ?? Math.min(10 * 60_000, 5000 * 2 ** (attempts - 1));
        await updateMessage(deps.db, message.id, { attempts, last_error: result.error, next_attempt_at: now + backoff });
        return { kind: 'later', runAt: now + backoff, error: result.error };
      }
      await updateMessage(deps.db, message.id, { status: 'failed', attempts, last_error: result.error });
      const fallback = await fallBack(deps, message, incident, now);
      await insertTimeline(deps.db, incident.id, now, 'notification_failed', { method: message.method, to, error: result.error, fallback: fallback ?? null });
      deps.onCommitted?.();
      return { kind: 'done' };
    },
  };
}
