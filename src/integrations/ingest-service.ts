import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { deriveAlertKey, shouldDrop } from '../alerts/model.js';
import { applyEvent, type ApplyOutcome } from '../alerts/apply-event.js';
import type { RulesService } from '../alerts/rules-service.js';
import type { IncidentHooks } from '../incidents/lifecycle.js';
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
  readonly hooks?: IncidentHooks | undefined;
}

interface CompiledIntegration {
  readonly version: number;
  readonly enrich: Enrichment;
  readonly pipeline: Pipeline;
  readonly routing: CompiledRouting;
}

const TITLE_MAX = 512;
const DESCRIPTION_MAX = 2048;
const RAW_PAYLOAD_MAX = 64 * 1024;

/** Enforces the stored limits whatever the source did (titles and descriptions are cut, not refused). */
function clamp(event: NormalizedEvent): NormalizedEvent {
  if (event.title.length <= TITLE_MAX && event.description.length <= DESCRIPTION_MAX) return event;
  return { ...event, title: event.title.slice(0, TITLE_MAX), description: event.description.slice(0, DESCRIPTION_MAX) };
}

/** Raw payloads are kept for debugging; keys that authenticate the sender are masked. */
function redact(payload: string): string {
  const masked = payload.replace(/("routing_key"\s*:\s*")[^"]*"/g, '$1***"');
  return masked.length > RAW_PAYLOAD_MAX ? `${masked.slice(0, RAW_PAYLOAD_MAX)}…` : masked;
}

/**
 * The ingest hot path after a source mapper (DESIGN §3): enrichment → pipeline → routing → drop →
 * (one transaction per event) dedup, silence, inhibit, flapping, grouping → stored before the reply.
 */
export function createIngestService(deps: IngestDeps) {
  const { db, clock } = deps;
  const compiledCache = new Map<string, CompiledIntegration>();
  const channelNames = new Map<string, { id: string | undefined; at: number }>();

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

  async function channelIdByName(name: string): Promise<string | undefined> {
    const now = clock.now();
    const cached = channelNames.get(name);
    if (cached && now >= cached.at && now - cached.at < 10_000) return cached.id;
    const row = await db.selectFrom('channels').select('id').where('name', '=', name).executeTakeFirst();
    channelNames.set(name, { id: row?.id, at: now });
    return row?.id;
  }

  async function targetChannels(integration: Integration, c: CompiledIntegration, event: NormalizedEvent): Promise<string[]> {
    if (integration.channelId) return [integration.channelId];
    const decision = route(c.routing, eventSubject(event, integration.id));
    const named = await Promise.all(decision.channelNames.map(channelIdByName));
    const ids = [...decision.channelIds, ...named.filter((id): id is string => id !== undefined)];
    if (ids.length === 0 && decision.via === 'name') {
      // An unknown channel name falls back to the cases and default, like an unmatched event.
      return [...route({ ...c.routing, nameLabel: undefined }, eventSubject(event, integration.id)).channelIds];
    }
    return ids;
  }

  async function processEvent(integration: Integration, c: CompiledIntegration, input: NormalizedEvent): Promise<EventResult> {
    // Change events (PagerDuty) are kept with the request's raw payload; they never open alerts or notify.
    if (input.change) return { alertKey: undefined, outcome: 'accepted', detail: 'change event recorded' };
    const now = clock.now();
    const enriched = clamp(c.enrich(input));
    const isTrigger = enriched.status !== 'Ok' && enriched.action === 'trigger';
    const piped = isTrigger ? c.pipeline(enriched) : enriched;
    if ('dropped' in piped) return { alertKey: enriched.alertKey, outcome: 'dropped', detail: `pipeline rule ${piped.rule} dropped it` };
    const event = clamp(piped);
    const alertKey = event.alertKey ?? deriveAlertKey(integration.id, event.title, event.labels);
    const channels = await targetChannels(integration, c, event);
    if (channels.length === 0) return { alertKey, outcome: 'rejected', detail: 'no routing rule matched and the integration has no default channel' };

    const runtimes = await Promise.all(channels.map((id) => deps.rules.runtime(id)));
    const subject = eventSubject(event, integration.id);
    const kept = channels.map((id, i) => ({ id, runtime: runtimes[i] })).filter((t) => t.runtime && !shouldDrop(t.runtime.drops.map((d) => d.rule), subject));
    if (kept.length === 0) return { alertKey, outcome: 'dropped', detail: 'a drop rule matched' };

    const applied = await db.transaction().execute(async (trx) => {
      const outcomes: ApplyOutcome[] = [];
      for (const target of kept) {
        if (!target.runtime) continue;
        outcomes.push(await applyEvent(trx, event, { channelId: target.id, integrationId: integration.id, alertKey, runtime: target.runtime, now, hooks: deps.hooks }));
      }
      return outcomes;
    });
    const discarded = applied.every((o) => o.kind === 'discarded');
    return { alertKey, outcome: discarded ? 'dropped' : 'accepted', detail: discarded ? 'a silence rule discards it' : undefined, applied };
  }

  /** Records a request's raw payload and outcome counts (debugging card, 24 h counters). */
  async function recordRequest(integrationId: string, raw: RawRequest, results: readonly { outcome: EventResult['outcome'] }[], detail: string): Promise<void> {
    const now = clock.now();
    const hour = Math.floor(now / 3_600_000);
    const count = (outcome: EventResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    const outcome = count('accepted') > 0 ? 'accepted' : count('rejected') > 0 ? 'rejected' : 'dropped';
    await db.transaction().execute(async (trx) => {
      for (const o of ['accepted', 'dropped', 'rejected'] as const) if (count(o) > 0) await store.countOutcome(trx, integrationId, hour, o, count(o));
      await store.insertRawEvent(trx, { id: newId(now), integration_id: integrationId, received_at: now, content_type: raw.contentType.slice(0, 128), payload: redact(raw.payload), outcome, detail: detail.slice(0, 1000) });
      if (count('accepted') > 0) await store.touchLastEvent(trx, integrationId, now);
    });
  }

  return {
    /** Ingests a request's events; every accepted event is committed before this resolves. */
    async ingest(integration: Integration, events: readonly NormalizedEvent[], raw: RawRequest): Promise<EventResult[]> {
      const c = compiled(integration);
      const results: EventResult[] = [];
      for (const event of events) results.push(await processEvent(integration, c, event));
      const details = results.filter((r) => r.detail).map((r) => r.detail);
      await recordRequest(integration.id, raw, results, details.join('; '));
      return results;
    },

    /** Counts and keeps a payload the source mapper refused (the sender gets a 4xx). */
    async reject(integration: Integration, raw: RawRequest, detail: string): Promise<void> {
      await recordRequest(integration.id, raw, [{ outcome: 'rejected' }], detail);
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
