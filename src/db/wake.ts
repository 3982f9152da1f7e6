import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from './connect.js';

const CHANNEL = 'tocsin_jobs';
const DEBOUNCE_MS = 20;

/** Cross-process wake-ups for the engine: PostgreSQL LISTEN/NOTIFY; a no-op on SQLite (one process). */
export interface WakeChannel {
  /** Tells the other processes that jobs were queued (debounced). */
  notify(): void;
  close(): Promise<void>;
}

/**
 * The one dialect-specific path of the engine's wake-ups (DESIGN §4). A dedicated connection
 * LISTENs; NOTIFY goes through the pool. A lost listener only delays other nodes until their next
 * planned look, never loses a job (jobs are rows).
 */
export async function openWakeChannel(db: Db, databaseUrl: string | undefined, onWake: () => void): Promise<WakeChannel> {
  if (db.dialect !== 'postgres' || !databaseUrl) return { notify: () => undefined, close: async () => undefined };
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => undefined);
  listener.on('notification', () => onWake());
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
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
      if (timer) clearTimeout(timer);
      await listener.end().catch(() => undefined);
    },
  };
}
