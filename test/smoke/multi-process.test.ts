import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/alertmanager.js';
import { createTestDatabase, TEST_SECRET_KEY, testDialects, type TestDatabase } from '../harness/databases.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const run = promisify(execFile);
const TSX = ['--import', 'tsx', 'src/main.ts'];
const hasPostgres = (await testDialects()).includes('postgres');
const INCIDENTS = 300;

/**
 * Three real `tocsin serve` processes on one PostgreSQL database, one of them killed midway. The
 * group chats answer slowly (1 s) and leases are short (3 s): work that outlasts its lease without
 * renewal would be taken over and sent twice, so the exactly-once assertion covers lease renewal.
 */
describe.runIf(hasPostgres)('several Tocsin processes on one PostgreSQL', () => {
  let database: TestDatabase | undefined;
  const servers: ChildProcess[] = [];
  let peer: HttpPeer | undefined;
  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await peer?.close();
    await database?.drop();
  });

  it('sends every level-2 message exactly once although a process dies with SIGKILL', { timeout: 600_000 }, async () => {
    database = await createTestDatabase('postgres');
    peer = await HttpPeer.start();
    peer.delayMs = 1000;
    const env = { ...process.env, TOCSIN_DATA_DIR: database.dataDir, TOCSIN_DATABASE_URL: database.databaseUrl ?? '', TOCSIN_SECRET_KEY: TEST_SECRET_KEY, TOCSIN_LOG_LEVEL: 'warn', TOCSIN_ENGINE_LEASE_MS: '3000', TOCSIN_OUTBOUND_DENY: '' };
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
      // Generous: three processes compiling TypeScript at once on a loaded 2-core machine take a while.
      for (let i = 0; i < 900 && !(await fetch(`${url}/readyz`).then((r) => r.ok, () => false)); i += 1) await new Promise((r) => setTimeout(r, 100));
    }
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${urls[0]}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as Record<string, string>;
    };
    const team = await api('/api/v1/teams', { name: 'Multi' });
    const channel = await api('/api/v1/channels', { name: 'Multi-node', team_id: team.id });
    const integration = await api(`/api/v1/channels/${channel.id}/integrations`, { name: 'std', source: 'standard', settings: { rate_limit: { per_second: 10_000, per_minute: 600_000 } } });
    const level1 = await api('/api/v1/notification-providers', { provider: 'webhook', name: 'Level 1 room', settings: { url: `${peer.url}/level-1` } });
    const level2 = await api('/api/v1/notification-providers', { provider: 'webhook', name: 'Level 2 room', settings: { url: `${peer.url}/level-2` } });
    await api(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Two rooms',
      spec: {
        levels: [
          { targets: { group_chats: [level1.id] }, methods: { kind: 'preferences' }, escalate_after_min: 1 },
          { targets: { group_chats: [level2.id] }, methods: { kind: 'preferences' }, escalate_after_min: 1 },
        ],
      },
    });

    // Spread the incidents over the three processes, 20 at a time. After the first 100, one process
    // dies (SIGKILL) and the rest go to the other two: level-1 pages are going out, level-2 steps are
    // queued, due a minute after each push. The kill comes before any level-2 page is due on purpose:
    // a page in flight at a SIGKILL can reach the vendor without being recorded, and no lease can
    // tell the next node it already arrived (at-least-once in that window, ADR 0015).
    const alive = [0, 2];
    for (let start = 0; start < INCIDENTS; start += 20) {
      if (start === 100) servers[1]?.kill('SIGKILL');
      await Promise.all(
        Array.from({ length: Math.min(20, INCIDENTS - start) }, (_, j) => {
          const i = start + j;
          const target = start < 100 ? i % 3 : (alive[i % 2] ?? 0);
          return fetch(`${urls[target]}/event/push/alert/standard?integration_key=${integration.integration_key}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title_rule: `multi ${i}`, event_status: 'Critical', alert_key: `multi-${i}` }),
          });
        }),
      );
    }

    const deadline = Date.now() + 240_000;
    const level2Requests = () => peer?.requests.filter((r) => r.path === '/level-2') ?? [];
    while (level2Requests().length < INCIDENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 3000)); // any duplicate would arrive by now

    const perIncident = new Map<number, number>();
    for (const request of level2Requests()) {
      const body = JSON.parse(request.body) as { incident: { number: number } };
      perIncident.set(body.incident.number, (perIncident.get(body.incident.number) ?? 0) + 1);
    }
    expect(perIncident.size).toBe(INCIDENTS);
    expect([...perIncident.values()].filter((n) => n !== 1)).toEqual([]);
    const level1Incidents = new Set(peer.requests.filter((r) => r.path === '/level-1').map((r) => (JSON.parse(r.body) as { incident: { number: number } }).incident.number));
    expect(level1Incidents.size).toBe(INCIDENTS);
  });
});
