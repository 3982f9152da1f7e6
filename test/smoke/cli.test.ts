import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_SECRET_KEY, testDialects, type TestDatabase } from '../harness/databases.js';

const run = promisify(execFile);
const dialects = await testDialects();
const TSX = ['--import', 'tsx', 'src/main.ts'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.each(dialects)('the tocsin CLI on %s', (dialect) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  async function environment(): Promise<NodeJS.ProcessEnv> {
    const db = await createTestDatabase(dialect);
    databases.push(db);
    return { ...process.env, TOCSIN_DATA_DIR: db.dataDir, TOCSIN_DATABASE_URL: db.databaseUrl ?? '', TOCSIN_SECRET_KEY: TEST_SECRET_KEY, TOCSIN_LOG_LEVEL: 'info', TOCSIN_OUTBOUND_DENY: '' };
  }

  it('migrates, creates an admin and an API key, serves with it, and shuts down cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const env = await environment();
    expect((await run('node', [...TSX, 'migrate'], { env })).stdout).toContain('migrations are up to date');
    const created = await run('node', [...TSX, 'user', 'create', '--email', 'Ops@Example.com', '--name', 'Ops', '--password', 'cli password 1234', '--role', 'admin'], { env });
    expect(created.stdout).toMatch(/created admin ops@example.com/);
    const key = (await run('node', [...TSX, 'api-key', 'create', '--email', 'ops@example.com'], { env })).stdout.trim();
    expect(key).toMatch(/^tcn_/);

    const port = await freePort();
    const server = spawn('node', [...TSX, 'serve'], { env: { ...env, TOCSIN_PORT: String(port), TOCSIN_HOST: '127.0.0.1' } });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 600 && !output.includes('Tocsin is ready'); i += 1) await new Promise((r) => setTimeout(r, 100));
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(await me.json()).toMatchObject({ email: 'ops@example.com', role: 'admin' });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
    // Structured logs: one JSON object per line.
    const firstLine = output.split('\n').find((line) => line.startsWith('{'));
    expect(JSON.parse(firstLine ?? '{}')).toHaveProperty('level');
  });

  it('rejects bad configuration with a message naming the variable', { timeout: 120_000 }, async () => {
    const env = { ...(await environment()), TOCSIN_PORT: 'http' };
    const failure = await run('node', [...TSX, 'migrate'], { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('TOCSIN_PORT: must be an integer');
  });

  it('explains a duplicate user instead of crashing', { timeout: 120_000 }, async () => {
    const env = await environment();
    const args = [...TSX, 'user', 'create', '--email', 'a@example.com', '--name', 'A'];
    await run('node', args, { env });
    const failure = await run('node', args, { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.stderr).toContain('email: a person with this email already exists');
  });
});

describe('tocsin --help', () => {
  it.each(['--help', 'send --help', 'demo -h'])('prints the usage for "tocsin %s" instead of an error', { timeout: 60_000 }, async (command) => {
    const { stdout } = await run('node', [...TSX, ...command.split(' ')], { env: { ...process.env, TOCSIN_LOG_LEVEL: 'silent' } });
    expect(stdout).toContain('send --integration-key K');
  });
});
