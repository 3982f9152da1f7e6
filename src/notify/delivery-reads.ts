import type { Executor } from '../db/types.js';
import { findIncident, findIncidents, type IncidentRow } from '../incidents/store.js';
import { findOverride } from './channel-templates.js';
import { channelNameOf } from './incident-view.js';
import type { MethodTemplates } from './templates.js';

/**
 * What preparing a page reads besides the outbox row: its incident, the channel's name and the
 * channel's template override. One claim of the delivery loop holds up to a few hundred rows, mostly
 * of the same few channels during a storm; reading these per page cost three statements each (three
 * round trips on PostgreSQL). Per claim, the incidents are read in one statement and the channel
 * facts once per channel. Nothing outlives the claim's units, so there is nothing to invalidate: a
 * rename or a template edit applies from the next claim on, and a prefetched incident is only used
 * while fresh (PREFETCH_FRESH_MS).
 */
export interface DeliveryReads {
  incident(id: string): Promise<IncidentRow | undefined>;
  channelName(channelId: string): Promise<string>;
  override(channelId: string, method: string): Promise<Partial<MethodTemplates>>;
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key) => {
    let value = seen.get(key);
    if (!value) {
      value = load(key);
      // A failed read (database away) is not remembered: the next unit asks again.
      value.catch(() => seen.delete(key));
      seen.set(key, value);
    }
    return value;
  };
}

/**
 * How old a prefetched incident may be when a unit uses it. Units of a large claim wait their turn to
 * be prepared; one that waited longer reads its incident again, so an acknowledgement made meanwhile
 * still cancels its page.
 */
const PREFETCH_FRESH_MS = 500;

/** Reads for the rows of one claim; their incidents are fetched together now. */
export async function readsForClaim(db: Executor, incidentIds: readonly string[], clock: () => number = Date.now): Promise<DeliveryReads> {
  const fetchedAt = clock();
  const known = new Map((await findIncidents(db, [...new Set(incidentIds)])).map((row) => [row.id, row]));
  const fresh = (id: string) => known.has(id) && clock() - fetchedAt < PREFETCH_FRESH_MS;
  const overrides = memo((key) => {
    const [channelId = '', method = ''] = key.split('\n');
    return findOverride(db, channelId, method);
  });
  return {
    // Rows claimed later for a bundle may belong to other incidents: those are read one by one.
    incident: (id) => (fresh(id) ? Promise.resolve(known.get(id)) : findIncident(db, id)),
    channelName: memo((channelId) => channelNameOf(db, channelId)),
    override: (channelId, method) => overrides(`${channelId}\n${method}`),
  };
}

/** Reads without a claim (a single page prepared outside the loop): each straight from the database. */
export function directReads(db: Executor): DeliveryReads {
  return {
    incident: (id) => findIncident(db, id),
    channelName: (channelId) => channelNameOf(db, channelId),
    override: (channelId, method) => findOverride(db, channelId, method),
  };
}
