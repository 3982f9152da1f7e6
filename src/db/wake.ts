import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from './connect.js';

const CHANNEL = 'tocsin_jobs';
const DEBOUNCE_MS = 20;
const RECONNECT_MAX_MS = 10_000;
// A black-holed listener connection never says it is dead; a small query now and then finds out.
const HEALTH_CHECK_MS = 15_000;
const HEALTH_TIMEOUT_MS = 5000;

/** Cross-process wake-ups for the engine: PostgreSQL LISTEN/NOTIFY; a no-op on SQLite (one process). */
export interface WakeChannel {
  /** Tells the other processes that jobs were queued (debounced). */
  notify(): void;
  close(): Promise<void>;
}

interface WakeLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * The one dialect-specific path of the engine's wake-ups (DESIGN §4). A dedicated connection
 * LISTENs and reconnects by itself after a connection loss (with backoff), waking the engine once it
 * is back so nothing queued meanwhile waits for the next planned look; NOTIFY goes through the pool.
 * A lost listener only delays other nodes' work until their next planned look, never loses it (jobs are rows).
 */
export async function openWakeChannel(db: Db, databaseUrl: string | undefined, onWake: () => void, log?: WakeLog, connectTimeoutMs = 5000): Promise<WakeChannel> {
  if (db.dialect !== 'postgres' || !databaseUrl) return { notify: () => undefined, close: async () => undefined };
  let listener: pg.Client | undefined;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const drop = (client: pg.Client) => {
    if (listener === client) listener = undefined;
    client.end().catch(() => undefined);
    scheduleReconnect();
  };

  const connectListener = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs, query_timeout: HEALTH_TIMEOUT_MS, keepAlive: true });
    client.on('error', () => undefined);
    client.on('notification', () => onWake());
    client.on('end', () => {
      if (!closed && listener === client) {
        log?.warn({}, 'lost the LISTEN connection for engine wake-ups; reconnecting');
        drop(client);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        await client.end().catch(() => undefined);
        return;
      }
      listener = client;
      if (failures > 0) log?.info({ after: failures }, 'LISTEN connection for engine wake-ups is back');
      failures = 0;
      // Whatever other nodes queued while we were deaf is due now.
      onWake();
    } catch {
      await client.end().catch(() => undefined);
      scheduleReconnect();
    }
  };

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    failures += 1;
    const delay = Math.min(RECONNECT_MAX_MS, 250 * 2 ** Math.min(failures, 6));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connectListener();
    }, delay);
    reconnectTimer.unref();
  }

  const health = setInterval(() => {
    const client = listener;
    if (!client) return;
    client.query('select 1').catch(() => {
      if (listener === client) drop(client);
    });
  }, HEALTH_CHECK_MS);
  health.unref();

  await connectListener();
  let timer: NodeJS.Timeout | undefined;
  return {
    notify() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        sql`select pg_notify(${CHANNEL}, '')`.execute(db.kysely).catch(() => undefined);
      }, DEBOUNCE_MS);
      timer.unref();
    },
    async close() {
      closed = true;
      clearInterval(health);
      if (timer) clearTimeout(timer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await listener?.end().catch(() => undefined);
    },
  };
}
