import { collectDeferred, flushDeferred } from '../db/deferred.js';
import type { InsertBatcher } from '../db/insert-batcher.js';
import type { Executor } from '../db/types.js';
import type { Log } from '../core/log.js';
import { unseal } from '../core/seal.js';
import { insertTimeline, type IncidentRow } from '../incidents/store.js';
import { directReads, type DeliveryReads } from './delivery-reads.js';
import { createActionLinks, type LinkAction } from './action-links.js';
import { incidentViewOf } from './incident-view.js';
import { claimBundle, lastPageSentSince, settleMessage, settleSentMessages, type MessageChange, type MessageRow } from './outbox.js';
import { fallBack } from './fallback.js';
import { findProviderRow, type ProviderRow } from './providers-store.js';
import { loadSettings, type ProviderRegistry } from './registry.js';
import { renderMessage } from './templates.js';
import { renderForChannel } from './channel-templates.js';
import { decideRetry, ESCALATION_KINDS } from './retry.js';
import type { AnyProvider, IncidentView, MessageDraft, MessageLocale, NotificationMethod, Recipient, SendResult } from './provider.js';
import { countPushDevices, deletePushDeviceByEndpoint, markPushDeviceDelivered } from './push-devices-store.js';
import { endpointOfAddress } from './push-devices.js';
import { SUBSCRIPTION_GONE } from './providers/webpush/index.js';
import { messageLocale } from './message-words.js';
import { findPersonById } from '../people/store.js';

/** SPEC §8.1: at most one SMS, call or email per person per minute; what arrives meanwhile is bundled. */
export const THROTTLED_METHODS: readonly string[] = ['sms', 'voice', 'email'];
export const THROTTLE_WINDOW_MS = 60_000;
const BUNDLE_MAX = 50;

export interface DeliveryDeps {
  readonly db: Executor;
  readonly registry: ProviderRegistry;
  readonly secretKey: Buffer;
  readonly publicUrl: string;
  readonly log: Log;
  /** This node's name in leases. */
  readonly worker: string;
  readonly leaseMs: number;
  /** ∈ [0, 1), for retry jitter. */
  readonly random: () => number;
  /** Writes the action links of concurrently prepared pages together (one commit per turn, not per page). */
  readonly links?: InsertBatcher | undefined;
}

/** A claimed row with what it is about. */
export interface Carried {
  readonly row: MessageRow;
  readonly incident: IncidentRow | undefined;
  /** A page whose escalation level still lasts (decides how long a failing page is retried). */
  readonly stillWanted: boolean;
}

/** What a worker does with a claimed unit: write an outcome straight away, or call a vendor first. */
export type Prepared =
  | { readonly kind: 'settle'; readonly outcomes: readonly Outcome[] }
  | {
      readonly kind: 'send';
      readonly providerId: string;
      readonly carried: readonly Carried[];
      readonly providerName: string;
      /** The vendor call; runs outside every transaction. */
      /** `resolveHost` lets providers that connect by host name (SMTP) honour TOCSIN_OUTBOUND_DENY. */
      readonly call: (fetcher: typeof fetch, now: number, resolveHost?: (host: string) => Promise<string>) => Promise<SendResult>;
    };

/** An outcome to write back under the lease. */
export type Outcome =
  | { readonly kind: 'cancel'; readonly row: MessageRow; readonly reason: string }
  | { readonly kind: 'defer'; readonly row: MessageRow; readonly until: number; readonly reason?: string }
  | { readonly kind: 'fail'; readonly row: MessageRow; readonly reason: string }
  | { readonly kind: 'result'; readonly carried: readonly Carried[]; readonly providerName: string; readonly result: SendResult };

interface PagePayload {
  readonly level?: number;
  readonly epoch?: number;
  /** A follow-up that edits the vendor's earlier message in place (Slack) instead of posting anew. */
  readonly update_of?: string;
  readonly code_sealed?: string;
}

