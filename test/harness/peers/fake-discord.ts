/**
 * A fake Discord webhook on 127.0.0.1 that checks requests the way Discord does:
 *   POST  /api/webhooks/<id>/<token>[?wait=true]          → 200 message object with `wait=true`, else 204
 *   PATCH /api/webhooks/<id>/<token>/messages/<message>   → 200 edited message
 *   unknown webhook id   → 404 {"message":"Unknown Webhook","code":10015}
 *   wrong token          → 401 {"message":"Invalid Webhook Token","code":50027}
 *   unknown message      → 404 {"message":"Unknown Message","code":10008}
 *   limits broken (content 2000, title 256, description 4096, 25 fields, field value 1024, 6000 in all)
 *                        → 400 {"message":"Invalid Form Body","code":50035}
 *   rateLimitNext()      → 429 {"message":"You are being rate limited.","retry_after":1.5,"global":false}, Retry-After: 2
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export interface DiscordMessage {
  readonly id: string;
  content: string;
  embeds: Record<string, unknown>[];
}

export class FakeDiscord extends VendorPeer {
  readonly webhookId = '1184236510393565184';
  readonly token = 'c2VjcmV0LXdlYmhvb2stdG9rZW4tZm9yLXRlc3RzLTAxMjM0NTY3ODk';
  /** Posted messages by id, as last edited. */
  readonly messages = new Map<string, DiscordMessage>();
  private nextId = 1190000000000000000n;

  static async start(): Promise<FakeDiscord> {
    const fake = new FakeDiscord();
    await fake.listen();
    return fake;
  }

  get webhookUrl(): string {
    return `${this.url}/api/webhooks/${this.webhookId}/${this.token}`;
  }

  override reset(): void {
    super.reset();
    this.messages.clear();
  }

  protected answer(request: VendorRequest): VendorReply {
    const url = new URL(request.path, 'http://fake.invalid');
    const match = /^\/api\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(\d+))?$/.exec(url.pathname);
    if (!match) return json(404, { message: '404: Not Found', code: 0 });
    const [, id, token, messageId] = match;
    if (id !== this.webhookId) return json(404, { message: 'Unknown Webhook', code: 10015 });
    if (token !== this.token) return json(401, { message: 'Invalid Webhook Token', code: 50027 });
    const body = parseObject(request.rawBody);
    if (!body || !valid(body)) return json(400, { message: 'Invalid Form Body', code: 50035 });
    if (this.takeRateLimit()) return json(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }, { 'Retry-After': '2' });
    const embeds = Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [];
    if (request.method === 'PATCH' && messageId !== undefined) {
      const existing = this.messages.get(messageId);
      if (!existing) return json(404, { message: 'Unknown Message', code: 10008 });
      if (typeof body.content === 'string') existing.content = body.content;
      if (Array.isArray(body.embeds)) existing.embeds = embeds;
      return json(200, { id: existing.id, content: existing.content, embeds: existing.embeds });
    }
    if (request.method !== 'POST' || messageId !== undefined) return json(405, { message: '405: Method Not Allowed', code: 0 });
    if ((typeof body.content !== 'string' || body.content === '') && embeds.length === 0) return json(400, { message: 'Cannot send an empty message', code: 50006 });
    this.nextId += 1n;
    const message: DiscordMessage = { id: String(this.nextId), content: typeof body.content === 'string' ? body.content : '', embeds };
    this.messages.set(message.id, message);
    if (url.searchParams.get('wait') !== 'true') return { status: 204, body: '' };
    return json(200, { id: message.id, type: 0, channel_id: '1184236400000000000', content: message.content, embeds: message.embeds, webhook_id: this.webhookId });
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Discord's documented limits on a message's content and embeds. */
function valid(body: Record<string, unknown>): boolean {
  if (text(body.content).length > 2000) return false;
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [];
  if (embeds.length > 10) return false;
  let total = 0;
  for (const embed of embeds) {
    const title = text(embed.title);
    const description = text(embed.description);
    if (title.length > 256 || description.length > 4096) return false;
    if (embed.color !== undefined && (typeof embed.color !== 'number' || embed.color < 0 || embed.color > 0xffffff)) return false;
    const fields = Array.isArray(embed.fields) ? (embed.fields as Record<string, unknown>[]) : [];
    if (fields.length > 25) return false;
    total += title.length + description.length;
    for (const field of fields) {
      if (text(field.name).length > 256 || text(field.value).length > 1024 || text(field.value) === '') return false;
      total += text(field.name).length + text(field.value).length;
    }
  }
  return total <= 6000;
}
