import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';

/** Slack's own documented example request ("Verifying requests from Slack"). */
const SLACK_DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner' +
  '&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

describe('fake Slack', () => {
  let slack: FakeSlack;
  const api = (method: string, body: unknown, token = 'xoxb-test-token') =>
    fetch(`${slack.apiBase}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it('signs like Slack: the documented example signature', () => {
    expect(FakeSlack.sign('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', SLACK_DOC_BODY)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('builds a form-encoded block_actions request with the signature headers', () => {
    const signed = slack.signedInteraction(slack.blockActionsPayload({ actionId: 'tocsin_ack', value: 'inc-1', userId: 'U0ADA' }), Date.UTC(2026, 0, 5, 9));
    expect(signed.headers['x-slack-request-timestamp']).toBe('1767603600');
    expect(signed.headers['x-slack-signature']).toBe(FakeSlack.sign(slack.signingSecret, '1767603600', signed.body));
    const payload = JSON.parse(new URLSearchParams(signed.body).get('payload') ?? '{}') as {
      type: string;
      user: { id: string };
      actions: { action_id: string; value: string }[];
    };
    expect([payload.type, payload.user.id, payload.actions[0]?.action_id, payload.actions[0]?.value]).toEqual([
      'block_actions',
      'U0ADA',
      'tocsin_ack',
      'inc-1',
    ]);
  });

  it('answers the Web API like Slack: auth, users, DMs, posts and updates', async () => {
    expect(await api('chat.postMessage', { channel: 'C0OPS', text: 'hi' }, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(
      await (await fetch(`${slack.apiBase}/users.lookupByEmail?email=ada%40example.com`, { headers: { Authorization: 'Bearer xoxb-test-token' } })).json(),
    ).toEqual({ ok: false, error: 'users_not_found' });
    slack.addUser('ada@example.com', 'U0ADA');
    const found = (await (
      await fetch(`${slack.apiBase}/users.lookupByEmail?email=ada%40example.com`, { headers: { Authorization: 'Bearer xoxb-test-token' } })
    ).json()) as { user: { id: string } };
    expect(found.user.id).toBe('U0ADA');
    expect(await api('conversations.open', { users: 'U0ADA' })).toEqual({ ok: true, channel: { id: 'D0ADA' } });
    const posted = (await api('chat.postMessage', { channel: 'D0ADA', text: 'hi' })) as { ok: boolean; ts: string; channel: string };
    expect([posted.ok, posted.channel, posted.ts]).toEqual([true, 'D0ADA', '1767603600.000100']);
    expect(await api('chat.postMessage', { channel: 'C0NOPE', text: 'hi' })).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await api('chat.update', { channel: 'D0ADA', ts: posted.ts, text: 'edited' })).toEqual({
      ok: true,
      channel: 'D0ADA',
      ts: posted.ts,
      text: 'edited',
    });
    expect(slack.message('D0ADA', posted.ts)).toEqual({ channel: 'D0ADA', ts: posted.ts, body: { text: 'edited' }, updates: 1 });
    expect(await api('chat.update', { channel: 'D0ADA', ts: '1.2', text: 'x' })).toEqual({ ok: false, error: 'message_not_found' });
    slack.failNext('chat.postMessage', 'ratelimited');
    expect(await api('chat.postMessage', { channel: 'C0OPS', text: 'hi' })).toEqual({ ok: false, error: 'ratelimited' });
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'users.lookupByEmail',
      'users.lookupByEmail',
      'conversations.open',
      'chat.postMessage',
      'chat.postMessage',
      'chat.update',
      'chat.update',
      'chat.postMessage',
    ]);
  });

  it('answers the incoming webhook like Slack', async () => {
    const post = (body: string) =>
      fetch(slack.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(async (r) => [r.status, await r.text()]);
    expect(await post('{"text":"hi"}')).toEqual([200, 'ok']);
    expect(await post('{"nothing":1}')).toEqual([400, 'invalid_payload']);
    expect(await post('not json')).toEqual([400, 'invalid_payload']);
    slack.respondNext('webhook', 429, 'rate_limited', { 'Retry-After': '1' });
    expect(await post('{"text":"hi"}')).toEqual([429, 'rate_limited']);
    expect(slack.callsOf('webhook')).toHaveLength(4);
  });
});
