import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('first steps of a new organisation on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  type TeamBody = { id: string; members: { id: string }[] };

  it('adds the admin who creates a team to it when asked, so the first channel has an owner they belong to', async () => {
    const me = (await h.admin.get<{ id: string }>('/api/v1/me')).body;
    const joined = await h.admin.post<TeamBody>('/api/v1/teams', { name: 'Site reliability', join: true });
    expect(joined.status).toBe(201);
    expect(joined.body.members.map((m) => m.id)).toEqual([me.id]);
    const mine = (await h.admin.get<{ teams: { id: string }[] }>('/api/v1/me')).body.teams.map((t) => t.id);
    expect(mine).toContain(joined.body.id);

    const apart = await h.admin.post<TeamBody>('/api/v1/teams', { name: 'Someone else’s team' });
    expect(apart.body.members).toEqual([]);
  });

  it('always adds a responder who creates a team, whatever they ask', async () => {
    const { person, client } = await h.person('responder');
    const created = await client.post<TeamBody>('/api/v1/teams', { name: 'Responders’ own', join: false });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m) => m.id)).toEqual([person.id]);
  });

  it('names the field when join is not a boolean', async () => {
    const bad = await h.admin.post('/api/v1/teams', { name: 'Typo', join: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'InvalidParameter', field: expect.stringContaining('join') } });
  });
});

describe.each(dialects)('the getting-started checklist on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
  });
  afterAll(async () => h?.stop());

  type State = { in_team: boolean; channel_id: string | null; integration_id: string | null; has_alert: boolean; has_rule: boolean; verified_contact: boolean; push_device: boolean };
  const state = async () => (await h.admin.get<State>('/api/v1/me/onboarding')).body;

  it('ticks each step as the organisation takes it', async () => {
    expect(await state()).toEqual({ in_team: false, channel_id: null, integration_id: null, has_alert: false, has_rule: false, verified_contact: false, push_device: false });
    const me = (await h.admin.get<{ id: string; email: string }>('/api/v1/me')).body;

    const team = await h.admin.post<{ id: string }>('/api/v1/teams', { name: 'Ops', join: true });
    expect(await state()).toMatchObject({ in_team: true, channel_id: null });

    const channel = await h.channel('Payments', { teamId: team.body.id });
    expect(await state()).toMatchObject({ channel_id: channel.id, integration_id: null });

    const integration = await h.integration(channel.id, 'standard');
    expect(await state()).toMatchObject({ integration_id: integration.id, has_alert: false });

    await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'Test alert', event_status: 'Warning' });
    expect(await state()).toMatchObject({ has_alert: true, has_rule: false });

    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Default', spec: { levels: [{ targets: { people: [me.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
    expect(await state()).toMatchObject({ has_rule: true, verified_contact: false });

    await h.verifyEmail(h.admin, me.id);
    expect(await state()).toEqual({ in_team: true, channel_id: channel.id, integration_id: integration.id, has_alert: true, has_rule: true, verified_contact: true, push_device: false });

    // "Enable app push on this device": ticks once this person registers a browser.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const device = await h.admin.post('/api/v1/me/push-devices', { endpoint: 'https://push.example.net/send/onboarding', keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } });
    expect(device.status).toBe(201);
    expect(await state()).toMatchObject({ push_device: true });
  });

  it('is personal: another person sees their own team and contact steps', async () => {
    const { client } = await h.person('responder');
    const theirs = (await client.get<State>('/api/v1/me/onboarding')).body;
    expect(theirs).toMatchObject({ in_team: false, verified_contact: false, has_rule: true });
    expect((await h.client().get('/api/v1/me/onboarding')).status).toBe(401);
  });
});
