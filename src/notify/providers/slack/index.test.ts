import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, type SlackCall } from '../../../../test/harness/peers/fake-slack.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { CallbackResult, InboundRequest, IncidentMessage, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { parseSlackMessageId, slackProvider, slackSignature, toMrkdwn, updateMessage, type SlackSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const TOKEN = 'xoxb-1111-2222-tocsin';
const SIGNING_SECRET = '8f742231b10e8888abcd99e1f0c285a5';
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settings(raw: Record<string, unknown>): SlackSettings {
  const normalized = normalizeProviderSettings(slackProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return slackProvider.parseSettings(normalized.value);
}

const incident = { ...sampleIncident(), labels: { host: 'db-1', env: 'prod' } };
const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'im',
  recipient: { kind: 'group_chat', name: 'Slack #ops' },
  kind: 'trigger',
  incident,
  content: { text: '**[Critical] #42 Disk usage above 90% on db-1**' },
};
const acknowledged: IncidentMessage = { ...trigger, id: 'm-2', kind: 'acknowledged', incident: { ...incident, status: 'Acknowledged' } };
const resolved: IncidentMessage = { ...trigger, id: 'm-3', kind: 'resolved', incident: { ...incident, status: 'Resolved' } };

const TITLE = '*<https://tocsin.example.com/incidents/42|[Critical] #42 Disk usage above 90% on db-1>*';
const OPEN = '{"type":"button","action_id":"tocsin_open","text":{"type":"plain_text","text":"Open in Tocsin"},"url":"https://tocsin.example.com/incidents/42"}';
const ACK =
  '{"type":"button","action_id":"tocsin_ack","text":{"type":"plain_text","text":"Acknowledge"},"value":"0190a5c2-7f3e-7a00-8000-000000000042","style":"primary"}';
const RESOLVE = '{"type":"button","action_id":"tocsin_resolve","text":{"type":"plain_text","text":"Resolve"},"value":"0190a5c2-7f3e-7a00-8000-000000000042"}';
const TRIGGER_ATTACHMENT =
  '{"color":"#d92d20","fallback":"[Critical] #42 Disk usage above 90% on db-1","blocks":[' +
  `{"type":"section","text":{"type":"mrkdwn","text":"${TITLE}"}},` +
  '{"type":"section","text":{"type":"mrkdwn","text":"/var/lib/postgresql is at 93% and growing 1%/hour."}},' +
  '{"type":"section","fields":[{"type":"mrkdwn","text":"*Channel*\\nDatabases"},{"type":"mrkdwn","text":"*Severity*\\nCritical"},' +
  '{"type":"mrkdwn","text":"*Status*\\nTriggered"},{"type":"mrkdwn","text":"*Alerts*\\n2"},{"type":"mrkdwn","text":"*Assignees*\\nAda Lovelace"}]},' +
  '{"type":"context","elements":[{"type":"mrkdwn","text":"`env=prod`  `host=db-1`"}]},' +
  `{"type":"actions","block_id":"tocsin_incident","elements":[${ACK},${RESOLVE},${OPEN}]}]}`;
const ACK_ATTACHMENT =
  '{"color":"#fdb022","fallback":"Acknowledged: [Critical] #42 Disk usage above 90% on db-1","blocks":[' +
  `{"type":"section","text":{"type":"mrkdwn","text":"${TITLE}\\n*Acknowledged* · Databases · Ada Lovelace"}},` +
  `{"type":"actions","block_id":"tocsin_incident","elements":[${RESOLVE},${OPEN}]}]}`;
const RESOLVED_ATTACHMENT =
  '{"color":"#12b76a","fallback":"Resolved: [Critical] #42 Disk usage above 90% on db-1","blocks":[' +
  `{"type":"section","text":{"type":"mrkdwn","text":"${TITLE}\\n*Resolved* · Databases · Ada Lovelace"}},` +
  `{"type":"actions","block_id":"tocsin_incident","elements":[${OPEN}]}]}`;

