import { resolve } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { buildTocsin, createLogger, type Tocsin } from '../../src/app/wire.js';
import { ManualClock } from '../../src/core/clock.js';
import { ApiClient } from './client.js';
import { createTestDatabase, TEST_SECRET_KEY, type DialectName } from './databases.js';
import { freePort } from './alertmanager.js';

export const ADMIN_PASSWORD = 'admin password 123';
export const PASSWORD = 'responder password 123';

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
}

export interface IncidentView {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly channel_id: string;
  readonly alert_count: number;
  readonly active_alert_count: number;
  readonly labels: Record<string, string>;
  readonly created_at: number;
}

export interface AlertView {
  readonly id: string;
  readonly alert_key: string;
  readonly incident_id: string | null;
  readonly status: string;
  readonly state: string;
  readonly flapping: boolean;
  readonly event_count: number;
  readonly labels: Record<string, string>;
  readonly title: string;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** '30m' → 1 800 000. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`bad duration ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * A real Tocsin listening on 127.0.0.1 with its own fresh database and a manual clock, plus the
 * helpers a test needs to set the scene through the public API.
 */
export class Harness {
  private counter = 0;
  /** The first administrator, authenticated by API key so clock jumps never sign it out. */
  admin: ApiClient;

  private constructor(
    readonly tocsin: Tocsin,
    readonly url: string,
    readonly clock: ManualClock,
    readonly dialect: DialectName,
    private readonly dropDatabase: () => Promise<void>,
  ) {
    this.admin = new ApiClient(url);
  }

  /** `databaseUrl` rewrites the PostgreSQL URL Tocsin uses (e.g. to go through a test's TCP proxy). */
  static async start(
    dialect: DialectName,
    options: { devMode?: boolean; env?: Record<string, string>; skipSetup?: boolean; databaseUrl?: (url: string) => string } = {},
  ): Promise<Harness> {
    const database = await createTestDatabase(dialect);
    // A known port, so the public URL (signed vendor callbacks, links in messages) is the real address.
    const port = await freePort();
    const config = loadConfig(
      {
        TOCSIN_DATA_DIR: database.dataDir,
        TOCSIN_DATABASE_URL: database.databaseUrl && options.databaseUrl ? options.databaseUrl(database.databaseUrl) : database.databaseUrl,
        ...(database.databaseUrl && { TOCSIN_SECRET_KEY: TEST_SECRET_KEY }),
        TOCSIN_PORT: String(port),
        TOCSIN_PUBLIC_URL: `http://127.0.0.1:${port}`,
        TOCSIN_HOST: '127.0.0.1',
        TOCSIN_DEV_MODE: options.devMode ? 'true' : 'false',
        TOCSIN_LOG_LEVEL: process.env.TOCSIN_TEST_LOG_LEVEL ?? 'silent',
        // The fake peers listen on 127.0.0.1, which the production default refuses.
        TOCSIN_OUTBOUND_DENY: '',
        ...options.env,
      },
      { webDir: resolve('web/dist') },
    );
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));
    const tocsin = await buildTocsin({ config, clock, logger: createLogger(config) });
    const address = await tocsin.app.listen({ port, host: '127.0.0.1' });
    const harness = new Harness(tocsin, address, clock, dialect, database.drop);
    if (options.skipSetup) return harness;
    const setup = await harness.admin.post('/api/v1/setup', { email: 'admin@example.com', name: 'Ada Admin', password: ADMIN_PASSWORD });
    if (setup.status !== 201) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
    const key = await harness.admin.post<{ key: string }>('/api/v1/me/api-keys', { name: 'harness' });
    harness.admin = harness.admin.withApiKey(key.body.key);
    return harness;
  }

  /** Moves the manual clock forward ('30m', '2h', ...), running every engine job that falls due, in order. */
  async advance(duration: string): Promise<void> {
    await this.tocsin.engine.runUntil(this.clock.now() + durationMs(duration), (instant) => this.clock.set(instant));
  }

  /** A new, signed-out client. */
  client(): ApiClient {
    return new ApiClient(this.url);
  }

  /** Creates a person through the admin API and returns a client signed in as them. */
  async person(role: 'admin' | 'responder' | 'viewer' = 'responder', name?: string): Promise<{ person: Person; client: ApiClient }> {
    this.counter += 1;
    const email = `person${this.counter}@example.com`;
    const created = await this.admin.post<Person>('/api/v1/users', { email, name: name ?? `Person ${this.counter}`, role, password: PASSWORD });
    if (created.status !== 201) throw new Error(`creating person failed: ${JSON.stringify(created.body)}`);
    const client = this.client();
    const login = await client.post('/api/v1/auth/login', { email, password: PASSWORD });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return { person: created.body, client };
  }

  /** Creates a team (as admin) with the given members. */
  async team(name: string, members: readonly Person[] = []): Promise<Team> {
    const created = await this.admin.post<Team>('/api/v1/teams', { name });
    if (created.status !== 201) throw new Error(`creating team failed: ${JSON.stringify(created.body)}`);
    for (const member of members) {
      const added = await this.admin.post(`/api/v1/teams/${created.body.id}/members`, { person_id: member.id });
      if (added.status !== 201) throw new Error(`adding member failed: ${JSON.stringify(added.body)}`);
    }
    return created.body;
  }

  /** Creates a channel (as admin), owned by a new team unless one is given. */
  async channel(name: string, options: { teamId?: string; private?: boolean } = {}): Promise<{ id: string; name: string }> {
    const teamId = options.teamId ?? (await this.team(`${name} team`)).id;
    const created = await this.admin.post<{ id: string; name: string }>('/api/v1/channels', { name, team_id: teamId, private: options.private ?? false });
    if (created.status !== 201) throw new Error(`creating channel failed: ${JSON.stringify(created.body)}`);
    return created.body;
  }

  /** Adds a dedicated integration to a channel and returns its key and push URL. */
  async integration(channelId: string, source: string, settings?: Record<string, unknown>): Promise<{ id: string; key: string; pushUrl: string }> {
    const created = await this.admin.post<{ id: string; integration_key: string; push_url: string }>(`/api/v1/channels/${channelId}/integrations`, {
      name: `${source} integration`,
      source,
      ...(settings && { settings }),
    });
    if (created.status !== 201) throw new Error(`creating integration failed: ${JSON.stringify(created.body)}`);
    return { id: created.body.id, key: created.body.integration_key, pushUrl: created.body.push_url };
  }

  /** POSTs a JSON body to a push path such as `/event/push/alert/standard?integration_key=…`. */
  async push<T = Record<string, unknown>>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
  }

  /** Incidents of a channel, newest first. */
  async incidents(channelId: string, status?: string): Promise<IncidentView[]> {
    const listed = await this.admin.get<{ data: IncidentView[] }>(`/api/v1/incidents?channel_id=${channelId}${status ? `&status=${status}` : ''}&limit=100`);
    return listed.body.data;
  }

  /** Alerts of a channel, newest first. */
  async alerts(channelId: string): Promise<AlertView[]> {
    const listed = await this.admin.get<{ data: AlertView[] }>(`/api/v1/alerts?channel_id=${channelId}&limit=100`);
    return listed.body.data;
  }

  /** Verifies a person's email through the real code flow (needs `devMode: true`). */
  async verifyEmail(client: ApiClient, personId: string): Promise<void> {
    const sent = await client.post('/api/v1/me/verifications', { kind: 'email' });
    if (sent.status !== 202) throw new Error(`sending a code failed: ${JSON.stringify(sent.body)}`);
    const code = await this.admin.get<{ code: string }>(`/api/v1/dev/verification-codes/${personId}/email`);
    const confirmed = await client.post('/api/v1/me/verifications/confirm', { kind: 'email', code: code.body.code });
    if (confirmed.status !== 200) throw new Error(`confirming failed: ${JSON.stringify(confirmed.body)}`);
  }

  /** Configures a notification provider (as admin) and returns its id. */
  async provider(provider: string, name: string, settings: Record<string, unknown>): Promise<string> {
    const created = await this.admin.post<{ id: string }>('/api/v1/notification-providers', { provider, name, settings });
    if (created.status !== 201) throw new Error(`configuring ${provider} failed: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  async stop(): Promise<void> {
    await this.tocsin.close();
    await this.dropDatabase();
  }
}
