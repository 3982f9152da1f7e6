import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import type { Executor } from '../db/types.js';
import { FeedCursor, type FeedItem } from '../incidents/feed.js';
import { presentAlert, presentIncident } from '../incidents/routes.js';
import type { ChannelsService } from '../channels/service.js';
import { contextOf } from '../people/request-context.js';
import { isAdmin } from '../people/model.js';

/** One Server-Sent Event as SPEC §9 names them. */
export interface LiveEvent {
  readonly id: string;
  readonly event: 'incident.created' | 'incident.updated' | 'incident.timeline' | 'alert.created' | 'alert.updated';
  readonly channelId: string;
  readonly data: unknown;
}

interface LiveClient {
  readonly raw: ServerResponse;
  /** Channels this client may see; undefined = all (administrators). */
  visible: ReadonlySet<string> | undefined;
}

const RECENT_EVENTS = 5000;
const POLL_MS = 750;
const HEARTBEAT_MS = 15_000;
const VISIBILITY_REFRESH_MS = 30_000;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and resumes from the buffer. */
const MAX_CLIENT_BACKLOG_BYTES = 1 << 20;
const CHUNK = 500;
/** After this long without a tail (nobody connected), history is skipped rather than replayed in pages. */
const IDLE_SKIP_MS = 60_000;

