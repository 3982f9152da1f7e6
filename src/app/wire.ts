import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { type Clock, systemClock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Api } from '../core/api.js';
import { migrateWhenReachable, openDatabase, type Db } from '../db/connect.js';
import { createWriteQueue } from '../db/write-queue.js';
import { ingestLocker } from '../db/ingest-locks.js';
import { createAuthService } from '../people/auth-service.js';
import { createPeopleService } from '../people/service.js';
import { createTeamsService } from '../people/teams-service.js';
import { DevCodeBox } from '../people/dev-codes.js';
import { registerAuthRoutes } from '../people/auth-routes.js';
import { registerPeopleRoutes } from '../people/routes.js';
import { registerTeamRoutes } from '../people/teams-routes.js';
import { registerDevRoutes } from '../people/dev-routes.js';
import { createChannelsService } from '../channels/service.js';
import { registerChannelRoutes } from '../channels/routes.js';
import { createIntegrationsService } from '../integrations/service.js';
import { registerIntegrationRoutes } from '../integrations/routes.js';
import { validateIntegrationSettings } from '../integrations/settings-validation.js';
import { createIngestService } from '../integrations/ingest-service.js';
import { Engine } from '../engine/engine.js';
import { openWakeChannel } from '../db/wake.js';
import { idleCloseModule } from '../engine/modules/idle-close.js';
import { snoozeModule } from '../engine/modules/snooze.js';
import { escalateModule } from '../engine/modules/escalate.js';
import { deliverLoop, legacyDeliverJobs } from '../engine/modules/deliver.js';
import { followUpHooks, followUpModule } from '../engine/modules/follow-up.js';
import { cleanupModule, scheduleCleanup } from '../engine/modules/cleanup.js';
import { createEscalationService } from '../escalation/service.js';
import { registerEscalationRoutes } from '../escalation/routes.js';
import { ruleNames, visibleScheduleIds } from '../escalation/names.js';
import { BUILTIN_PROVIDERS, createRegistry } from '../notify/registry.js';
import { createNotifyService } from '../notify/service.js';
import { registerNotifyRoutes } from '../notify/routes.js';
import { createChannelTemplatesService } from '../notify/channel-templates.js';
import { registerTemplateRoutes } from '../notify/template-routes.js';
import { createImLinkService } from '../notify/im-link-service.js';
import { registerImLinkRoutes } from '../notify/im-link-routes.js';
import { registerActionLinkRoutes } from '../notify/action-routes.js';
import { createVerificationSender } from '../notify/verification.js';
import { createCallbackService } from '../notify/callback-service.js';
import { registerCallbackRoutes } from '../notify/callback-routes.js';
import { runEscalationStep } from '../notify/escalation-step.js';
import { performLinkAction } from '../incidents/service.js';
import type { IncidentHooks } from '../incidents/lifecycle.js';
import { registerPushRoutes } from '../integrations/push-routes.js';
import { createSnsGate, httpsGetVia, type HttpGet } from '../integrations/sns.js';
import { createOutbound } from '../net/outbound.js';
import { createOpsgenieService } from '../integrations/opsgenie-service.js';
import { createImportService } from '../imports/service.js';
import { registerImportRoutes } from '../imports/routes.js';
import { startEmailListener, type EmailListener } from '../integrations/email/listener.js';
import { createRulesService } from '../alerts/rules-service.js';
import { registerRuleRoutes } from '../alerts/routes.js';
import { createIncidentsService } from '../incidents/service.js';
import { registerIncidentRoutes } from '../incidents/routes.js';
import { createIncidentActions } from '../incidents/actions.js';
import { createIncidentReads } from '../incidents/reads.js';
import { createFieldsService } from '../incidents/fields-service.js';
import { registerIncidentActionRoutes } from '../incidents/actions-routes.js';
import { escalationControl } from '../escalation/manual.js';
import { pageModule } from '../engine/modules/page.js';
import { createChangeEvents } from '../integrations/change-events.js';
import { createSchedulesService } from '../schedules/service.js';
import { registerScheduleRoutes } from '../schedules/routes.js';
import { registerIcalRoutes } from '../schedules/ical-routes.js';
import { installErrorHandling } from '../http/errors.js';
import { installBodyParsers } from '../http/body-parsers.js';
import { installAuthentication } from '../http/auth.js';
import { installSecurityHeaders } from '../http/security-headers.js';
import { serializeRequest } from '../http/request-log.js';
import { createMetrics, installRequestMetrics } from '../http/metrics.js';
import { registerOpenApi } from '../http/openapi.js';
import { registerSystemRoutes } from '../http/system-routes.js';
import { registerConsole } from '../http/console.js';
import { registerDemoRoutes } from './demo-routes.js';
import { registerOnboardingRoutes } from '../people/onboarding-routes.js';
import { seedDemo } from './demo.js';
import { LiveHub, registerLiveRoutes } from '../http/live.js';
import { installSelfMetrics } from '../http/self-metrics.js';
import { createWebhooksService } from '../webhooks/service.js';
import { registerWebhookRoutes } from '../webhooks/routes.js';
import { webhookDeliverModule, webhookScanModule } from '../engine/modules/webhooks.js';
import { createHeartbeatService } from '../integrations/heartbeat.js';
import { heartbeatModule } from '../engine/modules/heartbeat.js';
import { createAnalyticsService } from '../analytics/service.js';
import { registerAnalyticsRoutes } from '../analytics/routes.js';
import { createTestNotifier } from '../notify/test-notifications.js';
import { registerTestNotificationRoutes } from '../notify/test-routes.js';
import { ensureBuiltinWebPush } from '../notify/builtin-webpush.js';
import { createPushDevicesService } from '../notify/push-devices-service.js';
import { registerPushDeviceRoutes } from '../notify/push-devices-routes.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A built Tocsin: the HTTP app, its database and the services, ready to listen. */
export interface Tocsin {
  readonly app: Api;
  readonly db: Db;
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly services: ReturnType<typeof buildServices>;
  /** Durable timers; `serve` starts its loop, tests drive it with `engine.runUntil`. */
  readonly engine: Engine;
  /** The SMTP listener of email integrations; undefined unless TOCSIN_SMTP_PORT is set. */
  readonly emailListener: EmailListener | undefined;
  /** Live updates (SSE): tails the change feed for connected consoles. */
  readonly live: LiveHub;
  /** Stops accepting connections, finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

export interface BuildOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Outbound HTTPS GET for the AWS SNS handshake (tests substitute a local stand-in). */
  readonly httpGet?: HttpGet;
  /** Outbound HTTP for notification providers (tests pass one that refuses non-loopback hosts). */
  readonly fetch?: typeof fetch;
}

