import type { Executor } from '../db/types.js';
import type { IncidentLevelSpec } from '../escalation/model.js';
import { isAssignedTargets, methodsFor } from '../escalation/model.js';
import type { Step } from '../escalation/planner.js';
import type { IncidentRow } from '../incidents/store.js';
import { insertTimeline } from '../incidents/store.js';
import { findSchedule, activeOverrides } from '../schedules/store.js';
import { onCallAt } from '../schedules/resolver.js';
import { FALLBACK_ORDER, readPreferences, toNotificationMethod, type PersonalMethod, type Severity } from './preferences.js';
import { listProviderRows, type ProviderRow } from './providers-store.js';
import type { ProviderRegistry } from './registry.js';
import type { NotificationMethod } from './provider.js';
import { queueMessageDeferred } from './outbox.js';
import { pushDevicesOfPeople, type PushDeviceRow } from './push-devices-store.js';
import { pushAddress } from './push-devices.js';
import { linksOf, type ImLink } from './im-links-store.js';

interface PersonContact {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly phone: string | null;
  readonly phoneVerified: boolean;
  readonly preferencesJson: string;
  /** Browsers registered for app push, each its own address. */
  readonly pushDevices: readonly PushDeviceRow[];
}

/** What one escalation step asks the notification layer to do. */
export interface LevelNotice {
  readonly incident: IncidentRow;
  readonly level: IncidentLevelSpec;
  readonly step: Step;
  readonly epoch: number;
  /** Outbox key prefix and timeline entry of a page outside the rule's steps (reassign, add responders). */
  readonly adHoc?: { readonly keyBase: string; readonly reason: string };
}

async function peopleByIds(trx: Executor, ids: readonly string[]): Promise<PersonContact[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('persons').selectAll().where('id', 'in', [...ids]).where('status', '=', 'active').execute();
  const devices = await pushDevicesOfPeople(trx, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    emailVerified: r.email_verified_at !== null,
    phone: r.phone,
    phoneVerified: r.phone !== null && r.phone_verified_at !== null,
    preferencesJson: r.preferences_json,
    pushDevices: devices.filter((d) => d.person_id === r.id),
  }));
}

/** The channel's owning and managing teams (never empty, so `in` lists stay valid SQL). */
async function channelTeamIds(trx: Executor, channelId: string): Promise<string[]> {
  const owner = await trx.selectFrom('channels').select('team_id').where('id', '=', channelId).executeTakeFirst();
  const managing = await trx.selectFrom('channel_managing_teams').select('team_id').where('channel_id', '=', channelId).execute();
  const ids = [...(owner ? [owner.team_id] : []), ...managing.map((m) => m.team_id)];
  return ids.length > 0 ? ids : [''];
}

/** Resolves a level's targets to people at send time: teams' members, schedules' on-call people. */
async function resolvePeople(trx: Executor, notice: LevelNotice, now: number, problems: string[]): Promise<PersonContact[]> {
  const targets = notice.level.targets;
  const ids = new Set<string>();
  if (isAssignedTargets(targets)) {
    // Labels come from whoever sends alerts: they may only pick people and teams of the channel's
    // own (owning and managing) teams, never anyone in the organisation (issue 10 item 5).
    const channelTeams = await channelTeamIds(trx, notice.incident.channel_id);
    if (targets.people_emails.length > 0) {
      const found = await trx
        .selectFrom('persons')
        .innerJoin('team_members', 'team_members.person_id', 'persons.id')
        .select(['persons.id', 'persons.email'])
        .where('persons.email', 'in', targets.people_emails.map((e) => e.toLowerCase()))
        .where('team_members.team_id', 'in', channelTeams)
        .execute();
      for (const row of found) ids.add(row.id);
      for (const email of targets.people_emails) if (!found.some((f) => f.email === email.toLowerCase())) problems.push(`no person with email ${email} in the channel's teams`);
    }
    for (const ref of targets.team_refs) {
      const team = await trx
        .selectFrom('teams')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
        .where('id', 'in', channelTeams)
        .executeTakeFirst();
      if (!team) problems.push(`no team ${ref} among the channel's teams`);
      else for (const m of await trx.selectFrom('team_members').select('person_id').where('team_id', '=', team.id).execute()) ids.add(m.person_id);
    }
  } else {
    for (const id of targets.people ?? []) ids.add(id);
    if ((targets.teams ?? []).length > 0) {
      const members = await trx.selectFrom('team_members').select('person_id').where('team_id', 'in', [...(targets.teams ?? [])]).execute();
      for (const m of members) ids.add(m.person_id);
    }
    for (const target of targets.schedules ?? []) {
      const schedule = await findSchedule(trx, target.id);
      if (!schedule) {
        problems.push(`schedule ${target.id} no longer exists`);
        continue;
      }
      const overrides = (await activeOverrides(trx, [schedule.id], { start: now, end: now + 1 })).get(schedule.id) ?? [];
      const onCall = onCallAt(schedule, overrides, now);
      const roles = target.roles && target.roles.length > 0 ? target.roles : Object.keys(onCall);
      const people = roles.flatMap((role) => onCall[role] ?? []);
      if (people.length === 0) problems.push(`nobody is on call in schedule ${schedule.name}${target.roles?.length ? ` (${target.roles.join(', ')})` : ''}`);
      for (const id of people) ids.add(id);
    }
  }
  return peopleByIds(trx, [...ids]);
}