/** Header pairs as sent, without the ones fetch (undici) adds by itself. */
function ownHeaders(call: SlackCall): [string, string][] {
  const added = new Set(['host', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding', 'content-length']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < call.rawHeaders.length; i += 2) {
    const name = call.rawHeaders[i] ?? '';
    if (!added.has(name.toLowerCase())) pairs.push([name, call.rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

describe('slack provider, bot mode, against a fake Slack', () => {
  let slack: FakeSlack;
  let bot: SlackSettings;
  beforeAll(async () => {
    slack = await FakeSlack.start({ token: TOKEN, signingSecret: SIGNING_SECRET });
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.reset();
    bot = settings({ bot_token: TOKEN, channel: 'C0OPS', signing_secret: SIGNING_SECRET, api_base: slack.apiBase });
  });

  it('declares its settings form', () => {
    expect(slackProvider.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'webhook_url:url',
      'bot_token:secret',
      'channel:string',
      'signing_secret:secret',
      'buttons:select',
      'api_base:url',
      'language:select',
    ]);
    expect(slackProvider.methods).toEqual(['im', 'webhook']);
  });

  it('posts the exact chat.postMessage body and returns channel:ts for updates', async () => {
    const result = await slackProvider.send(bot, trigger, context());
    expect(result).toEqual({ kind: 'sent', providerMessageId: 'C0OPS:1767603600.000100' });
    const [call] = slack.calls;
    expect(call?.method).toBe('chat.postMessage');
    expect(call?.httpMethod).toBe('POST');
    expect(call?.path).toBe('/api/chat.postMessage');
    expect(call?.rawBody).toBe(`{"channel":"C0OPS","attachments":[${TRIGGER_ATTACHMENT}]}`);
    expect(ownHeaders(call as SlackCall)).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Authorization', `Bearer ${TOKEN}`],
      ['User-Agent', 'Tocsin-Slack/1'],
    ]);
  });

  it('updates the message in place with chat.update as the incident changes', async () => {
    const sent = await slackProvider.send(bot, trigger, context());
    const id = sent.kind === 'sent' ? (sent.providerMessageId ?? '') : '';
    expect(await updateMessage(bot, id, acknowledged, context())).toEqual({ kind: 'sent', providerMessageId: id });
    expect(slack.calls[1]?.rawBody).toBe(`{"channel":"C0OPS","ts":"1767603600.000100","attachments":[${ACK_ATTACHMENT}]}`);
    expect(await updateMessage(bot, id, resolved, context())).toEqual({ kind: 'sent', providerMessageId: id });
    expect(slack.calls[2]?.rawBody).toBe(`{"channel":"C0OPS","ts":"1767603600.000100","attachments":[${RESOLVED_ATTACHMENT}]}`);
    expect(slack.message('C0OPS', '1767603600.000100')?.updates).toBe(2);
    expect(JSON.stringify(slack.message('C0OPS', '1767603600.000100')?.body)).toBe(`{"attachments":[${RESOLVED_ATTACHMENT}]}`);
    expect(await updateMessage(bot, 'C0OPS:1.000001', resolved, context())).toEqual({ kind: 'failed', error: 'slack chat.update: message_not_found' });
    expect(await updateMessage(bot, 'garbage', resolved, context())).toEqual({ kind: 'failed', error: 'not a Slack message id: garbage' });
    expect(parseSlackMessageId('D0ADA:1767603600.000100')).toEqual({ channel: 'D0ADA', ts: '1767603600.000100' });
  });

  it('DMs a person: users.lookupByEmail, conversations.open, chat.postMessage', async () => {
    slack.addUser('ada@example.com', 'U0ADA');
    const dm: OutboundMessage = { ...trigger, recipient: { kind: 'person', personId: 'p-ada', name: 'Ada', address: 'Ada@Example.com' } };
    expect(await slackProvider.send(bot, dm, context())).toEqual({ kind: 'sent', providerMessageId: 'D0ADA:1767603600.000100' });
    expect(slack.calls.map((c) => [c.httpMethod, c.path, c.rawBody])).toEqual([
      ['GET', '/api/users.lookupByEmail?email=Ada%40Example.com', ''],
      ['POST', '/api/conversations.open', '{"users":"U0ADA"}'],
      ['POST', '/api/chat.postMessage', `{"channel":"D0ADA","attachments":[${TRIGGER_ATTACHMENT}]}`],
    ]);
    expect(ownHeaders(slack.calls[0] as SlackCall)).toEqual([
      ['Authorization', `Bearer ${TOKEN}`],
      ['User-Agent', 'Tocsin-Slack/1'],
    ]);
    // A Slack user id as the address skips the lookup.
    slack.reset();
    slack.addUser('ada@example.com', 'U0ADA');
    await slackProvider.send(bot, { ...dm, recipient: { kind: 'person', personId: 'p-ada', name: 'Ada', address: 'U0ADA' } }, context());
    expect(slack.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
  });

  it('maps Slack errors: unknown user and channel fail, rate limits and outages retry', async () => {
    const dm: OutboundMessage = { ...trigger, recipient: { kind: 'person', personId: 'p-x', name: 'X', address: 'nobody@example.com' } };
    expect(await slackProvider.send(bot, dm, context())).toEqual({ kind: 'failed', error: 'slack users.lookupByEmail: users_not_found' });
    expect(await slackProvider.send({ ...bot, channel: 'C0GONE' }, trigger, context())).toEqual({
      kind: 'failed',
      error: 'slack chat.postMessage: channel_not_found',
    });
    expect(await slackProvider.send({ ...bot, botToken: 'xoxb-wrong' }, trigger, context())).toEqual({
      kind: 'failed',
      error: 'slack chat.postMessage: invalid_auth',
    });
    slack.respondNext('chat.postMessage', 429, '{"ok":false,"error":"ratelimited"}', { 'Retry-After': '30' });
    expect(await slackProvider.send(bot, trigger, context())).toEqual({
      kind: 'retry',
      error: 'slack: HTTP 429: {"ok":false,"error":"ratelimited"}',
      retryAfterMs: 30_000,
    });
    slack.failNext('chat.postMessage', 'ratelimited');
    expect(await slackProvider.send(bot, trigger, context())).toEqual({ kind: 'retry', error: 'slack chat.postMessage: ratelimited' });
    slack.failNext('chat.postMessage', 'internal_error');
    expect((await slackProvider.send(bot, trigger, context())).kind).toBe('retry');
    slack.respondNext('chat.postMessage', 503, 'upstream down');
    expect(await slackProvider.send(bot, trigger, context())).toEqual({ kind: 'retry', error: 'slack: HTTP 503: upstream down' });
    slack.failNext('chat.postMessage', 'not_in_channel');
    expect(await slackProvider.send(bot, trigger, context())).toEqual({ kind: 'failed', error: 'slack chat.postMessage: not_in_channel' });
    slack.respondNext('chat.postMessage', 200, '<html>');
    expect(await slackProvider.send(bot, trigger, context())).toEqual({ kind: 'retry', error: 'slack chat.postMessage: the answer is not JSON' });
  });

  it('sends bundles and verification codes as mrkdwn text', async () => {
    slack.addUser('ada@example.com', 'U0ADA');
    const code: OutboundMessage = {
      id: 'v',
      idempotencyKey: 'v',
      method: 'im',
      recipient: { kind: 'person', personId: 'p', name: 'Ada', address: 'U0ADA' },
      kind: 'verification',
      code: '123456',
      content: { text: 'Your code is **123456** <b>' },
    };
    await slackProvider.send(bot, code, context());
    expect(slack.callsOf('chat.postMessage')[0]?.rawBody).toBe('{"channel":"D0ADA","text":"Your code is *123456* &lt;b&gt;"}');
  });
});

describe('slack provider, incoming webhook mode', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it('POSTs the message to the webhook without a channel', async () => {
    const hook = settings({ webhook_url: slack.webhookUrl, signing_secret: SIGNING_SECRET });
    expect(await slackProvider.send(hook, trigger, context())).toEqual({ kind: 'sent' });
    const [call] = slack.calls;
    expect(call?.method).toBe('webhook');
    expect(call?.rawBody).toBe(`{"attachments":[${TRIGGER_ATTACHMENT}]}`);
    expect(ownHeaders(call as SlackCall)).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['User-Agent', 'Tocsin-Slack/1'],
    ]);
    expect(await updateMessage(hook, 'C0OPS:1767603600.000100', resolved, context())).toEqual({
      kind: 'failed',
      error: 'messages sent through an incoming webhook cannot be updated; use a bot token',
    });
  });

  it('maps webhook answers and refuses DMs', async () => {
    const hook = settings({ webhook_url: slack.webhookUrl, buttons: 'none' });
    slack.respondNext('webhook', 404, 'no_service');
    expect(await slackProvider.send(hook, trigger, context())).toEqual({ kind: 'failed', error: 'slack: HTTP 404: no_service' });
    slack.respondNext('webhook', 429, 'rate_limited', { 'Retry-After': '2' });
    expect(await slackProvider.send(hook, trigger, context())).toEqual({ kind: 'retry', error: 'slack: HTTP 429: rate_limited', retryAfterMs: 2000 });
    const dm: OutboundMessage = { ...trigger, recipient: { kind: 'person', personId: 'p', name: 'Ada', address: 'ada@example.com' } };
    expect(await slackProvider.send(hook, dm, context())).toEqual({
      kind: 'failed',
      error: 'Slack DMs need a bot token (an incoming webhook posts to one channel)',
    });
    expect(slack.calls).toHaveLength(2);
  });

  it('link buttons open the signed links; none leaves only Open', async () => {
    await slackProvider.send(settings({ webhook_url: slack.webhookUrl, buttons: 'links' }), trigger, context());
    const links = JSON.parse(slack.calls[0]?.rawBody ?? '{}') as { attachments: { blocks: { type: string; elements?: unknown[] }[] }[] };
    expect(links.attachments[0]?.blocks.at(-1)?.elements).toEqual([
      {
        type: 'button',
        action_id: 'tocsin_ack_link',
        text: { type: 'plain_text', text: 'Acknowledge' },
        url: 'https://tocsin.example.com/a/sample-ack',
        style: 'primary',
      },
      { type: 'button', action_id: 'tocsin_resolve_link', text: { type: 'plain_text', text: 'Resolve' }, url: 'https://tocsin.example.com/a/sample-resolve' },
      JSON.parse(OPEN),
    ]);
    await slackProvider.send(settings({ webhook_url: slack.webhookUrl, buttons: 'none' }), trigger, context());
    const none = JSON.parse(slack.calls[1]?.rawBody ?? '{}') as typeof links;
    expect(none.attachments[0]?.blocks.at(-1)?.elements).toEqual([JSON.parse(OPEN)]);
  });
});

