import { LRUCache } from 'lru-cache';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import type { WriteQueue } from '../db/write-queue.js';
import { deriveAlertKey, shouldDrop } from '../alerts/model.js';
import { applyEvent, type ApplyOutcome } from '../alerts/apply-event.js';
import type { ChannelRuntime, RulesService } from '../alerts/rules-service.js';
import type { IncidentHooks } from '../incidents/lifecycle.js';
import { groupKey } from '../incidents/grouping.js';
import { compileEnrichment, compilePipeline, eventSubject, type Enrichment, type EnrichmentRule, type Pipeline, type PipelineRule } from './enrichment.js';
import type { Integration } from './integration-model.js';
import type { NormalizedEvent } from './model.js';
import { compileRouting, route, type CompiledRouting } from './routing.js';
import * as store from './store.js';

/** The result of one event, as push responses report it. */
export interface EventResult {
  readonly alertKey: string | undefined;
  readonly outcome: 'accepted' | 'dropped' | 'rejected';
  readonly detail?: string | undefined;
  readonly applied?: readonly ApplyOutcome[] | undefined;
}

export interface RawRequest {
  readonly contentType: string;
  readonly payload: string;
}

export interface IngestDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly log: Log;
  readonly rules: RulesService;
  /** Group commit: every request's writes join the next shared transaction (DESIGN §3). */
  readonly writes: WriteQueue;
  readonly hooks?: IncidentHooks | undefined;
  /** Called after a request's transaction commits (wakes the engine for jobs it queued). */
  readonly onCommitted?: (() => void) | undefined;
}

interface CompiledIntegration {
  readonly version: number;
  readonly enrich: Enrichment;
  readonly pipeline: Pipeline;
  readonly routing: CompiledRouting;
}

const TITLE_MAX = 512;
// Each source enforces its own description limit (2 048 for standard events); this is the ceiling
// for all of them, sized for email bodies (SPEC: cut at 32 KB).
const DESCRIPTION_MAX = 32 * 1024;
const RAW_PAYLOAD_MAX = 64 * 1024;
const CHANNEL_NAME_CACHE_SIZE = 1000;

// PostgreSQL text cannot hold NUL; a sender's stray NUL must not turn its event into a 500.
const NUL = '\u0000';

/** Enforces the stored limits whatever the source did (titles and descriptions are cut, not refused). */
function clamp(event: NormalizedEvent): NormalizedEvent {
  const hasNul = event.title.includes(NUL) || event.description.includes(NUL);
  if (!hasNul && event.title.length <= TITLE_MAX && event.description.length <= DESCRIPTION_MAX) return event;
  return { ...event, title: event.title.replaceAll(NUL, '').slice(0, TITLE_MAX), description: event.description.replaceAll(NUL, '').slice(0, DESCRIPTION_MAX) };
}

