import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { freePort } from '../harness/alertmanager.js';
import { createTestDatabase, TEST_SECRET_KEY, testDialects } from '../harness/databases.js';

const run = promisify(execFile);
const dialects = await testDialects();
const TSX = ['--import', 'tsx', 'src/main.ts'];

describe.each(dialects)('durability of accepted events on %s', (dialect) => {
  it('keeps every event answered 2xx when the process is killed with SIGKILL during grouped ingest', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase(dialect);
    const env = { ...process.env, TOCSIN_DATA_DIR: database.dataDir, TOCSIN_DATABASE_URL: database.databaseUrl ?? '', TOCSIN_SECRET_KEY: TEST_SECRET_KEY, TOCSIN_LOG_LEVEL: 'warn', TOCSIN_OUTBOUND_DENY: '' };
    try {
      await run('node', [...TSX, 'user', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--role', 'admin'], { env });
      const apiKey = (await run('node', [...TSX, 'api-key', 'create', '--email', 'ops@example.com'], { env })).stdout.trim();
      const port = await freePort();
      const server = spawn('node', [...TSX, 'serve'], { env: { ...env, TOCSIN_PORT: String(port), TOCSIN_HOST: '127.0.0.1' }, stdio: 'ignore' });
      const exited = new Promise((resolve) => server.on('exit', resolve));
      const base = `http://127.0.0.1:${port}`;
      const accepted: string[] = [];
      try {
        // Start-up through tsx can take tens of seconds when the machine is loaded.
        for (let i = 0; i < 900 && !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i += 1) await new Promise((r) => setTimeout(r, 100));
        const api = (path: string, body: unknown) =>
          fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
            (r) => r.json() as Promise<Record<string, string>>,
          );
        const team = await api('/api/v1/teams', { name: 'Durable team' });
        const channel = await api('/api/v1/channels', { name: 'Durable', team_id: team.id });
        const integration = await api(`/api/v1/channels/${channel.id}/integrations`, { name: 'std', source: 'standard' });
        // 120 requests at once: the write queue commits them in shared batches (group commit), and the
        // kill lands while later batches are still being applied.
        const sends = Array.from({ length: 120 }, (_, i) =>
          fetch(`${base}/event/push/alert/standard?integration_key=${integration.integration_key}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title_rule: `event ${i}`, event_status: 'Critical', alert_key: `k${i}` }),
          }).then(
            (r) => {
              if (r.status === 200) accepted.push(`k${i}`);
              // Kill the process the moment the first half has been answered: no graceful anything.
              if (accepted.length === 60) server.kill('SIGKILL');
            },
            () => undefined,
          ),
        );
        await Promise.all(sends);
      } finally {
        server.kill('SIGKILL');
        await exited;
      }
      expect(accepted.length).toBeGreaterThanOrEqual(60);
      const db = openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      try {
        const rows = await db.kysely.selectFrom('alerts').select('alert_key').execute();
        const stored = new Set(rows.map((r) => r.alert_key));
        for (const key of accepted) expect(stored.has(key), `${key} was answered 200 but is missing`).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  });
});