describe('slack interactivity', () => {
  let slack: FakeSlack;
  let tocsin: Server;
  let callbackUrl = '';
  const received: { verified: boolean; result?: CallbackResult }[] = [];
  const s = (): SlackSettings => settings({ webhook_url: 'https://hooks.example.com/x', signing_secret: SIGNING_SECRET });

  beforeAll(async () => {
    slack = await FakeSlack.start({ signingSecret: SIGNING_SECRET });
    // Stands in for Tocsin's POST /callbacks/slack/:config/interactivity route.
    tocsin = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        const request: InboundRequest = { method: req.method ?? '', url: `${callbackUrl}`, headers, rawBody: Buffer.concat(chunks).toString('utf8') };
        const verified = slackProvider.verifySignature?.(s(), request, NOW) ?? false;
        if (!verified) {
          received.push({ verified });
          res.writeHead(401).end();
          return;
        }
        const result = slackProvider.parseCallback?.(s(), request) ?? { actions: [] };
        received.push({ verified, result });
        res.writeHead(result.response?.status ?? 204, { 'content-type': result.response?.contentType ?? 'text/plain' }).end(result.response?.body ?? '');
      });
    });
    await new Promise<void>((resolve) => tocsin.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(tocsin.address() as AddressInfo).port}/callbacks/slack/cfg-1/interactivity`;
  });
  afterAll(async () => {
    await slack.close();
    await new Promise((resolve) => tocsin.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
  });

  function request(signed: { headers: Record<string, string>; body: string }): InboundRequest {
    return { method: 'POST', url: callbackUrl, headers: signed.headers, rawBody: signed.body };
  }

  it('a genuine button press reaches Tocsin, verifies and becomes an acknowledge', async () => {
    const response = await slack.pressButton(callbackUrl, { actionId: 'tocsin_ack', value: incident.id, userId: 'U0ADA' }, NOW);
    expect([response.status, await response.text()]).toEqual([200, '']);
    expect(received).toEqual([
      {
        verified: true,
        result: { actions: [{ kind: 'acknowledge', incidentId: incident.id, from: 'U0ADA' }], response: { status: 200, contentType: 'text/plain', body: '' } },
      },
    ]);
  });

  it('prefers the email when the payload has one; resolve buttons resolve', async () => {
    await slack.pressButton(callbackUrl, { actionId: 'tocsin_resolve', value: incident.id, userId: 'U0ADA', email: 'ada@example.com' }, NOW);
    expect(received[0]?.result?.actions).toEqual([{ kind: 'resolve', incidentId: incident.id, from: 'ada@example.com' }]);
  });

  it('accepts a genuine signature, refuses a forged one, a tampered body and a stale timestamp', () => {
    const verify = (req: InboundRequest, now = NOW): boolean => slackProvider.verifySignature?.(s(), req, now) ?? false;
    const payload = slack.blockActionsPayload({ actionId: 'tocsin_ack', value: incident.id, userId: 'U0ADA' });
    const genuine = slack.signedInteraction(payload, NOW);
    expect(genuine.headers['x-slack-signature']).toBe(slackSignature(SIGNING_SECRET, Math.floor(NOW / 1000), genuine.body));
    expect(verify(request(genuine))).toBe(true);
    expect(verify(request(genuine), NOW + 299_000)).toBe(true);
    expect(verify(request(genuine), NOW - 299_000)).toBe(true);
    expect(verify(request(genuine), NOW + 301_000)).toBe(false);
    expect(verify(request(slack.signedInteraction(payload, NOW - 6 * 60_000)))).toBe(false);
    expect(verify(request(slack.signedInteraction(payload, NOW, 'ffffffffffffffffffffffffffffffff')))).toBe(false);
    expect(verify({ ...request(genuine), rawBody: genuine.body.replace('tocsin_ack', 'tocsin_resolve') })).toBe(false);
    expect(verify({ ...request(genuine), headers: { ...genuine.headers, 'x-slack-signature': 'v0=00' } })).toBe(false);
    expect(verify({ ...request(genuine), headers: { ...genuine.headers, 'x-slack-signature': undefined } })).toBe(false);
    expect(verify({ ...request(genuine), headers: { ...genuine.headers, 'x-slack-request-timestamp': 'soon' } })).toBe(false);
    // Without a signing secret nothing verifies.
    expect(slackProvider.verifySignature?.(settings({ webhook_url: 'https://hooks.example.com/x', buttons: 'links' }), request(genuine), NOW)).toBe(false);
  });

  it('a forged press is refused before it is parsed', async () => {
    const forged = slack.signedInteraction(
      slack.blockActionsPayload({ actionId: 'tocsin_resolve', value: incident.id, userId: 'U0EVE' }),
      NOW,
      '0000000000000000deadbeefdeadbeef',
    );
    const response = await fetch(callbackUrl, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(response.status).toBe(401);
    expect(received).toEqual([{ verified: false }]);
  });

  it('ignores other actions, other payload types and malformed bodies', () => {
    const parse = (rawBody: string) => slackProvider.parseCallback?.(s(), { method: 'POST', url: callbackUrl, headers: {}, rawBody }).actions;
    const payload = slack.blockActionsPayload({ actionId: 'tocsin_open', value: incident.id, userId: 'U0ADA' });
    expect(parse(new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).toEqual([]);
    expect(parse(new URLSearchParams({ payload: JSON.stringify({ ...payload, type: 'view_submission' }) }).toString())).toEqual([]);
    expect(parse('payload=%7Bnot-json')).toEqual([]);
    expect(parse('')).toEqual([]);
  });
});

describe('slack settings and formatting', () => {
  it('needs exactly one of webhook URL and bot token, and a signing secret for interactive buttons', () => {
    expect(validateProviderSettings(slackProvider, {})).toEqual([{ field: 'settings.webhook_url', message: 'enter an incoming webhook URL or a bot token' }]);
    expect(validateProviderSettings(slackProvider, { webhook_url: 'https://hooks.slack.com/services/T/B/X', bot_token: TOKEN })).toEqual([
      { field: 'settings.webhook_url', message: 'use either an incoming webhook URL or a bot token, not both' },
    ]);
    expect(validateProviderSettings(slackProvider, { webhook_url: 'https://hooks.slack.com/services/T/B/X' })).toEqual([
      { field: 'settings.signing_secret', message: 'is required for interactive buttons (or choose link buttons)' },
    ]);
    expect(validateProviderSettings(slackProvider, { bot_token: 'xoxp-user', channel: 'C0OPS', signing_secret: SIGNING_SECRET })).toEqual([
      { field: 'settings.bot_token', message: 'must match xoxb-[A-Za-z0-9-]+' },
    ]);
    expect(validateProviderSettings(slackProvider, { bot_token: TOKEN, channel: '#ops', signing_secret: SIGNING_SECRET })).toEqual([]);
    expect(settings({ bot_token: TOKEN, signing_secret: SIGNING_SECRET })).toEqual({
      botToken: TOKEN,
      signingSecret: SIGNING_SECRET,
      buttons: 'interactive',
      apiBase: 'https://slack.com/api',
    });
  });

  it('a bot without a channel cannot post group-chat messages', async () => {
    const calls: string[] = [];
    const spy: SendContext = { now: NOW, fetch: (input) => (calls.push(String(input)), Promise.reject(new Error('must not be called'))) };
    expect(await slackProvider.send(settings({ bot_token: TOKEN, signing_secret: SIGNING_SECRET }), trigger, spy)).toEqual({
      kind: 'failed',
      error: 'set a channel for group-chat messages in bot mode',
    });
    expect(calls).toEqual([]);
  });

  it('turns our markdown into escaped mrkdwn', () => {
    expect(toMrkdwn('**A & B** <x> [Open](https://t.example/i/1?a=1&b=2) [x|y](https://t.example/|>)')).toBe(
      '*A &amp; B* &lt;x&gt; <https://t.example/i/1?a=1&b=2|Open> <https://t.example/%7C%3E|x¦y>',
    );
  });
});
