import { buildTocsin, type Tocsin } from './wire.js';
import type { Config } from './config.js';

/** Builds Tocsin and listens on the configured address, closing gracefully on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<Tocsin> {
  const tocsin = await buildTocsin({ config });
  await tocsin.app.listen({ port: config.port, host: config.host });
  tocsin.engine.start();
  tocsin.log.info({ url: config.publicUrl, database: tocsin.db.dialect, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'Tocsin is ready');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      tocsin.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    tocsin.log.info({ signal }, 'shutting down: finishing in-flight requests');
    tocsin.close().then(
      () => process.exit(0),
      (error: unknown) => {
        tocsin.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return tocsin;
}
