import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './app/config.js';
import { serve } from './app/server.js';
import { buildTocsin, createLogger } from './app/wire.js';
import { isVendor, renderReport, VENDORS } from './imports/model.js';
import { runImport } from './imports/run.js';
import { firstAdminId } from './imports/store.js';
import { migrate, openDatabase } from './db/connect.js';
import { systemClock } from './core/clock.js';
import { AppError } from './core/errors.js';
import { createPeopleService } from './people/service.js';
import { createAuthService } from './people/auth-service.js';
import { findCredentials } from './people/store.js';
import { normalizeEmail } from './people/model.js';
import { seedDemo } from './app/demo.js';
import { sendTestEvent } from './app/send.js';

const USAGE = `Usage: tocsin <command>

Commands:
  serve                                   run the server (API, console, engine)
  migrate                                 apply database migrations and exit
  user create --email E --name N [--password P] [--role admin|responder|viewer]
  api-key create --email E [--name N]     print a new API key for that person
  demo                                    seed an example organisation (teams, people, schedules,
                                          channels, rules and a few days of incidents)
  send --integration-key K [--severity Critical|Warning|Info|Ok] [--title T]
       [--description D] [--alert-key A] [--url U]
                                          fire a test event at an integration of a running Tocsin
  import opsgenie|pagerduty|grafana-oncall --url URL --token T [--dry-run] [--as EMAIL]
                                          import people, teams, schedules, escalation policies and
                                          services; --dry-run prints the plan and writes nothing

Configuration comes from TOCSIN_* environment variables (see README).`;

/** Opens and migrates the configured database for a one-shot command. */
async function withDatabase<T>(config: Config, run: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const db = openDatabase(config);
  try {
    await migrate(db);
    return await run(db);
  } finally {
    await db.close();
  }
}

async function userCreate(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'responder' } } });
  if (!values.email || !values.name) throw new Error('user create needs --email and --name');
  await withDatabase(config, async (db) => {
    const people = createPeopleService({ db: db.kysely, clock: systemClock, sendCode: async () => undefined, defaultTimeZone: config.defaultTimeZone });
    const person = await people.create(null, { email: values.email, name: values.name, role: values.role, password: values.password });
    console.log(`created ${person.role} ${person.email} (${person.id})`);
  });
}

async function apiKeyCreate(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string', default: 'cli' } } });
  if (!values.email) throw new Error('api-key create needs --email');
  await withDatabase(config, async (db) => {
    const found = await findCredentials(db.kysely, normalizeEmail(values.email ?? ''));
    if (!found) throw new Error(`no person with email ${values.email}`);
    const auth = createAuthService({ db: db.kysely, clock: systemClock, log: createLogger({ logLevel: 'silent' }), sessionTtlMs: 0 });
    const key = await auth.createApiKey(null, found.person.id, values.name ?? 'cli');
    console.log(key.key);
  });
}

async function demo(config: Config): Promise<void> {
  console.log('Seeding the demo organisation (this replays four days of incidents)…');
  const result = await seedDemo(buildTocsin, config, createLogger({ logLevel: 'warn' }));
  console.log(`Created ${result.teams} teams, ${result.people} people, ${result.channels} channels and ${result.incidents} incidents.`);
  if (result.admin) {
    console.log(`\nSign in at ${config.publicUrl} as ${result.admin.email} with password ${result.admin.password}`);
    console.log('(shown once; change it in the personal center)');
  } else {
    console.log(`\nOpen ${config.publicUrl} and sign in as before; the demo teams end in "(demo)".`);
  }
  console.log('Nobody is paged: the demo people have no verified contact.');
}

async function send(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'integration-key': { type: 'string' },
      severity: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      'alert-key': { type: 'string' },
      url: { type: 'string' },
    },
  });
  const integrationKey = values['integration-key'];
  if (!integrationKey) throw new Error('send needs --integration-key (shown on the integration in the console)');
  const baseUrl = values.url ?? config.publicUrl;
  const result = await sendTestEvent({ baseUrl, integrationKey, severity: values.severity, title: values.title, description: values.description, alertKey: values['alert-key'] });
  console.log(`sent: alert key ${result.alertKey} (request ${result.requestId})`);
  console.log(`recover it with: npx tocsin send --integration-key ${integrationKey} --alert-key ${result.alertKey} --severity Ok`);
}

/** `tocsin import <vendor>`: acts as the first admin (or --as EMAIL); the engine is not started, so nothing is paged. */
async function importCommand(config: Config, vendor: string | undefined, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, token: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, as: { type: 'string' } } });
  if (!vendor || !isVendor(vendor)) throw new Error(`import needs a tool: ${VENDORS.join(', ')}`);
  if (!values.url || !values.token) throw new Error('import needs --url and --token');
  const tocsin = await buildTocsin({ config, logger: createLogger({ logLevel: 'silent' }) });
  try {
    const db = tocsin.db.kysely;
    const adminId = values.as ? (await findCredentials(db, normalizeEmail(values.as)))?.person.id : await firstAdminId(db);
    if (!adminId) throw new Error(values.as ? `no person with email ${values.as}` : 'create an admin first (tocsin user create --role admin)');
    const person = await tocsin.services.people.get(adminId);
    const ctx = { actor: { person, teamIds: new Set<string>(), via: 'api_key' as const }, requestId: `import-${Date.now()}` };
    const report = await runImport({ imports: tocsin.services.imports, clock: systemClock }, ctx, { vendor, url: values.url, token: values.token, dryRun: values['dry-run'] ?? false });
    console.log(renderReport(report));
  } finally {
    await tocsin.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  // `tocsin send --help` asks for help, not for an option called "help".
  if (!command || command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  if (command === 'serve') {
    await serve(config);
    return;
  }
  if (command === 'migrate') {
    const applied = await withDatabase(config, async () => []);
    console.log(`migrations are up to date${applied.length ? `: ${applied.join(', ')}` : ''}`);
    return;
  }
  if (command === 'user' && sub === 'create') return userCreate(config, rest);
  if (command === 'api-key' && sub === 'create') return apiKeyCreate(config, rest);
  if (command === 'demo') return demo(config);
  if (command === 'send') return send(config, argv.slice(1));
  if (command === 'import') return importCommand(config, sub, rest);
  throw new Error(`unknown command "${[command, sub].filter(Boolean).join(' ')}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof AppError) console.error(`error: ${error.message}`);
  else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
