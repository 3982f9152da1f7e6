/**
 * Analytics over a year of data on both dialects: seeds incidents, alerts, acknowledgements and SMS
 * pages straight into a fresh database, then times each analytics query as the API runs it.
 * `npx tsx bench/analytics.ts [incidents]` prints one JSON line.
 */
import { sql, type Insertable } from 'kysely';
import { migrate, openDatabase } from '../src/db/connect.js';
import type { AlertsTable, IncidentsTable, MessagesTable, TimelineTable } from '../src/db/schema.js';
import { newId } from '../src/core/ids.js';
import { createAnalyticsService } from '../src/analytics/service.js';
import type { ChannelsService } from '../src/channels/service.js';
import type { Actor } from '../src/people/model.js';
import { createTestDatabase, testDialects, type DialectName } from '../test/harness/databases.js';

const INCIDENTS = Number(process.argv[2] ?? 40_000);
const YEAR = 365 * 86_400_000;
const END = Date.UTC(2026, 11, 1);
const START = END - YEAR;
const CHANNELS = 10;

async function run(dialect: DialectName): Promise<Record<string, number>> {
  const database = await createTestDatabase(dialect);
  const db = openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
  try {
    await migrate(db);
    const k = db.kysely;
    const now = START;
    await k.insertInto('teams').values({ id: 'team', name: 'Team', description: '', created_at: now, updated_at: now }).execute();
    for (let c = 0; c < CHANNELS; c += 1) {
      await k.insertInto('channels').values({ id: `ch${c}`, name: `Channel ${c}`, description: '', team_id: 'team', private: 0, disabled: 0, created_at: now, updated_at: now }).execute();
    }
    await k.insertInto('persons').values({ id: 'p1', email: 'p1@example.com', name: 'P1', role: 'responder', status: 'active', password_hash: null, phone: null, email_verified_at: null, phone_verified_at: null, time_zone: 'Europe/Berlin', locale: 'en', created_at: now, updated_at: now }).execute();
    const seedStarted = performance.now();
    const BATCH = 200;
    for (let i = 0; i < INCIDENTS; i += BATCH) {
      const incidents: Insertable<IncidentsTable>[] = [];
      const alerts: Insertable<AlertsTable>[] = [];
      const timeline: Insertable<TimelineTable>[] = [];
      const messages: Insertable<MessagesTable>[] = [];
      for (let j = i; j < Math.min(INCIDENTS, i + BATCH); j += 1) {
        const at = START + Math.floor((j / INCIDENTS) * YEAR);
        const id = newId(at);
        const ack = j % 4 === 0 ? null : at + ((j * 37) % 1800) * 1000;
        const closed = j % 5 === 0 ? null : at + ((j * 53) % 7200) * 1000 + 60_000;
        incidents.push({ id, number: j + 1, channel_id: `ch${j % CHANNELS}`, title: `incident ${j}`, description: '', severity: 'Critical', status: closed ? 'closed' : 'triggered', labels_json: JSON.stringify({ service: `svc${j % 7}` }), group_key: null, alert_count: 2, active_alert_count: 0, edited_fields: '[]', storm_level: 0, created_at: at, updated_at: at, last_merge_at: at, acknowledged_at: ack, closed_at: closed, root_cause: null, resolution: null });
        for (let a = 0; a < 2; a += 1) {
          alerts.push({ id: newId(at), channel_id: `ch${j % CHANNELS}`, integration_id: null, incident_id: id, alert_key: `k${j}-${a}`, title: 't', description: '', severity: 'Critical', status: 'Ok', labels_json: '{}', suppressed_by: null, event_count: 3, state: 'active', flapping: 0, flap_changes: '[]', muted_until: null, first_event_at: at, last_event_at: at, recovered_at: closed, created_at: at });
        }
        timeline.push({ id: newId(at), incident_id: id, kind: 'created', actor_id: null, data_json: '{}', created_at: at });
        if (ack) timeline.push({ id: newId(ack), incident_id: id, kind: 'acknowledged', actor_id: 'p1', data_json: '{}', created_at: ack });
        messages.push({ id: newId(at), key: `m${j}`, incident_id: id, person_id: 'p1', provider_id: null, method: 'sms', kind: 'trigger', recipient_json: '{}', payload_json: '{}', status: 'sent', attempts: 1, next_attempt_at: at, locked_by: null, locked_until: null, last_error: null, created_at: at, sent_at: at });
      }
      await k.transaction().execute(async (trx) => {
        await trx.insertInto('incidents').values(incidents).execute();
        await trx.insertInto('alerts').values(alerts).execute();
        await trx.insertInto('timeline').values(timeline).execute();
        await trx.insertInto('messages').values(messages).execute();
      });
    }
    const seedMs = Math.round(performance.now() - seedStarted);
    if (dialect === 'postgres') await sql`analyze`.execute(k);
    const analytics = createAnalyticsService({ db: k, clock: { now: () => END }, channels: {} as ChannelsService });
    const admin = { person: { id: 'admin', role: 'admin' }, teamIds: new Set<string>(), via: 'api_key' } as unknown as Actor;
    const year = { from: String(START), to: String(END) };
    const month = { from: String(END - 30 * 86_400_000), to: String(END) };
    const time = async (fn: () => Promise<unknown>) => {
      await fn(); // warm
      const t = performance.now();
      await fn();
      return Math.round(performance.now() - t);
    };
    return {
      incidents: INCIDENTS,
      seed_ms: seedMs,
      summary_year_ms: await time(() => analytics.summary(admin, year)),
      summary_month_ms: await time(() => analytics.summary(admin, month)),
      summary_year_one_channel_ms: await time(() => analytics.summary(admin, { ...year, channelId: undefined, teamId: 'team' })),
      daily_year_ms: await time(() => analytics.daily(admin, year)),
      breakdown_label_year_ms: await time(() => analytics.breakdown(admin, { ...year, by: 'label', labelKey: 'service' })),
      interruptions_year_ms: await time(() => analytics.interruptions(admin, year)),
      export_csv_year_ms: await time(() => analytics.exportCsv(admin, year)),
    };
  } finally {
    await db.close();
    await database.drop();
  }
}

const out: Record<string, Record<string, number>> = {};
for (const dialect of await testDialects()) out[dialect] = await run(dialect);
console.log(JSON.stringify({ analytics: out }));
