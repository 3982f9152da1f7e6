import type { Executor } from '../db/types.js';
import type { IncidentRow } from '../incidents/store.js';
import { findIncident } from '../incidents/store.js';
import { FALLBACK_ORDER, type PersonalMethod } from './preferences.js';
import { listProviderRows } from './providers-store.js';
import type { ProviderRegistry } from './registry.js';
import type { NotificationMethod } from './provider.js';
import { findMessage, queueMessage, type MessageRow } from './outbox.js';

/**
 * After a failed page, the person's next usable method (SPEC §8.1), queued as its own message in the
 * caller's transaction. Returns the method, or undefined when nothing else can reach the person.
 */
export async function fallBack(db: Executor, registry: ProviderRegistry, message: MessageRow, incident: IncidentRow, now: number): Promise<string | undefined> {
  if (!message.person_id) return undefined;
  // An edit of a DM about an acknowledgement or resolution is not a page: it never falls back.
  if (message.kind === 'acknowledged' || message.kind === 'resolved') return undefined;
  // One fallback per page: a fallback that fails too is reported, not chained (no ping-pong).
  if (message.key.includes(':fallback:')) return undefined;
  const person = await db.selectFrom('persons').selectAll().where('id', '=', message.person_id).executeTakeFirst();
  if (!person) return undefined;
  const providers = (await listProviderRows(db)).filter((p) => Number(p.enabled) === 1);
  for (const method of FALLBACK_ORDER.filter((m) => m !== (message.method as PersonalMethod))) {
    const provider = providers.find((p) => registry.get(p.provider)?.methods.includes(method as NotificationMethod));
    const address =
      method === 'email' && person.email_verified_at !== null
        ? person.email
        : (method === 'sms' || method === 'voice') && person.phone && person.phone_verified_at !== null
          ? person.phone
          : undefined;
    if (!provider || !address) continue;
    await queueMessage(
      db,
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

/**
 * A vendor reported later that a page did not arrive (a call nobody answered): while the incident
 * still waits for someone, try the person's next method.
 */
export async function fallBackAfterReportedFailure(db: Executor, registry: ProviderRegistry, messageId: string, now: number): Promise<string | undefined> {
  const message = await findMessage(db, messageId);
  const incident = message?.incident_id ? await findIncident(db, message.incident_id) : undefined;
  if (!message || !incident || incident.status !== 'triggered') return undefined;
  return fallBack(db, registry, message, incident, now);
}

/** Outbox keys of redials end with this: a redial that goes unanswered too falls back, never redials. */
const REDIAL_SUFFIX = ':redial';

/**
 * A page the vendor reported unanswered (issue 12 item 5): when the provider asks for it (Twilio's
 * "call again after 1 minute") and this was not already the redial, the same call is queued once
 * more after `redialAfterMs`; otherwise the person's next method, as for any failure. Returns what
 * happened, for the timeline.
 */
export async function redialOrFallBack(db: Executor, registry: ProviderRegistry, messageId: string, redialAfterMs: number | undefined, now: number): Promise<{ redialAt: number } | { fallback: string | undefined }> {
  const message = await findMessage(db, messageId);
  const incident = message?.incident_id ? await findIncident(db, message.incident_id) : undefined;
  if (!message || !incident || incident.status !== 'triggered') return { fallback: undefined };
  if (redialAfterMs !== undefined && !message.key.endsWith(REDIAL_SUFFIX) && message.person_id !== null) {
    const at = now + redialAfterMs;
    const queued = await queueMessage(
      db,
      {
        key: `${message.key}${REDIAL_SUFFIX}`,
        incidentId: incident.id,
        personId: message.person_id,
        providerId: message.provider_id ?? '',
        method: message.method,
        kind: message.kind,
        recipient: JSON.parse(message.recipient_json) as object,
        payload: { ...(JSON.parse(message.payload_json) as object), redial_of: message.id },
        notBefore: at,
      },
      now,
    );
    if (queued !== undefined) return { redialAt: at };
  }
  return { fallback: await fallBack(db, registry, message, incident, now) };
}
