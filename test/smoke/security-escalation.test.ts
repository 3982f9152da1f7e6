import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { createActionLink } from '../../src/notify/action-links.js';

const dialects = await testDialects();

const level = (targets: Record<string, unknown>) => ({ targets, methods: { kind: 'preferences' }, escalate_after_min: 30 });

/** Issue 10 items 3 and 5 through the HTTP API of a running server. */
describe.each(dialects)('escalation targets on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it("refuses another team's private schedule as a target and never names it in summaries (item 3)", async () => {
    const { person: alice } = await h.person('responder');
    const { person: bob, client: bobClient } = await h.person('responder');
    const teamA = await h.team('Schedule owners A', [alice]);
    const teamB = await h.team('Rule editors B', [bob]);
    const secret = await h.admin.post<{ id: string }>('/api/v1/schedules', { name: 'Secret A rota', team_id: teamA.id, private: true });
    expect(secret.status).toBe(201);
    const open = await h.admin.post<{ id: string }>('/api/v1/schedules', { name: 'Open A rota', team_id: teamA.id });
    const channel = await h.channel('B escalates', { teamId: teamB.id });

    const refused = await bobClient.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Sneaky', spec: { levels: [level({ schedules: [{ id: secret.body.id }] })] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'spec.levels[0].targets.schedules[0].id', message: expect.stringContaining('no schedule with this id') } });
    const allowed = await bobClient.post<{ id: string }>(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Fine', spec: { levels: [level({ schedules: [{ id: open.body.id }] })] } });
    expect(allowed.status).toBe(201);
    expect((await bobClient.patch(`/api/v1/escalation-rules/${allowed.body.id}`, { spec: { levels: [level({ schedules: [{ id: secret.body.id }] })] } })).status).toBe(400);

    // An admin may target it; B's members then read the rule without learning the schedule's name.
    const byAdmin = await h.admin.post<{ summary: string }>(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Admin made', spec: { levels: [level({ schedules: [{ id: secret.body.id }] })] } });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.summary).toContain('Secret A rota');
    const listed = await bobClient.get<{ data: { name: string; summary: string }[] }>(`/api/v1/channels/${channel.id}/escalation-rules`);
    const summary = listed.body.data.find((r) => r.name === 'Admin made')?.summary ?? '';
    expect(summary).not.toBe('');
    expect(summary).not.toContain('Secret A rota');
  });

  it("applies dynamic assignment only when the rule opts in, and only to the channel's teams (item 5)", async () => {
    const { person: member } = await h.person('responder', 'Member Mia');
    const { person: outsider } = await h.person('responder', 'Outsider Otto');
    const { person: fallback } = await h.person('responder', 'Default Dora');
    const team = await h.team('Dynamic owners', [member, fallback]);
    await h.team('Other dynamic team', [outsider]);
    const channel = await h.channel('Dynamic channel', { teamId: team.id });
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post<{ id: string; spec: { dynamic_assignment?: boolean } }>(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Default',
      spec: { levels: [level({ people: [fallback.id] })] },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.spec.dynamic_assignment).toBeUndefined();

    const fire = async (title: string) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, {
        title_rule: title,
        event_status: 'Critical',
        alert_key: title,
        labels: { tocsin_level_1_emails: `${member.email},${outsider.email}`, tocsin_level_1_teams: 'Other dynamic team' },
      });
      await h.advance('0s');
      const incident = (await h.incidents(channel.id)).find((i) => i.title === title);
      const timeline = await h.admin.get<{ data: unknown[] }>(`/api/v1/incidents/${incident?.id ?? ''}/timeline`);
      return JSON.stringify(timeline.body.data);
    };

    // Without the opt-in the labels change nothing: the rule's own target is notified.
    const ignored = await fire('Labels ignored');
    expect(ignored).toContain(fallback.id);
    expect(ignored).not.toContain(member.id);
    expect(ignored).not.toContain(outsider.id);

    expect((await h.admin.patch(`/api/v1/escalation-rules/${rule.body.id}`, { spec: { dynamic_assignment: true, levels: [level({ people: [fallback.id] })] } })).status).toBe(200);
    const applied = await fire('Labels applied');
    expect(applied).toContain(member.id);
    expect(applied).not.toContain(outsider.id);
    expect(applied).not.toContain(fallback.id);
    expect(applied).toContain(`no person with email ${outsider.email} in the channel's teams`);
    expect(applied).toContain("no team Other dynamic team among the channel's teams");
  });

  it('refuses an action link whose person was deactivated or lost access to the channel (item 19)', async () => {
    const { person: stays } = await h.person('responder');
    const { person: leaves } = await h.person('responder');
    const { person: disabled } = await h.person('responder');
    const team = await h.team('Link holders', [stays, leaves, disabled]);
    const channel = await h.channel('Linked private', { teamId: team.id, private: true });
    const { key } = await h.integration(channel.id, 'standard');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Link access test', event_status: 'Critical' });
    const [incident] = await h.incidents(channel.id);
    const link = async (personId: string) => new URL(await createActionLink(h.tocsin.db.kysely, h.url, { incidentId: incident?.id ?? '', action: 'ack', personId }, h.clock.now())).pathname;
    const [forLeaver, forDisabled, forStayer] = [await link(leaves.id), await link(disabled.id), await link(stays.id)];

    expect((await h.admin.delete(`/api/v1/teams/${team.id}/members/${leaves.id}`)).status).toBe(204);
    expect((await h.admin.patch(`/api/v1/users/${disabled.id}`, { status: 'disabled' })).status).toBe(200);
    for (const path of [forLeaver, forDisabled]) {
      expect((await fetch(`${h.url}${path}`)).status).toBe(403);
      const refused = await fetch(`${h.url}${path}`, { method: 'POST' });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('no longer has access');
    }
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident?.id ?? ''}`)).body.status).toBe('triggered');
    expect((await fetch(`${h.url}${forStayer}`, { method: 'POST' })).status).toBe(200);
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident?.id ?? ''}`)).body.status).toBe('processing');
  });
});
