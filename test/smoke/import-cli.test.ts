/** `npx tocsin import …` as a user runs it: the plan, the import, and the replacement table on stdout. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../harness/databases.js';
import { FakeVendorApi } from '../harness/peers/fake-vendor-api.js';
import { pagerDutyRoutes } from '../harness/fixtures/pagerduty-account.js';
import { loadConfig } from '../../src/app/config.js';
import { migrate, openDatabase } from '../../src/db/connect.js';
import { systemClock } from '../../src/core/clock.js';
import { createPeopleService } from '../../src/people/service.js';

/** The first admin, written in-process (a CLI start costs seconds on a loaded machine). */
async function createAdmin(dataDir: string): Promise<void> {
  const config = loadConfig({ TOCSIN_DATA_DIR: dataDir, TOCSIN_LOG_LEVEL: 'silent' });
  const database = openDatabase(config);
  try {
    await migrate(database);
    await createPeopleService({ db: database.kysely, clock: systemClock, sendCode: async () => undefined, defaultTimeZone: 'UTC' }).create(null, { email: 'ops@example.com', name: 'Ops', role: 'admin' });
  } finally {
    await database.close();
  }
}

const run = promisify(execFile);
// The importer itself runs on both dialects in import-*.test.ts; this checks the command line once.
await testDialects();
const TSX = ['--import', 'tsx', 'src/main.ts'];

describe('tocsin import on the command line', () => {
  let db: TestDatabase;
  let pd: FakeVendorApi;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    pd = await FakeVendorApi.start('Token token=cli-token', pagerDutyRoutes);
  });
  afterAll(async () => {
    await pd?.close();
    await db?.drop();
  });

  it('prints the plan on --dry-run, then imports and ends with the URL replacement table', async () => {
    const env = { ...process.env, TOCSIN_DATA_DIR: db.dataDir, TOCSIN_DATABASE_URL: db.databaseUrl ?? '', TOCSIN_LOG_LEVEL: 'silent', TOCSIN_PUBLIC_URL: 'https://tocsin.example.com' };
    await createAdmin(db.dataDir);

    const plan = await run('node', [...TSX, 'import', 'pagerduty', '--url', pd.url, '--token', 'cli-token', '--dry-run'], { env });
    expect(plan.stdout).toContain('Dry run: nothing was written. Importing from PagerDuty would:');
    expect(plan.stdout).toMatch(/create\s+schedule\s+Primary/);
    expect(plan.stdout).toContain('integration Checkout API / Keynote: PagerDuty integration type keynote_inbound_integration has no Tocsin equivalent');

    const done = await run('node', [...TSX, 'import', 'pagerduty', '--url', pd.url, '--token', 'cli-token'], { env });
    expect(done.stdout).toContain('Imported from PagerDuty:');
    const table = done.stdout.slice(done.stdout.indexOf('Replace URLs in your monitoring tools (2):'));
    expect(table).toMatch(/\| Checkout API \/ Prometheus \| .*\/v2\/enqueue \(routing_key a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\) \| https:\/\/tocsin\.example\.com\/v2\/enqueue \(routing_key [0-9a-f]{32}\) \|/);
  }, 180_000);
});