const isPage = (row: MessageRow) => ESCALATION_KINDS.includes(row.kind);

/** A page is wanted while its incident waits for someone at that level; follow-ups always are. */
function pageStillWanted(row: MessageRow, incident: IncidentRow | undefined, now: number): boolean {
  if (!isPage(row)) return true;
  if (!incident || incident.status !== 'triggered' || (incident.snoozed_until ?? 0) > now) return false;
  const payload = JSON.parse(row.payload_json) as PagePayload;
  if (payload.epoch !== undefined && payload.epoch !== incident.escalation_epoch) return false;
  return payload.level === undefined || incident.escalation_level === null || incident.escalation_level <= payload.level - 1;
}

/** Only escalation pages stop when the incident is acknowledged, snoozed or closed; follow-ups about that go out. */
function cancelReason(row: MessageRow, incident: IncidentRow | undefined, now: number): string | undefined {
  if (!incident || !isPage(row)) return undefined;
  if ((incident.snoozed_until ?? 0) > now) return 'incident is snoozed';
  if (incident.status !== 'triggered') return `incident is ${incident.status}`;
  return undefined;
}

/**
 * What the delivery log says about a page held back by the throttle (issue 13: a bundled email sat
 * PENDING for a minute with no reason shown).
 */
export function bundleWindowReason(method: string, until: number): string {
  return `waiting for the bundle window until ${new Date(until).toISOString().slice(11, 19)} UTC: one ${method} per person per minute, pages arriving meanwhile go out together`;
}

/** Where a provider's vendor calls back for this configuration: `/callbacks/<family>/<config id>`. */
export function callbackBaseUrl(publicUrl: string, row: ProviderRow): string {
  const family = row.provider.startsWith('twilio') ? 'twilio' : row.provider;
  return `${publicUrl}/callbacks/${family}/${row.id}`;
}

async function incidentView(deps: DeliveryDeps, reads: DeliveryReads, incident: IncidentRow, personId: string | null, now: number): Promise<IncidentView> {
  const open = incident.status !== 'closed';
  const actions: LinkAction[] = open ? (incident.status === 'triggered' ? ['ack', 'resolve'] : ['resolve']) : [];
  const urls = await createActionLinks(deps.db, deps.publicUrl, { incidentId: incident.id, actions, personId }, now, deps.links);
  const urlOf = (action: LinkAction) => urls[actions.indexOf(action)];
  const ackUrl = urlOf('ack');
  const resolveUrl = urlOf('resolve');
  return {
    ...(await incidentViewOf(deps.db, deps.publicUrl, incident, await reads.channelName(incident.channel_id))),
    ...(ackUrl !== undefined && { ackUrl }),
    ...(resolveUrl !== undefined && { resolveUrl }),
  };
}

/**
 * The language and time zone a message is written in (issue 13): a person's own locale (`zh*` →
 * Chinese) and time zone; a group chat's `language` setting (default English, dates in UTC).
 */
export async function readerOf(db: Executor, personId: string | null, providerRow: ProviderRow): Promise<{ locale: MessageLocale; timeZone?: string }> {
  if (personId) {
    const person = await findPersonById(db, personId);
    if (person) return { locale: messageLocale(person.locale), timeZone: person.timeZone };
  }
  const settings = JSON.parse(providerRow.settings_json) as Record<string, unknown>;
  return { locale: messageLocale(typeof settings.language === 'string' ? settings.language : undefined) };
}

/**
 * Decides what to do with a claimed unit (one row, or several rows of one person and method that go
 * out as one message) and builds the vendor call. Reads and a few small writes (action links, the
 * bundle's claim); never a vendor call.
 */