/** One address of a method; `device` tells apart the several addresses of app push (one per browser). */
interface Address {
  readonly address: string;
  readonly device?: { readonly id: string; readonly label: string };
}

/** The addresses of a method for a person (app push: every registered device), or why it cannot be used. */
function addressesFor(person: PersonContact, method: PersonalMethod): { addresses: Address[] } | { problem: string } {
  switch (method) {
    case 'email':
      return person.emailVerified ? { addresses: [{ address: person.email }] } : { problem: 'email not verified' };
    case 'sms':
    case 'voice':
      if (!person.phone) return { problem: 'no phone number' };
      return person.phoneVerified ? { addresses: [{ address: person.phone }] } : { problem: 'phone not verified' };
    case 'im':
      // IM providers find the person by their (verified) email address.
      return person.emailVerified ? { addresses: [{ address: person.email }] } : { problem: 'email not verified (IM accounts are matched by email)' };
    case 'push':
      if (person.pushDevices.length === 0) return { problem: 'no device registered for app push' };
      return { addresses: person.pushDevices.map((d) => ({ address: pushAddress(d), device: { id: d.id, label: d.label } })) };
  }
}

/**
 * Every IM provider that can reach the person, with the address it uses (issue 12 item 3): Slack and
 * Feishu by the verified email, DingTalk by the verified phone, Telegram by the chat the person
 * linked. With none, the reasons name what is missing per provider.
 */
export function imTargets(
  person: Pick<PersonContact, 'id' | 'email' | 'emailVerified' | 'phone' | 'phoneVerified'>,
  providers: readonly ProviderRow[],
  registry: ProviderRegistry,
  links: readonly ImLink[],
): { targets: { provider: ProviderRow; address: string }[]; missing: ImMissing[] } {
  const targets: { provider: ProviderRow; address: string }[] = [];
  const missing: ImMissing[] = [];
  for (const row of providers) {
    const provider = registry.get(row.provider);
    if (!provider?.methods.includes('im')) continue;
    const how = provider.personAddress ?? 'email';
    if (how === 'email') {
      if (person.emailVerified) targets.push({ provider: row, address: person.email });
      else missing.push({ provider: row.name, need: 'verify_email' });
    } else if (how === 'phone') {
      if (person.phone && person.phoneVerified) targets.push({ provider: row, address: person.phone });
      else missing.push({ provider: row.name, need: person.phone ? 'verify_phone' : 'add_phone' });
    } else {
      const link = links.find((l) => l.providerId === row.id && l.personId === person.id);
      if (link) targets.push({ provider: row, address: link.externalId });
      else missing.push({ provider: row.name, need: 'link_chat' });
    }
  }
  return { targets, missing };
}

/** What an IM provider still needs before it can reach a person. */
export interface ImMissing {
  readonly provider: string;
  readonly need: 'verify_email' | 'add_phone' | 'verify_phone' | 'link_chat';
}

const IM_NEEDS: Readonly<Record<ImMissing['need'], string>> = {
  verify_email: 'email not verified (matched by email)',
  add_phone: 'no phone number (matched by mobile)',
  verify_phone: 'phone not verified (matched by mobile)',
  link_chat: 'chat not linked (start the bot from the personal center)',
};

/**
 * Turns one escalation step into outbox messages, in the step's transaction: each person gets every
 * usable method the level (or their preferences) asks for; an unusable method falls back to the
 * person's next usable one; people nobody can reach and empty schedules go on the timeline.
 */
