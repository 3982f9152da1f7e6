/**
 * Applies a vendor {@link Bundle} to Tocsin through the domain services (so every rule, permission
 * and audit entry applies), or only plans it (`dryRun`: nothing is written). Each object is keyed by
 * the vendor's id in `import_mappings`: a re-run updates what changed and leaves the rest alone.
 * Nothing is paged: people come with unverified contacts, and no incident is created.
 */
import type { Clock } from '../core/clock.js';
import { AppError, forbidden } from '../core/errors.js';
import { normalizeSchedule } from '../schedules/model.js';
import { normalizeRuleSpec } from '../escalation/model.js';
import { isAdmin } from '../people/model.js';
import type { Executor } from '../db/types.js';
import type { RequestContext } from '../people/audit.js';
import type { createPeopleService } from '../people/service.js';
import type { createTeamsService } from '../people/teams-service.js';
import type { SchedulesService } from '../schedules/service.js';
import type { ChannelsService } from '../channels/service.js';
import type { IntegrationsService } from '../integrations/service.js';
import type { EscalationService } from '../escalation/service.js';
import { fingerprint, VENDOR_NAMES, type Bundle, type ImportReport, type ImportedPolicy, type PlanItem, type Replacement } from './model.js';
import * as store from './store.js';

export interface ImportDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly people: ReturnType<typeof createPeopleService>;
  readonly teams: ReturnType<typeof createTeamsService>;
  readonly schedules: SchedulesService;
  readonly channels: ChannelsService;
  readonly integrations: IntegrationsService;
  readonly escalation: EscalationService;
}

const DRY = 'dry-run';