export async function prepareDelivery(
  deps: DeliveryDeps,
  claimed: readonly MessageRow[],
  now: number,
  onClaimed: (rows: readonly MessageRow[]) => void,
  reads: DeliveryReads = directReads(deps.db),
): Promise<Prepared> {
  const [leader] = claimed;
  if (!leader) return { kind: 'settle', outcomes: [] };
  const providerRow = leader.provider_id ? await findProviderRow(deps.db, leader.provider_id) : undefined;
  const provider = providerRow ? deps.registry.get(providerRow.provider) : undefined;
  if (!providerRow || !provider) return { kind: 'settle', outcomes: claimed.map((row) => ({ kind: 'fail', row, reason: 'provider no longer exists' }) as const) };
  if (leader.kind === 'verification') return prepareVerification(deps, leader, providerRow, provider, await readerOf(deps.db, leader.person_id, providerRow));

  const outcomes: Outcome[] = [];
  const live: Carried[] = [];
  const consider = async (row: MessageRow) => {
    const incident = row.incident_id ? await reads.incident(row.incident_id) : undefined;
    const reason = !incident ? 'incident no longer exists' : cancelReason(row, incident, now);
    if (reason) outcomes.push({ kind: incident ? 'cancel' : 'fail', row, reason });
    else live.push({ row, incident, stillWanted: pageStillWanted(row, incident, now) });
  };
  for (const row of claimed) await consider(row);

  const throttled = leader.person_id !== null && THROTTLED_METHODS.includes(leader.method) && isPage(leader);
  if (throttled && leader.person_id && live.length > 0) {
    const last = await lastPageSentSince(deps.db, leader.person_id, leader.method, ESCALATION_KINDS, now - THROTTLE_WINDOW_MS);
    if (last !== undefined) {
      const until = last + THROTTLE_WINDOW_MS;
      const reason = bundleWindowReason(leader.method, until);
      return { kind: 'settle', outcomes: [...outcomes, ...live.map((l) => ({ kind: 'defer', row: l.row, until, reason }) as const)] };
    }
    // Everything else due for this person and method goes out in the same message ("3 incidents: …").
    const more = await claimBundle(deps.db, deps.worker, leader.person_id, leader.method, ESCALATION_KINDS, now, deps.leaseMs, Math.max(0, BUNDLE_MAX - claimed.length));
    onClaimed(more);
    for (const row of more) await consider(row);
  }
  if (live.length === 0) return { kind: 'settle', outcomes };
  if (outcomes.length > 0) {
    // Written right away; the live rows follow with the send's result.
    return { kind: 'settle', outcomes: [...outcomes, ...live.map((l) => ({ kind: 'defer', row: l.row, until: now }) as const)] };
  }

  const first = live[0] as Carried;
  const recipient = JSON.parse(first.row.recipient_json) as Recipient;
  const payload = JSON.parse(first.row.payload_json) as PagePayload;
  const incident = first.incident as IncidentRow;
  const views = await Promise.all(live.map((l) => incidentView(deps, reads, l.incident as IncidentRow, first.row.person_id, now)));
  const method = first.row.method as NotificationMethod;
  const reader = await readerOf(deps.db, first.row.person_id, providerRow);
  const draft: MessageDraft =
    live.length > 1
      ? { id: first.row.id, idempotencyKey: first.row.key, method, recipient, ...reader, kind: 'bundle', bundle: views }
      : {
          id: first.row.id,
          idempotencyKey: first.row.key,
          method,
          recipient,
          ...reader,
          kind: first.row.kind as 'trigger',
          incident: views[0] as IncidentView,
          ...(payload.level !== undefined && { escalationLevel: payload.level }),
          threadKey: incident.id,
        };
  // The channel's own template when it has one (falling back to the default, noted on the timeline).
  const outbound = await renderForChannel(deps.db, draft, incident, provider.maxTextLength, now, reads.override);
  const settings = loadSettings(provider, JSON.parse(providerRow.settings_json) as Record<string, unknown>, deps.secretKey);
  const callbacks = callbackBaseUrl(deps.publicUrl, providerRow);
  return {
    kind: 'send',
    providerId: providerRow.id,
    providerName: providerRow.name,
    carried: live,
    call: (fetcher, at, resolveHost) =>
      payload.update_of && provider.update
        ? provider.update(settings, payload.update_of, outbound, { fetch: fetcher, now: at, ...(resolveHost && { resolveHost }) })
        : provider.send(settings, outbound, { fetch: fetcher, now: at, callbackBaseUrl: callbacks, ...(resolveHost && { resolveHost }) }),
  };
}

