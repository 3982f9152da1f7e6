import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * WAL checkpoints mostly off the event loop (ADR 0071). With SQLite's default, the commit that finds
 * the write-ahead log past 1 000 pages copies it into the database file and syncs it, on the event
 * loop: under an incident storm that was every ~80 ms, 7–12 ms each — over half of all commit time,
 * and a stall for every request and page in flight.
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every CHECKPOINT_EVERY_MS:
 * it copies committed pages into the database file beside the writer, without blocking it. That alone
 * cannot bound the log: SQLite only rewinds it when a write begins after a checkpoint that copied
 * everything, and under steady load new commits always land while the worker copies (measured: 660 MB
 * of log after 12 s at 1 000 incidents/s). So the writer keeps automatic checkpoints, at a higher
 * threshold (MAIN_THREAD_CHECKPOINT_PAGES): when it runs one, the worker has already copied all but
 * the last fraction of a second, so it is short, it completes, and the log rewinds.
 *
 * Should the worker fail or exit, the writer's default threshold is restored.
 */
const CHECKPOINT_EVERY_MS = 100;
/** About 40 MB of log: at storm rates a checkpoint on the event loop every second or so instead of every ~80 ms. */
const MAIN_THREAD_CHECKPOINT_PAGES = 10_000;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Run as CommonJS in the worker (an `eval` worker): the driver is loaded from the path the main thread resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts background checkpoints for `file`, whose writer connection is `database`. */
export function startCheckpointer(file: string, database: SQLite.Database, onProblem: (message: string) => void = () => undefined): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  let stopping = false;
  const restoreAutomatic = (why: string) => {
    if (!database.open) return;
    database.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    if (!stopping) onProblem(`background WAL checkpoints stopped (${why}); SQLite checkpoints on commit every ${DEFAULT_AUTOCHECKPOINT_PAGES} pages again`);
  };
  worker.once('online', () => {
    if (!stopping && database.open) database.pragma(`wal_autocheckpoint = ${MAIN_THREAD_CHECKPOINT_PAGES}`);
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onProblem(`background WAL checkpoint failed: ${message.error}`);
  });
  worker.once('error', (error) => restoreAutomatic(error.message));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      restoreAutomatic(`worker exited with code ${code}`);
      resolve();
    }),
  );
  return {
    async stop() {
      stopping = true;
      restoreAutomatic('stopping');
      worker.postMessage('stop');
      // A worker that does not finish its last checkpoint promptly is ended; the writer's own close checkpoints anyway.
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
