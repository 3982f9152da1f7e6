import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTestDatabase, TEST_SECRET_KEY, type DialectName, type TestDatabase } from '../test/harness/databases.js';
import { freePort } from '../test/harness/alertmanager.js';

const run = promisify(execFile);

/** The compiled server when built (as users run it), else the sources through tsx. */
function command(): string[] {
  return existsSync('dist/main.js') ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
}

/** A Tocsin server in its own process on a fresh database, with an admin API key. */
export class BenchServer {
  private constructor(
    readonly url: string,
    readonly apiKey: string,
    private readonly child: ChildProcess,
    readonly database: TestDatabase,
  ) {}

  /** `nodeArgs` go to the serving process only (e.g. `--cpu-prof`). */
  static async start(dialect: DialectName, options: { nodeArgs?: readonly string[] } = {}): Promise<BenchServer> {
    const database = await createTestDatabase(dialect);
    const env = { ...process.env, TOCSIN_DATA_DIR: database.dataDir, TOCSIN_DATABASE_URL: database.databaseUrl ?? '', TOCSIN_SECRET_KEY: TEST_SECRET_KEY, TOCSIN_LOG_LEVEL: 'warn', TOCSIN_OUTBOUND_DENY: '' };
    await run('node', [...command(), 'user', 'create', '--email', 'bench@example.com', '--name', 'Bench', '--role', 'admin'], { env });
    const apiKey = (await run('node', [...command(), 'api-key', 'create', '--email', 'bench@example.com'], { env })).stdout.trim();
    const port = await freePort();
    const child = spawn('node', [...(options.nodeArgs ?? []), ...command(), 'serve'], { env: { ...env, TOCSIN_PORT: String(port), TOCSIN_HOST: '127.0.0.1' }, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    // Generous: on a loaded machine start-up can take far longer than the usual second or two.
    let ready = false;
    for (let i = 0; i < 1200 && !ready; i += 1) {
      ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) throw new Error(`the ${dialect} server did not become ready within 120 s`);
    return new BenchServer(url, apiKey, child, database);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async api<T = Record<string, string>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A channel with a standard integration; returns its push URL. */
  async standardIntegration(name: string): Promise<string> {
    const team = await this.api('POST', '/api/v1/teams', { name: `${name} team` });
    const channel = await this.api('POST', '/api/v1/channels', { name, team_id: team.id });
    const integration = await this.api('POST', `/api/v1/channels/${channel.id}/integrations`, {
      name: 'bench',
      source: 'standard',
      settings: { rate_limit: { per_second: 10_000, per_minute: 600_000 } },
    });
    return `${this.url}/event/push/alert/standard?integration_key=${integration.integration_key}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs` (a profiling run needs a clean exit to write its profile). */
  async stop(graceMs = 5000): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.database.drop();
  }
}
