import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { FakeFeishu } from '../harness/peers/fake-feishu.js';
import { FakeDingTalk } from '../harness/peers/fake-dingtalk.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

/** Group chats told about an incident hear when it is acknowledged and when it is resolved. */
describe.each(dialects)('group-chat follow-ups on %s', (dialect) => {
  let h: Harness;
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  let hook: HttpPeer;
  let fire: (title: string) => Promise<{ id: string; number: number }>;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    feishu = await FakeFeishu.start({ secret: 'feishu-follow-up-secret', now: () => h.clock.now() });
    dingtalk = await FakeDingTalk.start({ secret: 'SECdingtalk-follow-up-secret', now: () => h.clock.now() });
    hook = await HttpPeer.start();
    const chats = [
      await h.provider('feishu', 'Feishu room', { webhook_url: feishu.hookUrl, secret: 'feishu-follow-up-secret' }),
      await h.provider('dingtalk', 'DingTalk room', { webhook_url: dingtalk.webhookUrl, secret: 'SECdingtalk-follow-up-secret' }),
      await h.provider('webhook', 'Webhook room', { url: `${hook.url}/room` }),
    ];
    const channel = await h.channel('Follow-ups');
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Rooms',
      spec: { levels: [{ targets: { group_chats: chats }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    fire = async (title) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
      await h.advance('0s');
      const [incident] = await h.incidents(channel.id);
      return incident as { id: string; number: number };
    };
  });
  afterAll(async () => {
    await h?.stop();
    await feishu?.close();
    await dingtalk?.close();
    await hook?.close();
  });

  const feishuPosts = (title: string) => feishu.messages.map((m) => JSON.stringify(m.body)).filter((b) => b.includes(title));
  const dingtalkPosts = (title: string) => dingtalk.messages.map((m) => JSON.stringify(m)).filter((b) => b.includes(title));
  const webhookKinds = (number: number) =>
    hook.requests.map((r) => JSON.parse(r.body) as { kind: string; incident: { number: number } | null }).filter((b) => b.incident?.number === number).map((b) => b.kind);

  it('posts the acknowledgement and then the resolution to Feishu, DingTalk and a webhook', async () => {
    const incident = await fire('Follow-up: acknowledged then resolved');
    expect(feishuPosts('Follow-up: acknowledged then resolved')).toHaveLength(1);
    expect(dingtalkPosts('Follow-up: acknowledged then resolved')).toHaveLength(1);
    expect(webhookKinds(incident.number)).toEqual(['trigger']);

    expect((await h.admin.post(`/api/v1/incidents/${incident.id}/ack`)).status).toBe(200);
    await h.advance('0s');
    expect(webhookKinds(incident.number)).toEqual(['trigger', 'acknowledged']);
    expect(feishuPosts('Follow-up: acknowledged then resolved').filter((p) => p.includes('Acknowledged'))).toHaveLength(1);
    expect(dingtalkPosts('Follow-up: acknowledged then resolved').filter((p) => p.includes('Acknowledged'))).toHaveLength(1);

    expect((await h.admin.post(`/api/v1/incidents/${incident.id}/resolve`, {})).status).toBe(200);
    await h.advance('0s');
    expect(webhookKinds(incident.number)).toEqual(['trigger', 'acknowledged', 'resolved']);
    expect(feishuPosts('Follow-up: acknowledged then resolved').filter((p) => p.includes('Resolved'))).toHaveLength(1);
    expect(dingtalkPosts('Follow-up: acknowledged then resolved').filter((p) => p.includes('Resolved'))).toHaveLength(1);
    const deliveries = await h.admin.get<{ data: { kind: string; status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    const followUps = deliveries.body.data.filter((d) => d.kind !== 'trigger');
    expect(followUps).toHaveLength(6);
    expect(followUps.every((d) => d.status === 'sent')).toBe(true);
  });

  it('posts the resolution of an incident resolved without an acknowledgement', async () => {
    const incident = await fire('Follow-up: resolved directly');
    expect((await h.admin.post(`/api/v1/incidents/${incident.id}/resolve`, {})).status).toBe(200);
    await h.advance('0s');
    expect(webhookKinds(incident.number)).toEqual(['trigger', 'resolved']);
    expect(feishuPosts('Follow-up: resolved directly').filter((p) => p.includes('Resolved'))).toHaveLength(1);
    expect(dingtalkPosts('Follow-up: resolved directly').filter((p) => p.includes('Resolved'))).toHaveLength(1);
  });
});