export function createImportService(deps: ImportDeps) {
  const { db, clock } = deps;

  return {
    /** Imports (or plans, with `dryRun`) a bundle as `ctx` (an admin). */
    async run(ctx: RequestContext, bundle: Bundle, options: { dryRun: boolean }): Promise<ImportReport> {
      if (!isAdmin(ctx.actor)) throw forbidden('only admins can import from other tools');
      const dry = options.dryRun;
      const items: PlanItem[] = [];
      const unmapped = [...bundle.unmapped];
      const replacements: Replacement[] = [];
      const key = (kind: string, vendorId: string) => ({ vendor: bundle.vendor, account: bundle.account, kind, vendorId });
      const ids = { person: new Map<string, string>(), team: new Map<string, string>(), schedule: new Map<string, string>() };

      /** The mapping of a vendor object whose Tocsin object still exists. */
      async function mapped(kind: Parameters<typeof store.localExists>[1], vendorId: string) {
        const found = await store.findMapping(db, key(kind, vendorId));
        return found && (await store.localExists(db, kind, found.localId)) ? found : undefined;
      }
      const remember = async (kind: string, vendorId: string, localId: string, print: string) => {
        if (!dry) await store.saveMapping(db, key(kind, vendorId), localId, print, clock.now());
      };

      // People: matched by email first, so an existing Tocsin person is never duplicated.
      for (const person of bundle.people) {
        const print = fingerprint(person);
        const existing = await mapped('person', person.vendorId);
        if (existing) {
          ids.person.set(person.vendorId, existing.localId);
          if (existing.fingerprint === print) items.push({ kind: 'person', name: person.email, action: 'unchanged' });
          else {
            if (!dry) await deps.people.update(ctx, existing.localId, { name: person.name.slice(0, 100), ...(person.timeZone && { timeZone: person.timeZone }) });
            await remember('person', person.vendorId, existing.localId, print);
            items.push({ kind: 'person', name: person.email, action: 'update' });
          }
          continue;
        }
        const byEmail = await store.personIdByEmail(db, person.email);
        if (byEmail) {
          ids.person.set(person.vendorId, byEmail);
          await remember('person', person.vendorId, byEmail, print);
          items.push({ kind: 'person', name: person.email, action: 'match', detail: 'a person with this email exists' });
          continue;
        }
        if (dry) ids.person.set(person.vendorId, `${DRY}:${person.vendorId}`);
        else {
          const input = { email: person.email, name: person.name.slice(0, 100), role: 'responder' };
          // A vendor's time zone or phone Tocsin refuses should not keep the person out.
          const created = await deps.people.create(ctx, { ...input, timeZone: person.timeZone, phone: person.phone ?? null }).catch(async (error: unknown) => {
            if (!(error instanceof AppError) || error.code !== 'InvalidParameter') throw error;
            unmapped.push({ kind: 'person', name: person.email, reason: `${error.message}; imported without time zone and phone` });
            return deps.people.create(ctx, input);
          });
          ids.person.set(person.vendorId, created.id);
          await remember('person', person.vendorId, created.id, print);
        }
        items.push({ kind: 'person', name: person.email, action: 'create', detail: person.phone ? 'email and phone unverified' : 'email unverified' });
      }

      // Teams and their members (members are added, never removed: Tocsin may have more).
      for (const team of bundle.teams) {
        const print = fingerprint(team);
        const existing = await mapped('team', team.vendorId);
        let teamId = existing?.localId ?? (await store.teamIdByName(db, team.name));
        let action: PlanItem['action'] = existing ? (existing.fingerprint === print ? 'unchanged' : 'update') : teamId ? 'match' : 'create';
        if (!teamId && !dry) teamId = (await deps.teams.create(ctx, { name: team.name.slice(0, 100), description: team.description.slice(0, 1000) })).id;
        const members = teamId && teamId !== DRY ? await store.teamMemberIds(db, teamId) : new Set<string>();
        const missing = team.memberIds.map((v) => ids.person.get(v)).filter((id): id is string => id !== undefined && !members.has(id));
        if (action === 'unchanged' && missing.length > 0) action = 'update';
        if (!dry && teamId) for (const personId of new Set(missing)) await deps.teams.addMember(ctx, teamId, personId);
        ids.team.set(team.vendorId, teamId ?? DRY);
        if (teamId) await remember('team', team.vendorId, teamId, print);
        items.push({ kind: 'team', name: team.name, action, ...(missing.length > 0 && { detail: `${missing.length} member(s) to add` }) });
      }

      // Objects without a team go to one team per vendor, created on first need.
      let fallbackTeam: string | undefined;
      async function teamFor(vendorTeamId: string | undefined): Promise<string> {
        const known = vendorTeamId ? ids.team.get(vendorTeamId) : undefined;
        if (known) return known;
        if (fallbackTeam) return fallbackTeam;
        const name = `Imported from ${VENDOR_NAMES[bundle.vendor]}`;
        const found = (await mapped('team', '_default'))?.localId ?? (await store.teamIdByName(db, name));
        if (found) fallbackTeam = found;
        else if (dry) fallbackTeam = DRY;
        else fallbackTeam = (await deps.teams.create(ctx, { name, description: 'Schedules and channels whose vendor object had no team' })).id;
        if (!found) items.push({ kind: 'team', name, action: 'create', detail: 'for objects without a team' });
        await remember('team', '_default', fallbackTeam, 'default');
        return fallbackTeam;
      }

      // Schedules: layers with Tocsin person ids; members without a Tocsin person are left out.
      for (const schedule of bundle.schedules) {
        const layers = schedule.layers.map((layer) => ({
          ...layer,
          members: layer.members.map((group) => group.map((v) => ids.person.get(v)).filter((id): id is string => id !== undefined)).filter((g) => g.length > 0),
        }));
        const print = fingerprint({ schedule, layers });
        const existing = await mapped('schedule', schedule.vendorId);
        const input = { name: schedule.name.slice(0, 100), description: schedule.description.slice(0, 2000), timeZone: schedule.timeZone, teamId: await teamFor(schedule.teamId), layers };
        // Checked before writing, so the dry run reports what the real run would refuse.
        const checked = normalizeSchedule({ name: input.name, team_id: input.teamId, description: input.description, time_zone: input.timeZone, layers });
        if (!checked.ok) {
          unmapped.push({ kind: 'schedule', name: schedule.name, reason: checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
          continue;
        }
        let scheduleId = existing?.localId;
        if (existing && existing.fingerprint === print) items.push({ kind: 'schedule', name: schedule.name, action: 'unchanged' });
        else {
          if (!dry) {
            scheduleId = existing ? (await deps.schedules.update(ctx, existing.localId, input)).id : (await deps.schedules.create(ctx, input)).id;
            await remember('schedule', schedule.vendorId, scheduleId, print);
          }
          items.push({ kind: 'schedule', name: schedule.name, action: existing ? 'update' : 'create', detail: `${layers.length} layer(s), ${schedule.timeZone}` });
        }
        ids.schedule.set(schedule.vendorId, scheduleId ?? DRY);
        for (const override of schedule.overrides) {
          const personId = ids.person.get(override.personId);
          const label = `${schedule.name} ${new Date(override.start).toISOString()}–${new Date(override.end).toISOString()}`;
          if (!personId) {
            unmapped.push({ kind: 'override', name: label, reason: 'its person was not imported' });
            continue;
          }
          const overridePrint = fingerprint(override);
          const known = await mapped('override', override.vendorId);
          if (known && known.fingerprint === overridePrint) {
            items.push({ kind: 'override', name: label, action: 'unchanged' });
            continue;
          }
          if (!dry && scheduleId) {
            if (known) await deps.schedules.deleteOverride(ctx, scheduleId, known.localId);
            const created = await deps.schedules.createOverride(ctx, scheduleId, { personId, start: Math.max(override.start, clock.now()), end: override.end, role: override.role });
            await remember('override', override.vendorId, created.id, overridePrint);
          }
          items.push({ kind: 'override', name: label, action: known ? 'update' : 'create' });
        }
      }

      // Services → channels, each with an escalation rule from its policy and its integrations.
      const policies = new Map(bundle.policies.map((p) => [p.vendorId, p]));
      for (const service of bundle.services) {
        const print = fingerprint({ name: service.name, description: service.description });
        const existing = await mapped('channel', service.vendorId);
        let channelId = existing?.localId;
        if (existing) {
          if (existing.fingerprint !== print && !dry) await deps.channels.update(ctx, existing.localId, { name: service.name.slice(0, 100), description: service.description.slice(0, 1000) });
          items.push({ kind: 'channel', name: service.name, action: existing.fingerprint === print ? 'unchanged' : 'update' });
        } else {
          channelId = await store.channelIdByName(db, service.name);
          if (channelId) items.push({ kind: 'channel', name: service.name, action: 'match', detail: 'a channel with this name exists' });
          else {
            const teamId = await teamFor(service.teamId);
            if (!dry) channelId = (await deps.channels.create(ctx, { name: service.name.slice(0, 100), description: service.description.slice(0, 1000), teamId, private: false })).id;
            items.push({ kind: 'channel', name: service.name, action: 'create' });
          }
        }
        if (channelId) await remember('channel', service.vendorId, channelId, print);

        const policy = service.policyId ? policies.get(service.policyId) : undefined;
        if (policy) await applyRule(service.vendorId, channelId, policy);
        else unmapped.push({ kind: 'service', name: service.name, reason: 'has no escalation policy; the channel notifies nobody until you add a rule' });

        for (const integration of service.integrations) {
          const known = await mapped('integration', integration.vendorId);
          let newUrl = '(a new URL and key, shown after the import)';
          if (known) {
            const view = await deps.integrations.get(ctx.actor, known.localId);
            newUrl = describeUrl(view.pushUrl, view.key, integration.source, integration.oncallKind);
            items.push({ kind: 'integration', name: `${service.name} / ${integration.name}`, action: 'unchanged' });
          } else {
            if (!dry && channelId) {
              const view = await deps.integrations.create(ctx, { channelId }, { name: integration.name.slice(0, 100), source: integration.source });
              await remember('integration', integration.vendorId, view.integration.id, fingerprint(integration));
              newUrl = describeUrl(view.pushUrl, view.key, integration.source, integration.oncallKind);
            }
            items.push({ kind: 'integration', name: `${service.name} / ${integration.name}`, action: 'create', detail: `source ${integration.source}` });
          }
          replacements.push({ integration: `${service.name} / ${integration.name}`, oldUrl: integration.oldUrl, newUrl });
        }
      }

      async function applyRule(serviceId: string, channelId: string | undefined, policy: ImportedPolicy) {
        const spec = {
          delay_seconds: 0,
          mode: 'unacknowledged',
          levels: policy.levels.map((level) => {
            const people = level.targets.filter((t) => t.kind === 'person').map((t) => ids.person.get(t.vendorId)).filter((id): id is string => id !== undefined);
            const schedules = level.targets.filter((t) => t.kind === 'schedule').map((t) => ids.schedule.get(t.vendorId)).filter((id): id is string => id !== undefined);
            const teams = level.targets.filter((t) => t.kind === 'team').map((t) => ids.team.get(t.vendorId)).filter((id): id is string => id !== undefined);
            return {
              targets: { ...(people.length > 0 && { people }), ...(schedules.length > 0 && { schedules: schedules.map((id) => ({ id })) }), ...(teams.length > 0 && { teams }) },
              methods: { kind: 'preferences' },
              repeat_every_min: level.repeatEveryMin ?? null,
              repeat_times: level.repeatTimes ?? 0,
              escalate_after_min: level.escalateAfterMin,
            };
          }),
          after_last: policy.loops > 0 ? { kind: 'loop', times: policy.loops } : { kind: 'stop' },
        };
        const name = `${policy.name}`.slice(0, 100) || 'Imported policy';
        if (spec.levels.length === 0) {
          unmapped.push({ kind: 'escalation policy', name: policy.name, reason: 'has no levels' });
          return;
        }
        const checked = normalizeRuleSpec(spec);
        if (!checked.ok) {
          unmapped.push({ kind: 'escalation policy', name: policy.name, reason: checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
          return;
        }
        const print = fingerprint({ name, spec });
        const existing = await mapped('escalation_rule', serviceId);
        if (existing && existing.fingerprint === print) {
          items.push({ kind: 'escalation_rule', name, action: 'unchanged' });
          return;
        }
        if (!dry && channelId) {
          const ruleId = existing ? (await deps.escalation.update(ctx, existing.localId, { name, spec })).id : (await deps.escalation.create(ctx, channelId, { name, spec })).id;
          await remember('escalation_rule', serviceId, ruleId, print);
        }
        items.push({ kind: 'escalation_rule', name, action: existing ? 'update' : 'create', detail: `${spec.levels.length} level(s), delays ${policy.levels.map((l) => `${l.escalateAfterMin} min`).join(', ')}` });
      }

      return { vendor: bundle.vendor, dryRun: dry, items, unmapped, replacements };
    },
  };
}

/** The new URL a tool should use (with the key where the tool carries it separately). */
function describeUrl(pushUrl: string | null, key: string | null, source: string, oncallKind?: string): string {
  if (!pushUrl) return '(not visible to you)';
  if (oncallKind && key && pushUrl.includes('/event/push/')) return `${pushUrl.split('/event/push/')[0] ?? ''}/integrations/v1/${oncallKind}/${key}/`;
  if (source === 'pagerduty') return `${pushUrl} (routing_key ${key ?? ''})`;
  if (source === 'opsgenie') return `${pushUrl} (Authorization: GenieKey ${key ?? ''})`;
  return pushUrl;
}

export type ImportService = ReturnType<typeof createImportService>;