export async function dispatchLevel(trx: Executor, registry: ProviderRegistry, notice: LevelNotice, now: number): Promise<void> {
  const { incident, step, epoch } = notice;
  const severity = incident.severity as Severity;
  const problems: string[] = [];
  const people = await resolvePeople(trx, notice, now, problems);
  const groupChatIds = isAssignedTargets(notice.level.targets) ? [] : (notice.level.targets.group_chats ?? []);
  // A group chat configured a moment ago on another node is read fresh, not missed.
  const providers = (await listProviderRows(trx, groupChatIds)).filter((p) => Number(p.enabled) === 1);
  const providerFor = (method: NotificationMethod): ProviderRow | undefined => providers.find((p) => registry.get(p.provider)?.methods.includes(method));
  const kind = step.repeat > 0 ? 'repeat' : step.level > 0 || step.round > 0 ? 'escalated' : 'trigger';
  const base = notice.adHoc?.keyBase ?? `${incident.id}:${epoch}:${step.level}:${step.round}:${step.repeat}`;
  const sent: { person: string; method: string; device?: string }[] = [];
  const unreachable: { person_id: string; name: string; reasons: string[] }[] = [];
  const links = await linksOf(trx, people.map((p) => p.id));

  for (const person of people) {
    const chosen = methodsFor(notice.level.methods, severity);
    const wanted = (chosen.kind === 'explicit' ? chosen.methods.map(toNotificationMethod) : readPreferences(person.preferencesJson)[severity]) as PersonalMethod[];
    const reasons: string[] = [];
    const usable: { method: PersonalMethod; address: Address; provider: ProviderRow }[] = [];
    const consider = (method: PersonalMethod) => {
      if (usable.some((u) => u.method === method)) return;
      if (method === 'im') {
        // Several IM providers may be enabled: the person gets a DM on each one that can reach them.
        const im = imTargets(person, providers, registry, links);
        if (im.targets.length === 0) reasons.push(...(im.missing.length > 0 ? im.missing.map((m) => `im: ${m.provider}: ${IM_NEEDS[m.need]}`) : ['no im provider is configured']));
        for (const target of im.targets) usable.push({ method, address: { address: target.address }, provider: target.provider });
        return;
      }
      const provider = providerFor(method);
      const found = addressesFor(person, method);
      if (!provider) reasons.push(`no ${method} provider is configured`);
      else if ('problem' in found) reasons.push(`${method}: ${found.problem}`);
      else for (const address of found.addresses) usable.push({ method, address, provider });
    };
    wanted.forEach(consider);
    if (usable.length === 0) FALLBACK_ORDER.forEach(consider);
    if (usable.length === 0) {
      unreachable.push({ person_id: person.id, name: person.name, reasons: [...new Set(reasons)] });
      continue;
    }
    for (const [index, u] of usable.entries()) {
      const { device } = u.address;
      // One message per push device and per IM provider, each with its own idempotency key: one browser
      // or chat gone never stops the others. The first IM message keeps the plain key; further IM
      // providers add their id.
      const again = !device && usable.findIndex((other) => other.method === u.method) !== index;
      await queueMessageDeferred(
        trx,
        {
          key: `${base}:${person.id}:${u.method}${device ? `:${device.id}` : again ? `:${u.provider.id}` : ''}`,
          incidentId: incident.id,
          personId: person.id,
          providerId: u.provider.id,
          method: u.method,
          kind,
          recipient: { kind: 'person', personId: person.id, name: person.name, address: u.address.address, ...(device && { device: device.label }) },
          payload: { level: step.level + 1, epoch, fallbacks: wanted.includes(u.method) ? [] : ['fallback'] },
        },
        now,
      );
      sent.push({ person: person.name, method: u.method, ...(device && { device: device.label }) });
    }
  }

  for (const chatId of groupChatIds) {
    const provider = providers.find((p) => p.id === chatId);
    if (!provider) {
      problems.push(`group chat ${chatId} is not configured or disabled`);
      continue;
    }
    const method = registry.get(provider.provider)?.methods[0] ?? 'webhook';
    await queueMessageDeferred(trx, { key: `${base}:chat:${chatId}`, incidentId: incident.id, personId: null, providerId: chatId, method, kind, recipient: { kind: 'group_chat', name: provider.name }, payload: { level: step.level + 1, epoch } }, now);
    sent.push({ person: provider.name, method });
  }

  if (notice.adHoc) await insertTimeline(trx, incident.id, now, 'paged', { reason: notice.adHoc.reason, recipients: sent });
  else await insertTimeline(trx, incident.id, now, kind === 'escalated' && step.repeat === 0 ? 'escalated' : 'notified', { level: step.level + 1, round: step.round, repeat: step.repeat, recipients: sent });
  for (const u of unreachable) await insertTimeline(trx, incident.id, now, 'unreachable', u);
  for (const problem of problems) await insertTimeline(trx, incident.id, now, 'notify_problem', { problem });
}
