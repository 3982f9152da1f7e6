import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

interface IntegrationBody {
  id: string;
  integration_key: string | null;
  settings: { source_options: Record<string, unknown>; routing: unknown };
}

const STANDARD = '/event/push/alert/standard?integration_key=';

/** Issue 10 items 1, 2, 4, 6, 7 and 21 through the HTTP API of a running server. */
describe.each(dialects)('cross-team access and secrets on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it("refuses routing a shared integration into another team's channel, by id or by name (item 1)", async () => {
    const { person: alice } = await h.person('responder');
    const { person: bob, client: bobClient } = await h.person('responder');
    const teamA = await h.team('Team A routing', [alice]);
    const teamB = await h.team('Team B routing', [bob]);
    const secretChannel = await h.channel('A private ops', { teamId: teamA.id, private: true });
    const publicA = await h.channel('A public ops', { teamId: teamA.id });
    const ownB = await h.channel('B own ops', { teamId: teamB.id });

    // By id, on save: another team's channel (private or public) and a missing one get the same answer.
    for (const target of [secretChannel.id, publicA.id, 'no-such-channel']) {
      const refused = await bobClient.post('/api/v1/integrations', {
        name: 'B shared',
        source: 'standard',
        team_id: teamB.id,
        settings: { routing: { cases: [], default: [target] } },
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'settings.routing.default', message: `settings.routing.default: channel ${target} is not a channel the owning team manages` } });
    }

    // By name mapping at ingest: A's private channel is not found, exactly like a name that does not exist.
    const created = await bobClient.post<IntegrationBody>('/api/v1/integrations', {
      name: 'B shared by name',
      source: 'standard',
      team_id: teamB.id,
      settings: { routing: { name_mapping: { label: 'channel' } } },
    });
    expect(created.status).toBe(201);
    const key = created.body.integration_key ?? '';
    const intoPrivate = await h.push(`${STANDARD}${key}`, { title_rule: 'page team A', event_status: 'Critical', labels: { channel: 'A private ops' } });
    const intoNothing = await h.push(`${STANDARD}${key}`, { title_rule: 'page nobody', event_status: 'Critical', labels: { channel: 'No such ops' } });
    expect(intoPrivate.status).toBe(422);
    expect(intoNothing.status).toBe(422);
    expect((intoPrivate.body as { error: { message: string } }).error.message).toBe((intoNothing.body as { error: { message: string } }).error.message);
    expect(await h.incidents(secretChannel.id)).toEqual([]);
    // ...while its own team's channel resolves.
    expect((await h.push(`${STANDARD}${key}`, { title_rule: 'page team B', event_status: 'Critical', labels: { channel: 'B own ops' } })).status).toBe(200);
    expect((await h.incidents(ownB.id)).map((i) => i.title)).toEqual(['page team B']);
  });

  it('skips a routed channel deleted after the routing was saved instead of failing the batch (item 1)', async () => {
    const team = await h.team('Deleted target owners');
    const kept = await h.channel('Kept target', { teamId: team.id });
    const doomed = await h.channel('Doomed target', { teamId: team.id });
    const created = await h.admin.post<IntegrationBody>('/api/v1/integrations', {
      name: 'Shared to a doomed channel',
      source: 'prometheus',
      team_id: team.id,
      settings: { routing: { cases: [{ if: [[{ key: 'labels.team', op: 'in', values: ['db'] }]], channels: [doomed.id, kept.id] }], default: [doomed.id] } },
    });
    expect(created.status).toBe(201);
    expect((await h.admin.delete(`/api/v1/channels/${doomed.id}`)).status).toBe(204);
    const alert = (name: string, labels: Record<string, string>) => ({ status: 'firing', labels: { alertname: name, ...labels }, annotations: {}, startsAt: '2026-03-02T09:00:00Z', fingerprint: name });
    const pushed = await h.push(`/event/push/alert/prometheus?integration_key=${created.body.integration_key ?? ''}`, {
      version: '4',
      status: 'firing',
      receiver: 'tocsin',
      alerts: [alert('ReplicationLag', { team: 'db' }), alert('DiskFull', { team: 'web' })],
    });
    // The first alert still reaches the kept channel; the second had only the deleted default: a 4xx, never a 500.
    expect(pushed.status).toBe(200);
    expect((await h.incidents(kept.id)).map((i) => i.title)).toEqual(['ReplicationLag']);
    const onlyDeleted = await h.push(`/event/push/alert/prometheus?integration_key=${created.body.integration_key ?? ''}`, {
      version: '4',
      status: 'firing',
      receiver: 'tocsin',
      alerts: [alert('DiskFull', { team: 'web' })],
    });
    expect(onlyDeleted.status).toBe(422);
  });

  it("hides a shared integration's settings, routing and raw payloads from other teams (item 2)", async () => {
    const { person: owner, client: ownerClient } = await h.person('responder');
    const { client: outsider } = await h.person('responder');
    const { client: viewer } = await h.person('viewer');
    const team = await h.team('Payload owners', [owner]);
    await h.channel('Payload channel', { teamId: team.id, private: true });
    const created = await ownerClient.post<IntegrationBody>('/api/v1/integrations', { name: 'Payload shared', source: 'standard', team_id: team.id });
    expect(created.status).toBe(201);
    await h.push(`${STANDARD}${created.body.integration_key ?? ''}`, { title_rule: 'card number 4111', event_status: 'Info' });
    for (const client of [outsider, viewer]) {
      expect((await client.get(`/api/v1/integrations/${created.body.id}`)).status).toBe(404);
      expect((await client.get(`/api/v1/integrations/${created.body.id}/activity`)).status).toBe(404);
      const listed = await client.get<{ data: { id: string }[] }>('/api/v1/integrations');
      expect(listed.body.data.map((i) => i.id)).not.toContain(created.body.id);
    }
    const activity = await ownerClient.get<{ raw_events: { payload: string }[] }>(`/api/v1/integrations/${created.body.id}/activity`);
    expect(activity.status).toBe(200);
    expect(activity.body.raw_events[0]?.payload).toContain('card number 4111');
  });

  it('shows phone numbers to the person and admins only (item 4)', async () => {
    const { person: subject, client: subjectClient } = await h.person('responder');
    const { client: viewer } = await h.person('viewer');
    expect((await h.admin.patch(`/api/v1/users/${subject.id}`, { phone: '+4915112345678' })).status).toBe(200);
    const seen = await viewer.get<{ phone: string | null }>(`/api/v1/users/${subject.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.phone).toBeNull();
    const listed = await viewer.get<{ data: { id: string; phone: string | null }[] }>('/api/v1/users?limit=100');
    expect(listed.body.data.find((p) => p.id === subject.id)?.phone).toBeNull();
    expect((await subjectClient.get<{ phone: string }>(`/api/v1/users/${subject.id}`)).body.phone).toBe('+4915112345678');
    expect((await h.admin.get<{ phone: string }>(`/api/v1/users/${subject.id}`)).body.phone).toBe('+4915112345678');
  });

  it('seals webhook URLs and header lines, masks them for admins and hides settings from others (item 6)', async () => {
    const slackUrl = 'https://hooks.slack.test/services/T000/B000/XXXXSECRETXXXX';
    const slack = await h.provider('slack', 'Ops Slack', { webhook_url: slackUrl, buttons: 'links' });
    const webhook = await h.provider('webhook', 'Ops hook', { url: 'https://example.test/hook', headers: 'Authorization: Bearer hook-token-123' });
    const { client: responder } = await h.person('responder');
    const asAdmin = await h.admin.get<{ data: { id: string; settings: Record<string, unknown> }[] }>('/api/v1/notification-providers');
    expect(asAdmin.body.data.find((p) => p.id === slack)?.settings.webhook_url).toBe('••••••');
    expect(asAdmin.body.data.find((p) => p.id === webhook)?.settings.headers).toBe('••••••');
    const asResponder = await responder.get<{ data: { id: string; provider: string; name: string; settings: Record<string, unknown> }[] }>('/api/v1/notification-providers');
    expect(asResponder.body.data.find((p) => p.id === slack)).toMatchObject({ id: slack, provider: 'slack', name: 'Ops Slack', settings: {} });
    // At rest: sealed, not the URL.
    const row = await h.tocsin.db.kysely.selectFrom('notification_providers').select('settings_json').where('id', '=', slack).executeTakeFirstOrThrow();
    expect(row.settings_json).not.toContain('XXXXSECRETXXXX');
    expect(row.settings_json).not.toContain('hooks.slack.test');
    // Sending •••••• back keeps the stored URL; a rename does not need it.
    expect((await h.admin.patch(`/api/v1/notification-providers/${slack}`, { name: 'Ops Slack 2', settings: { webhook_url: '••••••', buttons: 'links' } })).status).toBe(200);
    const kept = await h.tocsin.db.kysely.selectFrom('notification_providers').select('settings_json').where('id', '=', slack).executeTakeFirstOrThrow();
    expect(kept.settings_json).not.toContain('••••••');
  });

  it('seals the Grafana hmac_secret, masks it and keeps it out of the audit log (item 7)', async () => {
    const team = await h.team('Grafana owners');
    const channel = await h.channel('Grafana signed', { teamId: team.id });
    const created = await h.admin.post<IntegrationBody>(`/api/v1/channels/${channel.id}/integrations`, { name: 'Grafana', source: 'grafana', settings: { source_options: { hmac_secret: 'grafana-hmac-secret-1' } } });
    expect(created.status).toBe(201);
    expect(created.body.settings.source_options.hmac_secret).toBe('••••••');
    const updated = await h.admin.patch<IntegrationBody>(`/api/v1/integrations/${created.body.id}`, { settings: { source_options: { hmac_secret: '••••••', signature_header: 'X-Sig' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.settings.source_options).toEqual({ hmac_secret: '••••••', signature_header: 'X-Sig' });
    const row = await h.tocsin.db.kysely.selectFrom('integrations').select('settings_json').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.settings_json).not.toContain('grafana-hmac-secret-1');
    const audit = await h.admin.get<{ data: unknown[] }>(`/api/v1/audit-logs?target_id=${created.body.id}`);
    expect(audit.body.data.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body.data)).not.toContain('grafana-hmac-secret-1');
    // The kept secret still verifies signatures: an unsigned push is refused.
    const unsigned = await h.push(`/event/push/alert/grafana?integration_key=${created.body.integration_key ?? ''}`, { alerts: [] });
    expect(unsigned.status).toBe(401);
  });

  it('API keys: read-only scope, expiry, and no key minting keys (item 21)', async () => {
    const { client } = await h.person('responder');
    const readKey = await client.post<{ key: string; scope: string }>('/api/v1/me/api-keys', { name: 'read only', scope: 'read' });
    expect(readKey.status).toBe(201);
    expect(readKey.body.scope).toBe('read');
    const reader = client.withApiKey(readKey.body.key);
    expect((await reader.get('/api/v1/me')).status).toBe(200);
    const write = await reader.patch('/api/v1/me', { time_zone: 'Europe/Berlin' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: { code: 'AccessDenied' } });

    const fullKey = await client.post<{ key: string }>('/api/v1/me/api-keys', { name: 'full' });
    const minted = await client.withApiKey(fullKey.body.key).post('/api/v1/me/api-keys', { name: 'minted by a key' });
    expect(minted.status).toBe(403);

    const expiring = await client.post<{ key: string; expires_at: number }>('/api/v1/me/api-keys', { name: 'expiring', expires_at: h.clock.now() + 3_600_000 });
    expect(expiring.body.expires_at).toBe(h.clock.now() + 3_600_000);
    const expiringClient = client.withApiKey(expiring.body.key);
    expect((await expiringClient.get('/api/v1/me')).status).toBe(200);
    h.clock.set(h.clock.now() + 3_600_001);
    expect((await expiringClient.get('/api/v1/me')).status).toBe(401);
    expect((await client.post('/api/v1/me/api-keys', { name: 'past', expires_at: h.clock.now() - 1 })).status).toBe(400);
  });
});