/** A verification code: no incident, no throttling, the code unsealed only to build the message. */
function prepareVerification(deps: DeliveryDeps, row: MessageRow, providerRow: ProviderRow, provider: AnyProvider, reader: { locale: MessageLocale; timeZone?: string }): Prepared {
  const { code_sealed } = JSON.parse(row.payload_json) as { code_sealed: string };
  const draft: MessageDraft = {
    id: row.id,
    idempotencyKey: row.key,
    method: row.method as NotificationMethod,
    recipient: JSON.parse(row.recipient_json) as Recipient,
    ...reader,
    kind: 'verification',
    code: unseal(deps.secretKey, code_sealed),
  };
  const { message: outbound } = renderMessage(draft);
  const settings = loadSettings(provider, JSON.parse(providerRow.settings_json) as Record<string, unknown>, deps.secretKey);
  return {
    kind: 'send',
    providerId: providerRow.id,
    providerName: providerRow.name,
    carried: [{ row, incident: undefined, stillWanted: true }],
    call: (fetcher, at, resolveHost) => provider.send(settings, outbound, { fetch: fetcher, now: at, ...(resolveHost && { resolveHost }) }),
  };
}

/**
 * Writes a batch of outcomes in one transaction (DESIGN §4: results are written back in batches): each
 * row only if this worker still holds its lease, with the timeline entries and fallbacks it causes.
 * Returns whether anything new became due (a fallback or a retry), so the caller wakes the engine.
 */
export async function recordOutcomes(deps: DeliveryDeps, outcomes: readonly Outcome[], now: number): Promise<{ queued: boolean }> {
  let queued = false;
  await deps.db.transaction().execute(async (trx) => {
    // The batch's timeline entries ("sent to …") go out as multi-row inserts before the commit.
    collectDeferred(trx);
    const settle = (row: MessageRow, changes: MessageChange) => settleMessage(trx, row.id, deps.worker, changes);
    // Plain deliveries (no vendor message id, no device bookkeeping) are settled together up front.
    const plainSent = outcomes.flatMap((o) => (o.kind === 'result' && o.result.kind === 'sent' && o.result.providerMessageId === undefined ? o.carried.filter((c) => c.row.method !== 'push').map((c) => c.row.id) : []));
    const settledSent = await settleSentMessages(trx, plainSent, deps.worker, now);
    const presettled = new Set(plainSent);
    for (const outcome of outcomes) {
      switch (outcome.kind) {
        case 'cancel':
          await settle(outcome.row, { status: 'cancelled', last_error: outcome.reason });
          break;
        case 'fail':
          await settle(outcome.row, { status: 'failed', last_error: outcome.reason });
          break;
        case 'defer':
          if (await settle(outcome.row, { status: 'pending', next_attempt_at: outcome.until, wait_reason: outcome.reason ?? null })) queued = true;
          break;
        case 'result':
          if (await recordResult(deps, trx, outcome, now, { presettled, settledSent })) queued = true;
          break;
      }
    }
    await flushDeferred(trx);
  });
  return { queued };
}