/** Raw payloads are kept for debugging; keys that authenticate the sender are masked. */
function redact(payload: string): string {
  const masked = payload.replaceAll(NUL, '').replace(/("routing_key"\s*:\s*")[^"]*"/g, '$1***"');
  return masked.length > RAW_PAYLOAD_MAX ? `${masked.slice(0, RAW_PAYLOAD_MAX)}…` : masked;
}

/**
 * The ingest hot path after a source mapper (DESIGN §3): enrichment → pipeline → routing → drop →
 * (one transaction per event) dedup, silence, inhibit, flapping, grouping → stored before the reply.
 */
export function createIngestService(deps: IngestDeps) {
  const { db, clock } = deps;
  const compiledCache = new Map<string, CompiledIntegration>();
  const stats = createStatsBuffer(db);
  const timer = setInterval(() => {
    stats.flush().catch((error: unknown) => deps.log.error({ err: error }, 'writing integration counters failed'));
  }, 1000);
  timer.unref();
  // Shared integrations' routable channels (team|name → id, team|ids → allowed ids), briefly cached;
  // keyed by values a sender chooses, so bounded.
  const channelNames = new LRUCache<string, { id: string | null; at: number }>({ max: CHANNEL_NAME_CACHE_SIZE });
  const routable = new LRUCache<string, { ids: ReadonlySet<string>; at: number }>({ max: CHANNEL_NAME_CACHE_SIZE });

  function compiled(integration: Integration): CompiledIntegration {
    const cached = compiledCache.get(integration.id);
    if (cached && cached.version === integration.updatedAt) return cached;
    // Settings were validated on save; a rule that no longer compiles is skipped rather than blocking alerts.
    const enrich = compileEnrichment(integration.settings.enrichment as EnrichmentRule[], { integration: integration.id });
    const pipeline = compilePipeline(integration.settings.pipeline as PipelineRule[], { integration: integration.id });
    const routing = compileRouting(integration.settings.routing);
    const entry: CompiledIntegration = {
      version: integration.updatedAt,
      enrich: enrich.ok ? enrich.value : (e) => e,
      pipeline: pipeline.ok ? pipeline.value : (e) => e,
      routing: routing.ok ? routing.value : { cases: [], fallback: [], nameLabel: undefined },
    };
    compiledCache.set(integration.id, entry);
    return entry;
  }

  const CHANNEL_CACHE_MS = 10_000;
  const fresh = (at: number, now: number) => now >= at && now - at < CHANNEL_CACHE_MS;

  /** Name mapping resolves only among the channels the integration's team manages (issue 10 item 1). */
  async function channelIdByName(teamId: string, name: string): Promise<string | undefined> {
    const now = clock.now();
    const key = `${teamId}|${name}`;
    const cached = channelNames.get(key);
    if (cached && fresh(cached.at, now)) return cached.id ?? undefined;
    const [row] = await store.routableChannels(db, teamId, { name });
    channelNames.set(key, { id: row?.id ?? null, at: now });
    return row?.id;
  }

  /** The routed ids the team (still) manages; others (deleted, handed to another team) are skipped. */
  async function stillRoutable(teamId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const now = clock.now();
    const key = `${teamId}|${ids.join(',')}`;
    let cached = routable.get(key);
    if (!cached || !fresh(cached.at, now)) {
      cached = { ids: new Set((await store.routableChannels(db, teamId, { ids })).map((r) => r.id)), at: now };
        routable.set(key, cached);
    }
    const allowed = cached.ids;
    return ids.filter((id) => allowed.has(id));
  }

  async function targetChannels(integration: Integration, c: CompiledIntegration, event: NormalizedEvent): Promise<string[]> {
    if (integration.channelId) return [integration.channelId];
    // A shared integration without an owning team (never made by the API) routes nowhere.
    const teamId = integration.teamId;
    if (!teamId) return [];
    const subject = eventSubject(event, integration.id);
    const decision = route(c.routing, subject);
    const named = await Promise.all(decision.channelNames.map((name) => channelIdByName(teamId, name)));
    const ids = [...(await stillRoutable(teamId, decision.channelIds)), ...named.filter((id): id is string => id !== undefined)];
    if (ids.length === 0 && decision.via === 'name') {
      // An unknown channel name falls back to the cases and default, like an unmatched event.
      return stillRoutable(teamId, route({ ...c.routing, nameLabel: undefined }, subject).channelIds);
    }
    return ids;
  }

  /** What happens to an event before the transaction: a final result, or the channels to apply it to. */
  type Plan = { readonly result: EventResult } | { readonly alertKey: string; readonly integrationId: string; readonly event: NormalizedEvent; readonly targets: readonly { id: string; runtime: ChannelRuntime }[] };

  async function plan(integration: Integration, c: CompiledIntegration, input: NormalizedEvent): Promise<Plan> {
    // Change events (PagerDuty) are kept with the request's raw payload; they never open alerts or notify.
    if (input.change) return { result: { alertKey: undefined, outcome: 'accepted', detail: 'change event recorded' } };
    const enriched = clamp(c.enrich(input));
    const isTrigger = enriched.status !== 'Ok' && enriched.action === 'trigger';
    const piped = isTrigger ? c.pipeline(enriched) : enriched;
    if ('dropped' in piped) return { result: { alertKey: enriched.alertKey, outcome: 'dropped', detail: `pipeline rule ${piped.rule} dropped it` } };
    const event = clamp(piped);
    const alertKey = (event.alertKey ?? deriveAlertKey(integration.id, event.title, event.labels)).replaceAll(NUL, '');
    const channels = await targetChannels(integration, c, event);
    if (channels.length === 0) return { result: { alertKey, outcome: 'rejected', detail: 'no routing rule matched and the integration has no default channel' } };
    const subject = eventSubject(event, integration.id);
    const targets: { id: string; runtime: ChannelRuntime }[] = [];
    let disabled = 0;
    for (const id of channels) {
      const runtime = await deps.rules.runtime(id);
      if (runtime.disabled) disabled += 1;
      else if (!shouldDrop(runtime.drops.map((d) => d.rule), subject)) targets.push({ id, runtime });
    }
    // A disabled channel neither stores nor pages; the event is accepted (senders must not retry it) and counted as dropped.
    if (targets.length === 0) return { result: { alertKey, outcome: 'dropped', detail: disabled === channels.length ? 'the channel is disabled' : 'a drop rule matched' } };
    return { alertKey, integrationId: integration.id, event, targets };
  }

  /**
   * What a request's events write under: their alert keys and, for triggers, their group keys. Another
   * node applying the same key waits for this batch (PostgreSQL row locks), so a key never gets two
   * open alerts and a group never two incidents.
   */
  function lockKeysOf(plans: readonly Plan[]): string[] {
    const keys: string[] = [];
    for (const p of plans) {
      if ('result' in p) continue;
      const subject = eventSubject(p.event, p.integrationId);
      for (const target of p.targets) {
        keys.push(`alert:${target.id}:${p.alertKey}`);
        const group = p.event.status === 'Ok' ? null : groupKey(target.runtime.noise.grouping, subject);
        if (group !== null) keys.push(`group:${target.id}:${group}`);
      }
    }
    return keys;
  }

  function outcomeOf(results: readonly { outcome: EventResult['outcome'] }[]): EventResult['outcome'] {
    if (results.some((r) => r.outcome === 'accepted')) return 'accepted';
    return results.some((r) => r.outcome === 'rejected') ? 'rejected' : 'dropped';
  }

  function rawRow(integrationId: string, raw: RawRequest, now: number, outcome: EventResult['outcome'], detail: string) {
    return { id: newId(now), integration_id: integrationId, received_at: now, content_type: raw.contentType.slice(0, 128), payload: redact(raw.payload), outcome, detail: detail.slice(0, 1000) };
  }

  return {
    /**
     * Ingests a request's events in one transaction with its raw payload: when this resolves, every
     * accepted event is committed (so the 2xx that follows is truthful).
     */
    async ingest(integration: Integration, events: readonly NormalizedEvent[], raw: RawRequest): Promise<EventResult[]> {
      const c = compiled(integration);
      const plans: Plan[] = [];
      for (const event of events) plans.push(await plan(integration, c, event));
      const now = clock.now();
      const results = await deps.writes.submit({
        lockKeys: lockKeysOf(plans),
        // A storm from one integration must not hold back another's events (fair batches).
        lane: integration.id,
        work: async (trx) => {
          // A routed channel deleted since it was planned is skipped (a foreign-key error would fail the
          // whole batch with a 500, and Alertmanager would retry it forever). Dedicated integrations
          // are deleted with their channel, so only shared ones need the check.
          const shared = integration.channelId === null;
          const existing = shared ? await store.existingChannelIds(trx, [...new Set(plans.flatMap((p) => ('targets' in p ? p.targets.map((t) => t.id) : [])))]) : undefined;
          const out: EventResult[] = [];
          for (const p of plans) {
            if ('result' in p) {
              out.push(p.result);
              continue;
            }
            const targets = existing ? p.targets.filter((t) => existing.has(t.id)) : p.targets;
            if (targets.length === 0) {
              out.push({ alertKey: p.alertKey, outcome: 'rejected', detail: 'every channel it was routed to has been deleted' });
              continue;
            }
            const applied: ApplyOutcome[] = [];
            for (const target of targets) {
              applied.push(await applyEvent(trx, p.event, { channelId: target.id, integrationId: integration.id, alertKey: p.alertKey, runtime: target.runtime, now, hooks: deps.hooks }));
            }
            const discarded = applied.every((o) => o.kind === 'discarded');
            out.push({ alertKey: p.alertKey, outcome: discarded ? 'dropped' : 'accepted', detail: discarded ? 'a silence rule discards it' : undefined, applied });
          }
          const detail = out.filter((r) => r.detail).map((r) => r.detail).join('; ');
          await store.insertRawEvent(trx, rawRow(integration.id, raw, now, outcomeOf(out), detail));
          return out;
        },
      });
      stats.add(integration.id, now, results);
      // Only these outcomes can have queued engine jobs (escalation, idle close, chat follow-ups);
      // duplicates — the bulk of a noisy source — leave the engine asleep.
      const queuedJobs = results.some((r) => r.applied?.some((a) => a.kind === 'created' || a.kind === 'recovered' || a.kind === 'acknowledged'));
      if (queuedJobs) deps.onCommitted?.();
      return results;
    },

    /** Counts and keeps a payload the source mapper refused (the sender gets a 4xx). */
    async reject(integration: Integration, raw: RawRequest, detail: string): Promise<void> {
      const now = clock.now();
      await deps.writes.submit({ lane: integration.id, work: (trx) => store.insertRawEvent(trx, rawRow(integration.id, raw, now, 'rejected', detail)) });
      stats.add(integration.id, now, [{ outcome: 'rejected' }]);
    },

    /** Drops cached channel-name lookups (a channel was renamed, disabled or deleted). */
    forgetChannelNames(): void {
      channelNames.clear();
    },

    /** Writes buffered counters and latest-event times (called every second, before reads, and at shutdown). */
    flush: () => stats.flush(),

    async close(): Promise<void> {
      clearInterval(timer);
      await deps.writes.drained();
      return stats.flush();
    },
  };
}

/**
 * Per-integration counters and latest-event time, buffered in memory and written once a second: they
 * are statistics for the integration card, not events, and writing them per request doubled the cost
 * of ingest. A crash loses at most a second of counts, never an event.
 */
function createStatsBuffer(db: Executor) {
  const pending = new Map<string, { hour: number; accepted: number; dropped: number; rejected: number; lastEventAt: number | null }>();
  let flushing: Promise<void> = Promise.resolve();

  async function write(entries: [string, { hour: number; accepted: number; dropped: number; rejected: number; lastEventAt: number | null }][]): Promise<void> {
    if (entries.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const [integrationId, entry] of entries) {
        for (const outcome of ['accepted', 'dropped', 'rejected'] as const) {
          if (entry[outcome] > 0) await store.countOutcome(trx, integrationId, entry.hour, outcome, entry[outcome]);
        }
        if (entry.lastEventAt !== null) await store.touchLastEvent(trx, integrationId, entry.lastEventAt);
      }
    });
  }

  return {
    add(integrationId: string, now: number, results: readonly { outcome: EventResult['outcome'] }[]): void {
      const hour = Math.floor(now / 3_600_000);
      const key = `${integrationId}|${hour}`;
      const entry = pending.get(key) ?? { hour, accepted: 0, dropped: 0, rejected: 0, lastEventAt: null };
      for (const r of results) entry[r.outcome] += 1;
      if (results.some((r) => r.outcome === 'accepted')) entry.lastEventAt = now;
      pending.set(key, entry);
    },
    flush(): Promise<void> {
      const entries = [...pending].map(([key, entry]) => [key.split('|')[0] ?? '', entry] as [string, typeof entry]);
      pending.clear();
      // A failed write (database away) must not poison the chain: later flushes still run.
      flushing = flushing.catch(() => undefined).then(() => write(entries));
      return flushing;
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