/** The JSON logger; `destination` defaults to stdout (tests pass a stream to read what was logged). */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'tocsin' },
    // The request log keeps the route and a redacted URL: integration keys and link tokens ride in URLs.
    serializers: { req: serializeRequest },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Every domain service, built in dependency order with concrete dependencies. */
function buildServices(db: Db, config: Config, clock: Clock, log: Logger, wakeEngine: () => void) {
  const kysely = db.kysely;
  // Filled in by the escalation service once it exists; every state change path shares this object.
  const hooks: IncidentHooks = {};
  const devCodes = new DevCodeBox(config.devMode, log);
  const auth = createAuthService({ db: kysely, clock, log, sessionTtlMs: config.sessionTtlHours * 3_600_000 });
  const registry = createRegistry(BUILTIN_PROVIDERS);
  const sendCode = createVerificationSender({ db: kysely, clock, log, registry, secretKey: config.secretKey, fallback: devCodes.sender, onQueued: wakeEngine });
  const people = createPeopleService({ db: kysely, clock, sendCode, defaultTimeZone: config.defaultTimeZone });
  const teams = createTeamsService({ db: kysely, clock });
  // Channel edits (disable, delete) reach the ingest path's caches at once; bound once both exist.
  const channelListeners: ((channelId: string) => void)[] = [];
  const channels = createChannelsService({ db: kysely, clock, onChanged: (id) => channelListeners.forEach((listener) => listener(id)) });
  const integrations = createIntegrationsService({
    db: kysely,
    clock,
    secretKey: config.secretKey,
    publicUrl: config.publicUrl,
    inboundEmailDomain: config.inboundEmailDomain,
    channels,
    validateSettings: validateIntegrationSettings,
  });
  const rules = createRulesService({ db: kysely, clock, channels });
  // PostgreSQL overlaps a few batches (key locks keep same-key units apart); SQLite has one writer.
  const writes = createWriteQueue(kysely, { lock: ingestLocker(db.dialect), concurrency: db.dialect === 'postgres' ? 3 : 1 });
  const ingest = createIngestService({ db: kysely, clock, log, rules, writes, hooks, onCommitted: wakeEngine });
  channelListeners.push((id) => rules.invalidate(id), () => ingest.forgetChannelNames());
  const incidents = createIncidentsService({ db: kysely, clock, channels, hooks, onCommitted: wakeEngine });
  const schedules = createSchedulesService({
    db: kysely,
    clock,
    secretKey: config.secretKey,
    publicUrl: config.publicUrl,
    defaultTimeZone: config.defaultTimeZone,
  });
  const escalation = createEscalationService({
    db: kysely,
    clock,
    channels,
    names: ruleNames,
    visibleSchedules: visibleScheduleIds,
    runStepNow: (trx, incident, step, now, assignment) => runEscalationStep(trx, registry, incident, incident.escalation_epoch, step, now, assignment),
  });
  // Escalation starts on creation; group chats hear about acknowledgements and resolutions.
  Object.assign(hooks, escalation.hooks, followUpHooks());
  const notify = createNotifyService({ db: kysely, clock, registry, secretKey: config.secretKey });
  const incidentActions = createIncidentActions({ db: kysely, clock, channels, hooks, escalation: escalationControl(), single: incidents, onCommitted: wakeEngine });
  const incidentReads = createIncidentReads({ db: kysely, clock, channels });
  const customFields = createFieldsService({ db: kysely, clock });
  const changes = createChangeEvents({ db: kysely, clock });
  const templates = createChannelTemplatesService({ db: kysely, clock, channels, publicUrl: config.publicUrl });
  const imports = createImportService({ db: kysely, clock, people, teams, schedules, channels, integrations, escalation });
  return { auth, people, teams, channels, devCodes, integrations, rules, ingest, incidents, schedules, hooks, registry, escalation, notify, incidentActions, incidentReads, customFields, changes, templates, imports };
}