async function recordResult(
  deps: DeliveryDeps,
  trx: Executor,
  outcome: Extract<Outcome, { kind: 'result' }>,
  now: number,
  batch: { readonly presettled: ReadonlySet<string>; readonly settledSent: ReadonlySet<string> },
): Promise<boolean> {
  const { result, carried, providerName } = outcome;
  const bundled = carried.length > 1 ? { bundled_with: carried.length - 1 } : {};
  let queued = false;
  for (const { row, incident, stillWanted } of carried) {
    const attempts = row.attempts + 1;
    const recipient = JSON.parse(row.recipient_json) as Recipient & { device?: string };
    const to = recipient.name;
    const device = recipient.device ? { device: recipient.device } : {};
    if (result.kind === 'sent') {
      const held = batch.presettled.has(row.id)
        ? batch.settledSent.has(row.id)
        : await settleMessage(trx, row.id, deps.worker, { status: 'sent', attempts, sent_at: now, last_error: null, provider_message_id: result.providerMessageId ?? null });
      if (held && row.method === 'push') await pushDeviceReached(trx, recipient, now);
      // A person's device told that someone took the incident is not a page to them.
      const followUp = row.person_id === null && recipient.kind === 'person' ? { follow_up: row.kind } : {};
      if (held && incident) await insertTimeline(trx, incident.id, now, 'notification_sent', { method: row.method, to, ...device, provider: providerName, ...bundled, ...followUp });
      continue;
    }
    const decision =
      result.kind === 'failed'
        ? ({ kind: 'give-up', fallBack: true } as const)
        : decideRetry({ attempts, kind: row.kind, ...(result.retryAfterMs !== undefined && { retryAfterMs: result.retryAfterMs }), stillWanted, createdAt: row.created_at, now, random: deps.random() });
    if (decision.kind === 'retry') {
      if (!(await settleMessage(trx, row.id, deps.worker, { status: 'pending', attempts, last_error: result.error, next_attempt_at: decision.at }))) continue;
      queued = true;
      if (decision.fallBackNow && incident) {
        const fallback = await fallBack(trx, deps.registry, row, incident, now);
        await insertTimeline(trx, incident.id, now, 'notification_retrying', { method: row.method, to, error: result.error, attempts, fallback: fallback ?? null });
      }
      continue;
    }
    if (!(await settleMessage(trx, row.id, deps.worker, { status: 'failed', attempts, last_error: result.error }))) continue;
    const gone = row.method === 'push' && result.kind === 'failed' && result.error.startsWith(SUBSCRIPTION_GONE) ? await forgetGonePushDevice(trx, recipient) : undefined;
    if (!incident) {
      deps.log.warn({ messageId: row.id, kind: row.kind, error: result.error }, 'notification could not be delivered');
      continue;
    }
    // A browser that unsubscribed is no failure to page around while the person's other devices got the page.
    const otherDevicesLeft = gone !== undefined && gone.remaining > 0;
    const fallback = decision.fallBack && stillWanted && !otherDevicesLeft ? await fallBack(trx, deps.registry, row, incident, now) : undefined;
    if (fallback) queued = true;
    await insertTimeline(trx, incident.id, now, 'notification_failed', { method: row.method, to, ...device, error: result.error, fallback: fallback ?? null, ...(gone && { device_removed: gone.removed }) });
  }
  return queued;
}

/** Notes when a device last received a push (the personal center shows it). */
async function pushDeviceReached(trx: Executor, recipient: Recipient, now: number): Promise<void> {
  const endpoint = recipient.kind === 'person' ? endpointOfAddress(recipient.address) : undefined;
  if (endpoint) await markPushDeviceDelivered(trx, endpoint, now);
}

/**
 * The push service answered 404/410: the browser dropped the subscription (site data cleared, app
 * uninstalled, permission revoked), so it will never work again — remove it. Returns whether a row was
 * removed and how many devices the person still has.
 */
async function forgetGonePushDevice(trx: Executor, recipient: Recipient): Promise<{ removed: boolean; remaining: number }> {
  if (recipient.kind !== 'person') return { removed: false, remaining: 0 };
  const endpoint = endpointOfAddress(recipient.address);
  const removed = endpoint ? await deletePushDeviceByEndpoint(trx, endpoint) : undefined;
  return { removed: removed !== undefined, remaining: await countPushDevices(trx, recipient.personId) };
}