function frame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * Live updates (DESIGN §6): every process tails the change feed when woken (a local commit, or
 * another node's NOTIFY through the wake channel) and at least every POLL_MS while clients are
 * connected, turns new rows into events, keeps the latest RECENT_EVENTS for Last-Event-ID resumes and
 * writes each event to the clients allowed to see its channel. Every node sees the same rows, so
 * event ids are the same everywhere and a client may resume on any node.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly recent: LiveEvent[] = [];
  private readonly cursor: FeedCursor;
  private tailing: Promise<void> | undefined;
  private again = false;
  private poller: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Wall time of the last tail (idle time is about this process, not the domain clock). */
  private lastTailAt = performance.now();

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.cursor = new FeedCursor(clock.now());
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Something committed here or on another node: look at the feed soon. */
  poke(): void {
    if (this.clients.size === 0) return;
    void this.tail();
  }

  /** Reads the feed now (coalescing concurrent calls) and fans out what is new. */
  async tail(): Promise<void> {
    if (this.tailing) {
      this.again = true;
      return this.tailing;
    }
    if (performance.now() - this.lastTailAt > IDLE_SKIP_MS) {
      // Nobody listened for a while: start from now instead of paging through everything since.
      // A client resuming from before then gets `event: reset` and reloads.
      this.cursor.jumpTo(this.clock.now());
    }
    this.lastTailAt = performance.now();
    this.tailing = (async () => {
      do {
        this.again = false;
        try {
          const items = await this.cursor.next(this.db);
          if (items.length > 0) this.publish(await this.toEvents(items));
        } catch (error) {
          this.log.warn({ err: error }, 'live updates: reading the change feed failed');
        }
      } while (this.again);
    })().finally(() => {
      this.tailing = undefined;
    });
    return this.tailing;
  }

  /** Adds a connected client after replaying what it missed since `lastEventId`. */
  async connect(raw: ServerResponse, visible: ReadonlySet<string> | undefined, lastEventId: string | undefined): Promise<LiveClient> {
    const client: LiveClient = { raw, visible };
    const indexOf = () => (lastEventId ? this.recent.findIndex((e) => e.id === lastEventId) : -1);
    // An id newer than what this idle hub last read: read first, then replay from the fresh buffer.
    if (lastEventId && indexOf() < 0) await this.tail();
    if (lastEventId) {
      const index = indexOf();
      // Too old to replay: the client reloads its lists rather than miss a change silently.
      if (index < 0) raw.write('event: reset\ndata: {}\n\n');
      else for (const event of this.recent.slice(index + 1)) this.send(client, event);
    }
    // Registered in the same tick as the replay, before reading new rows: whatever the next read finds
    // (including rows committed while this client was connecting) reaches it too; nothing falls between.
    this.clients.add(client);
    this.startTimers();
    await this.tail();
    return client;
  }

  disconnect(client: LiveClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stopTimers();
  }

  /** Ends every stream (server shutdown: open streams would otherwise hold the HTTP server open). */
  close(): void {
    this.stopTimers();
    for (const client of this.clients) client.raw.end();
    this.clients.clear();
  }

  private startTimers(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.tail(), POLL_MS);
    this.poller.unref();
    this.heartbeat = setInterval(() => {
      // A comment line: keeps proxies and load balancers from closing an idle stream.
      for (const client of this.clients) client.raw.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopTimers(): void {
    if (this.poller) clearInterval(this.poller);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.poller = undefined;
    this.heartbeat = undefined;
  }

  private publish(events: readonly LiveEvent[]): void {
    for (const event of events) {
      this.recent.push(event);
      for (const client of this.clients) this.send(client, event);
    }
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
  }

  private send(client: LiveClient, event: LiveEvent): void {
    if (client.visible && !client.visible.has(event.channelId)) return;
    if (client.raw.writableLength > MAX_CLIENT_BACKLOG_BYTES) {
      client.raw.destroy();
      this.disconnect(client);
      return;
    }
    client.raw.write(frame(event));
  }

  /** Feed rows → SSE events; one `incident.updated` per incident per batch, after its last timeline entry. */
  private async toEvents(items: readonly FeedItem[]): Promise<LiveEvent[]> {
    const incidentIds = new Set<string>();
    const alertIds = new Set<string>();
    const lastTimelineOf = new Map<string, string>();
    for (const item of items) {
      if (item.source === 'timeline') {
        incidentIds.add(item.incidentId);
        lastTimelineOf.set(item.incidentId, item.id);
      } else alertIds.add(item.alertId);
    }
    const incidents = new Map<string, ReturnType<typeof presentIncident>>();
    for (const chunk of chunks([...incidentIds])) {
      for (const row of await this.db.selectFrom('incidents').selectAll().where('id', 'in', chunk).execute()) incidents.set(row.id, presentIncident(row));
    }
    const alerts = new Map<string, ReturnType<typeof presentAlert>>();
    for (const chunk of chunks([...alertIds])) {
      for (const row of await this.db.selectFrom('alerts').selectAll().where('id', 'in', chunk).execute()) alerts.set(row.id, presentAlert(row));
    }
    const events: LiveEvent[] = [];
    for (const item of items) {
      if (item.source === 'timeline') {
        const incident = incidents.get(item.incidentId);
        if (item.kind === 'created' && incident) events.push({ id: `c:${item.id}`, event: 'incident.created', channelId: item.channelId, data: incident });
        events.push({
          id: `t:${item.id}`,
          event: 'incident.timeline',
          channelId: item.channelId,
          data: { id: item.id, incident_id: item.incidentId, kind: item.kind, actor_id: item.actorId, data: item.data, created_at: item.createdAt },
        });
        if (incident && lastTimelineOf.get(item.incidentId) === item.id && item.kind !== 'created') {
          events.push({ id: `u:${item.id}`, event: 'incident.updated', channelId: item.channelId, data: incident });
        }
      } else {
        const alert = alerts.get(item.alertId);
        if (alert) events.push({ id: `a:${item.id}`, event: item.kind === 'created' ? 'alert.created' : 'alert.updated', channelId: item.channelId, data: alert });
      }
    }
    return events;
  }
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

/** `GET /api/v1/stream`: Server-Sent Events of the incidents and alerts the caller may see. */
export function registerLiveRoutes(app: Api, deps: { hub: LiveHub; channels: ChannelsService }): void {
  app.get(
    '/api/v1/stream',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Live updates (Server-Sent Events): incident.created|updated|timeline, alert.created|updated',
        description:
          'text/event-stream. Each event has an id, an event name and JSON data (the incident, alert or timeline entry as the REST API presents it). ' +
          'Reconnect with the Last-Event-ID header (or ?last_event_id=) to receive what was missed; an `event: reset` means it is too old and lists should be reloaded.',
        querystring: Type.Object({ last_event_id: Type.Optional(Type.String({ maxLength: 80 })) }),
      },
    },
    async (request, reply) => {
      const { actor } = contextOf(request);
      const visibleOf = async () => (isAdmin(actor) ? undefined : new Set(await deps.channels.visibleIds(actor)));
      const header = request.headers['last-event-id'];
      const lastEventId = (typeof header === 'string' ? header : undefined) ?? request.query.last_event_id;
      const visible = await visibleOf();
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx: do not buffer the stream
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      raw.write('retry: 3000\n: connected\n\n');
      const client = await deps.hub.connect(raw, visible, lastEventId);
      // Team membership may change while a console stays open.
      const refresh = setInterval(() => {
        visibleOf().then(
          (next) => {
            client.visible = next;
          },
          () => undefined,
        );
      }, VISIBILITY_REFRESH_MS);
      refresh.unref();
      request.raw.on('close', () => {
        clearInterval(refresh);
        deps.hub.disconnect(client);
      });
    },
  );
}
