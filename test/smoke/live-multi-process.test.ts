import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/alertmanager.js';
import { createTestDatabase, TEST_SECRET_KEY, testDialects, type TestDatabase } from '../harness/databases.js';
import { SseClient } from '../harness/sse.js';

const run = promisify(execFile);
const TSX = ['--import', 'tsx', 'src/main.ts'];
const hasPostgres = (await testDialects()).includes('postgres');

/** Live updates across `tocsin serve` processes on one PostgreSQL database (LISTEN/NOTIFY). */
describe.runIf(hasPostgres)('live updates across processes on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  const servers: ChildProcess[] = [];
  const streams: SseClient[] = [];
  afterAll(async () => {
    for (const stream of streams) await stream.close();
    for (const server of servers) server.kill('SIGKILL');
    await database?.drop();
  });

  it('two clients on two processes both see an acknowledgement made through a third within 1 s', { timeout: 120_000 }, async () => {
    database = await createTestDatabase('postgres');
    const env = { ...process.env, TOCSIN_DATA_DIR: database.dataDir, TOCSIN_DATABASE_URL: database.databaseUrl ?? '', TOCSIN_SECRET_KEY: TEST_SECRET_KEY, TOCSIN_LOG_LEVEL: 'warn', TOCSIN_OUTBOUND_DENY: '' };
    await run('node', [...TSX, 'migrate'], { env });
    await run('node', [...TSX, 'user', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--role', 'admin'], { env });
    const apiKey = (await run('node', [...TSX, 'api-key', 'create', '--email', 'ops@example.com'], { env })).stdout.trim();
    const urls: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      servers.push(spawn('node', [...TSX, 'serve'], { env: { ...env, TOCSIN_PORT: String(port), TOCSIN_HOST: '127.0.0.1' }, stdio: 'ignore' }));
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (const url of urls) {
      for (let i = 0; i < 300 && !(await fetch(`${url}/readyz`).then((r) => r.ok, () => false)); i += 1) await new Promise((r) => setTimeout(r, 100));
    }
    const [first, second, third] = urls as [string, string, string];
    const api = async (base: string, path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as Record<string, string>;
    };
    const team = await api(third, '/api/v1/teams', { name: 'Live' });
    const channel = await api(third, '/api/v1/channels', { name: 'Live multi', team_id: team.id });
    const integration = await api(third, `/api/v1/channels/${channel.id}/integrations`, { name: 'std', source: 'standard' });

    const auth = { authorization: `Bearer ${apiKey}` };
    const one = await SseClient.open(`${first}/api/v1/stream`, auth);
    const two = await SseClient.open(`${second}/api/v1/stream`, auth);
    streams.push(one, two);

    await fetch(`${third}/event/push/alert/standard?integration_key=${integration.integration_key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title_rule: 'across nodes', event_status: 'Critical', alert_key: 'across' }),
    });
    const created = await one.waitFor((e) => e.event === 'incident.created' && e.data.title === 'across nodes', 5000);
    await two.waitFor((e) => e.event === 'incident.created' && e.data.id === created.data.id, 5000);

    const acked = await api(third, `/api/v1/incidents/${String(created.data.id)}/ack`, {});
    const ackedAt = Date.now();
    expect(acked.status).toBe('processing');
    const isAck = (e: { event: string; data: Record<string, unknown> }) => e.event === 'incident.updated' && e.data.id === created.data.id && e.data.status === 'processing';
    const [seenByOne, seenByTwo] = await Promise.all([one.waitFor(isAck, 1000), two.waitFor(isAck, 1000)]);
    expect(seenByOne.at - ackedAt).toBeLessThan(1000);
    expect(seenByTwo.at - ackedAt).toBeLessThan(1000);
    // Every node names the same change with the same id, so a client may resume on any of them.
    expect(seenByOne.id).toBe(seenByTwo.id);
  });
});
