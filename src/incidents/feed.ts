import type { Executor } from '../db/types.js';

/**
 * The change feed behind live updates and outbound webhooks: timeline rows (every incident change
 * writes one) and events rows (every accepted alert event). Both carry UUIDv7 ids whose first 48 bits
 * are the writer's clock at or after `created_at`, so "rows since T" is a primary-key range scan and
 * needs no extra index on the hot write path. Readers re-scan a short lag window and de-duplicate by
 * id, because transactions on PostgreSQL may commit out of id order.
 */
export type FeedItem =
  | {
      readonly source: 'timeline';
      readonly id: string;
      readonly kind: string;
      readonly incidentId: string;
      readonly channelId: string;
      readonly actorId: string | null;
      readonly data: unknown;
      readonly createdAt: number;
    }
  | {
      readonly source: 'event';
      readonly id: string;
      /** `created` for the event that opened the alert, `recovered` for an Ok event, else `updated`. */
      readonly kind: 'created' | 'updated' | 'recovered';
      readonly alertId: string;
      readonly incidentId: string | null;
      readonly channelId: string;
      readonly createdAt: number;
    };

/** The smallest UUIDv7 minted at or after `ms`. */
export function idFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** The millisecond timestamp embedded in a UUIDv7 (NaN for anything else). */
export function idTime(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * Feed items whose ids are at or after `fromId`, oldest first, at most `limit` of each source, and
 * `more`: the id to read on from when a source filled its page.
 */
export async function readFeed(db: Executor, fromId: string, limit: number): Promise<{ items: FeedItem[]; more: string | undefined }> {
  const [timeline, events] = await Promise.all([
    db
      .selectFrom('timeline')
      .innerJoin('incidents', 'incidents.id', 'timeline.incident_id')
      .select(['timeline.id', 'timeline.kind', 'timeline.incident_id', 'timeline.actor_id', 'timeline.data_json', 'timeline.created_at', 'incidents.channel_id'])
      .where('timeline.id', '>=', fromId)
      .orderBy('timeline.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('events')
      .innerJoin('alerts', 'alerts.id', 'events.alert_id')
      .select(['events.id', 'events.alert_id', 'events.status', 'events.received_at', 'alerts.channel_id', 'alerts.incident_id', 'alerts.created_at as alert_created_at'])
      .where('events.id', '>=', fromId)
      .orderBy('events.id')
      .limit(limit)
      .execute(),
  ]);
  const items: FeedItem[] = [
    ...timeline.map(
      (t): FeedItem => ({
        source: 'timeline',
        id: t.id,
        kind: t.kind,
        incidentId: t.incident_id,
        channelId: t.channel_id,
        actorId: t.actor_id,
        data: JSON.parse(t.data_json) as unknown,
        createdAt: Number(t.created_at),
      }),
    ),
    ...events.map(
      (e): FeedItem => ({
        source: 'event',
        id: e.id,
        kind: e.status === 'Ok' ? 'recovered' : Number(e.alert_created_at) === Number(e.received_at) ? 'created' : 'updated',
        alertId: e.alert_id,
        incidentId: e.incident_id,
        channelId: e.channel_id,
        createdAt: Number(e.received_at),
      }),
    ),
  ];
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ends = [timeline.length >= limit ? timeline[timeline.length - 1]?.id : undefined, events.length >= limit ? events[events.length - 1]?.id : undefined].filter(
    (id): id is string => id !== undefined,
  );
  return { items, more: ends.sort()[0] };
}

/**
 * Reads the feed forward from a watermark, remembering recently seen ids so a re-scanned lag window
 * yields each row once. Shared by the live hub (in memory) and the webhook scanner (persisted mark).
 */
export class FeedCursor {
  private readonly seen = new Map<string, true>();

  constructor(
    private watermark: number,
    private readonly lagMs = 2000,
    private readonly memory = 20_000,
  ) {}

  get mark(): number {
    return this.watermark;
  }

  /** Skips ahead to `ms` (never back): history before it will not be read. */
  jumpTo(ms: number): void {
    if (ms > this.watermark) this.watermark = ms;
  }

  /** New items since the last call (at most `pages` pages of `limit` rows per source). */
  async next(db: Executor, limit = 1000, pages = 5): Promise<FeedItem[]> {
    const fresh: FeedItem[] = [];
    let from = idFloor(this.watermark - this.lagMs);
    for (let page = 0; page < pages; page += 1) {
      const { items, more } = await readFeed(db, from, limit);
      for (const item of items) {
        if (this.seen.has(item.id)) continue;
        this.seen.set(item.id, true);
        fresh.push(item);
        const t = idTime(item.id);
        if (Number.isFinite(t) && t > this.watermark) this.watermark = t;
      }
      if (more === undefined) break;
      from = more;
    }
    while (this.seen.size > this.memory) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
    return fresh;
  }
}