/** Opens and migrates the database, then assembles services and the HTTP app. Nothing listens yet. */
export async function buildTocsin(options: BuildOptions): Promise<Tocsin> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(config);
  const db = openDatabase({ ...config, backgroundCheckpoints: true, onProblem: (message) => log.warn({}, message) });
  try {
    const applied = await migrateWhenReachable(db, log);
    if (applied.length > 0) log.info({ applied, dialect: db.dialect }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }

  // Every outbound request (providers, vendor APIs, SNS, webhooks) goes through one checked client (TOCSIN_OUTBOUND_DENY).
  const outbound = await createOutbound(config.outboundDeny);
  const outboundFetch = options.fetch ?? outbound.fetch;
  const engine = new Engine(db, clock, log, { leaseMs: config.engineLeaseMs });
  const live = new LiveHub(db.kysely, clock, log);
  const webhooks = createWebhooksService({ db: db.kysely, clock, log, secretKey: config.secretKey, publicUrl: config.publicUrl, fetch: outboundFetch, onQueued: () => engine.wake() });
  const wakeChannel = await openWakeChannel(
    db,
    config.databaseUrl,
    () => {
      engine.wake();
      live.poke();
    },
    log,
    config.dbConnectTimeoutMs,
  );
  const wakeAll = () => {
    engine.wake();
    live.poke();
    webhooks.poke();
    wakeChannel.notify();
  };
  const services = buildServices(db, config, clock, log, wakeAll);
  await ensureBuiltinWebPush(db.kysely, { clock, secretKey: config.secretKey, vapid: config.vapid });
  engine.register(idleCloseModule({ db: db.engine, rules: services.rules, hooks: services.hooks }));
  engine.register(snoozeModule({ db: db.engine, hooks: services.hooks }));
  engine.register(cleanupModule({ db: db.engine, retention: config.retention }));
  await scheduleCleanup(db.kysely, clock.now());
  engine.register(followUpModule({ db: db.engine, registry: services.registry, onCommitted: wakeAll }));
  engine.register(escalateModule({ db: db.engine, registry: services.registry, onCommitted: wakeAll }));
  engine.register(pageModule({ db: db.engine, registry: services.registry, onCommitted: wakeAll }));
  const heartbeats = createHeartbeatService({ db: db.kysely, ingest: services.ingest });
  engine.register(heartbeatModule({ heartbeats }));
  engine.register(webhookScanModule({ webhooks, onQueued: () => engine.wake() }));
  engine.register(webhookDeliverModule({ webhooks }));
  engine.register(legacyDeliverJobs(() => engine.wake('deliver')));
  engine.addLoop(
    deliverLoop({
      db: db.engine,
      dialect: db.dialect,
      clock,
      registry: services.registry,
      secretKey: config.secretKey,
      publicUrl: config.publicUrl,
      log,
      worker: engine.worker,
      leaseMs: engine.leaseMs,
      leaseDb: db.kysely,
      fetch: outboundFetch,
      resolveHost: outbound.resolveHost,
      wake: () => engine.wake('deliver'),
    }),
  );
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    // X-Forwarded-For counts only from the proxies named in TOCSIN_TRUSTED_PROXIES (default: none).
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  await app.register(cookie);
  installSecurityHeaders(app);
  installBodyParsers(app);
  installErrorHandling(app);
  const metrics = createMetrics();
  installRequestMetrics(app, metrics);
  installSelfMetrics(app, metrics, { db: db.kysely, clock, liveClients: () => live.clientCount });
  await registerOpenApi(app, { version: VERSION, publicUrl: config.publicUrl });
  installAuthentication(app, services.auth);

  registerSystemRoutes(app, { db, metrics, version: VERSION, devMode: config.devMode, metricsToken: config.metricsToken });
  registerAuthRoutes(app, { auth: services.auth, people: services.people, teams: services.teams, secureCookies: config.publicUrl.startsWith('https://') });
  registerPeopleRoutes(app, { people: services.people, db: db.kysely });
  registerTeamRoutes(app, { teams: services.teams });
  registerDevRoutes(app, { codes: services.devCodes, devMode: config.devMode });
  registerChannelRoutes(app, { channels: services.channels });
  registerIntegrationRoutes(app, { integrations: services.integrations, flushStats: () => services.ingest.flush() });
  registerRuleRoutes(app, { rules: services.rules, incidents: services.incidents, now: () => clock.now() });
  registerIncidentRoutes(app, { incidents: services.incidents, actions: services.incidentActions, reads: services.incidentReads });
  registerIncidentActionRoutes(app, { actions: services.incidentActions, reads: services.incidentReads, fields: services.customFields });
  registerLiveRoutes(app, { hub: live, channels: services.channels });
  registerWebhookRoutes(app, { webhooks });
  registerTestNotificationRoutes(app, {
    tests: createTestNotifier({ db: db.kysely, clock, registry: services.registry, secretKey: config.secretKey, publicUrl: config.publicUrl, fetch: outboundFetch }),
  });
  registerPushDeviceRoutes(app, {
    pushDevices: createPushDevicesService({ db: db.kysely, clock, registry: services.registry, secretKey: config.secretKey, publicUrl: config.publicUrl, fetch: outboundFetch }),
  });
  registerAnalyticsRoutes(app, { analytics: createAnalyticsService({ db: db.kysely, clock, channels: services.channels }) });
  registerEscalationRoutes(app, { escalation: services.escalation });
  registerNotifyRoutes(app, { notify: services.notify, incidents: services.incidents });
  registerTemplateRoutes(app, { templates: services.templates });
  registerImLinkRoutes(app, { links: createImLinkService({ db: db.kysely, clock, registry: services.registry, secretKey: config.secretKey }) });
  const callbacks = createCallbackService({
    db: db.kysely,
    clock,
    log,
    registry: services.registry,
    secretKey: config.secretKey,
    hooks: services.hooks,
    onCommitted: wakeAll,
    fetch: outboundFetch,
    resolveHost: outbound.resolveHost,
  });
  registerCallbackRoutes(app, { callbacks, publicUrl: config.publicUrl });
  registerActionLinkRoutes(app, {
    db: db.kysely,
    clock,
    publicUrl: config.publicUrl,
    perform: (trx, input, now) => performLinkAction(trx, input, now, services.hooks),
  });
  registerScheduleRoutes(app, { schedules: services.schedules });
  // Vendor APIs are outbound requests like any other: TOCSIN_OUTBOUND_DENY applies.
  registerImportRoutes(app, { imports: services.imports, clock, fetch: outboundFetch });
  registerIcalRoutes(app, { schedules: services.schedules });
  const sns = createSnsGate({ get: options.httpGet ?? httpsGetVia(outbound.fetch), log, hostPattern: config.snsHostPattern, now: () => clock.now() });
  const opsgenie = createOpsgenieService({ db: db.kysely, clock, onCommitted: wakeAll, incidentActions: services.incidentActions });
  registerPushRoutes(app, {
    integrations: services.integrations,
    ingest: services.ingest,
    clock,
    sns,
    changes: services.changes,
    opsgenie,
    async onHeartbeat(integration, now) {
      await heartbeats.beat(integration, now);
      engine.wake();
    },
  });
  registerOnboardingRoutes(app, { db: db.kysely });
  registerDemoRoutes(app, { seed: (actorId) => seedDemo(buildTocsin, config, log, { actorId }) });
  await registerConsole(app, config.webDir);

  // Email integrations: Tocsin's own SMTP listener, listening as soon as it is built (HTTP listens in serve()).
  let emailListener: EmailListener | undefined;
  if (config.smtpPort !== undefined) {
    try {
      emailListener = await startEmailListener({
        port: config.smtpPort,
        host: config.smtpHost,
        domain: config.inboundEmailDomain,
        integrations: services.integrations,
        ingest: services.ingest,
        clock,
        log,
      });
    } catch (error) {
      await app.close();
      await services.ingest.close();
      await db.close();
      throw error;
    }
  }

  let closed = false;
  return {
    app,
    db,
    config,
    clock,
    log,
    services,
    engine,
    emailListener,
    live,
    async close() {
      if (closed) return;
      closed = true;
      // Mail already accepted for processing is stored before the database goes away.
      await emailListener?.close();
      live.close();
      await app.close();
      await engine.stop();
      await wakeChannel.close();
      // Counters not written because the database is away are lost; shutting down must still finish.
      await services.ingest.close().catch((error: unknown) => log.error({ err: error }, 'writing integration counters at shutdown failed'));
      await db.close();
      await outbound.close();
    },
  };
}
