import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import type { ApiClient } from '../harness/client.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

interface Page {
  data: { id: string }[];
  next_cursor: string | null;
}

describe.each(dialects)('every list pages with limit and cursor on %s', (dialect) => {
  let h: Harness;
  let hook: HttpPeer;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    hook = await HttpPeer.start();
  });
  afterAll(async () => {
    await h?.stop();
    await hook?.close();
  });

  /** Walks a list two rows at a time; returns the ids in order and the number of pages. */
  async function walk(path: string, client: ApiClient = h.admin): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const response: { status: number; body: Page } = await client.get<Page>(`${path}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      ids.push(...response.body.data.map((row) => row.id));
      cursor = response.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 20);
    return { ids, pages };
  }

  async function expectPaged(path: string, count: number, client: ApiClient = h.admin): Promise<void> {
    const all = await client.get<Page>(`${path}${path.includes('?') ? '&' : '?'}limit=100`);
    expect(all.body.data).toHaveLength(count);
    expect(all.body.next_cursor).toBeNull();
    const walked = await walk(path, client);
    expect(walked.ids, path).toEqual(all.body.data.map((row) => row.id));
    expect(walked.pages, path).toBe(Math.ceil(count / 2));
  }

  it('pages integrations, rules, escalation rules, providers, API keys, custom fields and deliveries', async () => {
    // Shared integrations may only route to channels their team manages (issue 10 item 1).
    const team = await h.team('Paged team');
    const channel = await h.channel('Paged', { teamId: team.id });
    for (const n of [1, 2, 3]) {
      await h.integration(channel.id, 'standard');
      expect((await h.admin.post('/api/v1/integrations', { name: `Shared ${n}`, source: 'standard', team_id: team.id, settings: { routing: { cases: [], default: [channel.id] } } })).status).toBe(201);
      expect((await h.admin.post(`/api/v1/channels/${channel.id}/drop-rules`, { name: `Drop ${n}`, spec: { filter: [[{ key: 'title', op: 'in', values: [`noise ${n}`] }]] } })).status).toBe(201);
      expect((await h.admin.post('/api/v1/custom-fields', { name: `field_${n}`, label: `Field ${n}`, kind: 'text' })).status).toBe(201);
    }
    const chats = [];
    for (const n of [1, 2, 3]) chats.push(await h.provider('webhook', `Room ${n}`, { url: `${hook.url}/room/${n}` }));
    for (const n of [1, 2, 3]) {
      const created = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: `Rule ${n}`, spec: { levels: [{ targets: { group_chats: chats }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
      expect(created.status).toBe(201);
    }
    await expectPaged(`/api/v1/channels/${channel.id}/integrations`, 3);
    await expectPaged('/api/v1/integrations', 3);
    await expectPaged(`/api/v1/channels/${channel.id}/drop-rules`, 3);
    await expectPaged(`/api/v1/channels/${channel.id}/escalation-rules`, 3);
    // Three webhooks and the built-in Web Push provider every installation has.
    await expectPaged('/api/v1/notification-providers', 4);
    await expectPaged('/api/v1/custom-fields', 3);
    // An API key cannot mint keys (issue 10 item 21): keys are made from a signed-in session.
    const { client: keyHolder } = await h.person('responder');
    for (const n of [1, 2, 3]) expect((await keyHolder.post('/api/v1/me/api-keys', { name: `key ${n}` })).status).toBe(201);
    await expectPaged('/api/v1/me/api-keys', 3, keyHolder);

    const integrations = await h.admin.get<{ data: { integration_key: string }[] }>(`/api/v1/channels/${channel.id}/integrations?limit=1`);
    const key = integrations.body.data[0]?.integration_key ?? '';
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Paged deliveries', event_status: 'Critical' });
    const [incident] = await h.incidents(channel.id);
    await h.advance('0s');
    await expectPaged(`/api/v1/incidents/${incident?.id ?? ''}/deliveries`, 3);
    expect((await h.admin.get('/api/v1/notification-providers?limit=101')).status).toBe(400);
  });
});
