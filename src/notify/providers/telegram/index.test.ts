import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../../../test/harness/peers/fake-telegram.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, InboundRequest, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { markdownToTelegramHtml, telegramProvider, type TelegramSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const SECRET = 'tg-webhook-secret-0123456789';
const context: SendContext = { fetch: (input, init) => globalThis.fetch(input, init), now: NOW };

function settings(raw: Record<string, unknown>): TelegramSettings {
  const normalized = normalizeProviderSettings(telegramProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return telegramProvider.parseSettings(normalized.value);
}

const incident = sampleIncident();
const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'Telegram SRE' },
  kind: 'trigger',
  incident,
  content: { text: '**[Critical] #42 <disk> & more**\n`host=db-1`\n[Open](https://tocsin.example.com/incidents/42)' },
};
const HTML = '<b>[Critical] #42 &lt;disk&gt; &amp; more</b>\n<code>host=db-1</code>\n<a href="https://tocsin.example.com/incidents/42">Open</a>';

describe('telegram provider against a fake Bot API', () => {
  let telegram: FakeTelegram;
  let base: Record<string, unknown>;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    base = { bot_token: telegram.token, chat_id: String(telegram.chatId), api_base: telegram.url };
  });
  afterAll(async () => telegram.close());
  beforeEach(() => telegram.reset());

  it('turns template markdown into Telegram HTML and escapes everything else', () => {
    expect(markdownToTelegramHtml(trigger.content.text)).toBe(HTML);
    expect(markdownToTelegramHtml('<b onclick="x">')).toBe('&lt;b onclick=&quot;x&quot;&gt;');
  });

  it('sends the exact sendMessage with callback buttons and keeps chat:message as the id', async () => {
    const s = settings({ ...base, webhook_secret: SECRET });
    expect(await telegramProvider.send(s, trigger, context)).toEqual({ kind: 'sent', providerMessageId: `${telegram.chatId}:101` });
    const [request] = telegram.requests;
    expect(request?.path).toBe(`/bot${telegram.token}/sendMessage`);
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Telegram/1'],
    ]);
    expect(request?.rawBody).toBe(
      JSON.stringify({
        chat_id: String(telegram.chatId),
        text: HTML,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: {
          inline_keyboard: [
            [
              { text: 'Acknowledge', callback_data: `ack:${incident.id}` },
              { text: 'Resolve', callback_data: `resolve:${incident.id}` },
            ],
            [{ text: 'Open in Tocsin', url: incident.url }],
          ],
        },
      }),
    );
  });

  it('without a webhook secret the buttons open the signed links', async () => {
    await telegramProvider.send(settings(base), trigger, context);
    expect(telegram.messages[0]?.replyMarkup).toEqual({
      inline_keyboard: [
        [
          { text: 'Acknowledge', url: incident.ackUrl },
          { text: 'Resolve', url: incident.resolveUrl },
        ],
        [{ text: 'Open in Tocsin', url: incident.url }],
      ],
    });
  });

  it('edits the message in place on acknowledge, leaving only Resolve', async () => {
    const s = settings({ ...base, webhook_secret: SECRET });
    const sent = await telegramProvider.send(s, trigger, context);
    const id = sent.kind === 'sent' ? (sent.providerMessageId ?? '') : '';
    const acked: IncidentMessage = { ...trigger, kind: 'acknowledged', content: { text: '**#42** Processing' } };
    expect(await telegramProvider.update?.(s, id, acked, context)).toEqual({ kind: 'sent', providerMessageId: id });
    expect(telegram.requests[1]?.path).toBe(`/bot${telegram.token}/editMessageText`);
    expect(JSON.parse(telegram.requests[1]?.rawBody ?? '')).toMatchObject({ chat_id: telegram.chatId, message_id: Number(id.split(':')[1]) });
    expect(telegram.messages[0]).toMatchObject({ edits: 1, text: '✅ Acknowledged by Ada Lovelace\n<b>#42</b> Processing' });
    expect(telegram.messages[0]?.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'Resolve', callback_data: `resolve:${incident.id}` }], [{ text: 'Open in Tocsin', url: incident.url }]] });
    // The same edit again is "not modified": done, not an error.
    expect((await telegramProvider.update?.(s, id, acked, context))?.kind).toBe('sent');
  });

  it('429 waits retry_after and is never dropped; vendor errors fail with their code', async () => {
    telegram.rateLimitNext();
    const s = settings(base);
    expect(await telegramProvider.send(s, trigger, context)).toEqual({ kind: 'retry', error: 'telegram 429: Too Many Requests: retry after 3', retryAfterMs: 3000 });
    expect((await telegramProvider.send(s, trigger, context)).kind).toBe('sent');
    expect(await telegramProvider.send(settings({ ...base, chat_id: '-100999' }), trigger, context)).toEqual({ kind: 'failed', error: 'telegram 400: Bad Request: chat not found' });
    expect(await telegramProvider.send(settings({ ...base, bot_token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDwrong' }), trigger, context)).toEqual({ kind: 'failed', error: 'telegram 401: Unauthorized' });
  });

  it('a 10 000-character incident is cut under 4096 visible characters', async () => {
    const long: IncidentMessage = { ...trigger, content: { text: `**x** ${'<>&'.repeat(3500)}` } };
    expect((await telegramProvider.send(settings(base), long, context)).kind).toBe('sent');
  });

  it('checks the secret-token header, maps the pressing user, and answers the callback query in the response', () => {
    const s = settings({ ...base, webhook_secret: SECRET, user_map: '424242 = ada@example.com\n@grace_h = grace@example.com' });
    const body = (userId: number, username: string | undefined, data: string) =>
      JSON.stringify({ update_id: 1, callback_query: { id: 'cq1', from: { id: userId, is_bot: false, first_name: 'A', ...(username ? { username } : {}) }, data } });
    const request = (rawBody: string, token?: string): InboundRequest => ({
      method: 'POST',
      url: 'https://tocsin.example.com/callbacks/telegram/x/webhook',
      headers: token === undefined ? {} : { 'x-telegram-bot-api-secret-token': token },
      rawBody,
    });
    expect(telegramProvider.verifySignature?.(s, request(body(1, undefined, 'ack:x'), SECRET), NOW)).toBe(true);
    expect(telegramProvider.verifySignature?.(s, request(body(1, undefined, 'ack:x'), 'wrong'), NOW)).toBe(false);
    expect(telegramProvider.verifySignature?.(s, request(body(1, undefined, 'ack:x')), NOW)).toBe(false);
    expect(telegramProvider.parseCallback?.(s, request(body(424242, undefined, `ack:${incident.id}`)))).toEqual({
      actions: [{ kind: 'acknowledge', incidentId: incident.id, from: 'ada@example.com' }],
      response: { status: 200, contentType: 'application/json', body: JSON.stringify({ method: 'answerCallbackQuery', callback_query_id: 'cq1', text: 'Acknowledging…' }) },
    });
    expect(telegramProvider.parseCallback?.(s, request(body(7, 'Grace_H', `resolve:${incident.id}`)))?.actions).toEqual([{ kind: 'resolve', incidentId: incident.id, from: 'grace@example.com' }]);
    const stranger = telegramProvider.parseCallback?.(s, request(body(8, 'mallory', `ack:${incident.id}`)));
    expect(stranger?.actions).toEqual([]);
    expect(stranger?.response?.body).toContain('not linked');
  });

  it('validates token, chat id and user map', () => {
    expect(validateProviderSettings(telegramProvider, { bot_token: 'nope', chat_id: 'sre', user_map: 'bob' }).map((e) => e.field)).toEqual([
      'settings.bot_token',
      'settings.chat_id',
    ]);
    expect(validateProviderSettings(telegramProvider, { bot_token: telegram.token, chat_id: '-100123', user_map: 'bob' }).map((e) => e.field)).toEqual(['settings.user_map']);
  });
});
