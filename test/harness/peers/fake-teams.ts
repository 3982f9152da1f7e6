/**
 * A fake Microsoft Teams Workflows webhook ("Send webhook alerts to a channel") on 127.0.0.1:
 *   POST /workflows/<id>/triggers/manual/paths/invoke?api-version=1&sp=…&sv=1.0&sig=<sig>
 *   wrong / missing sig        → 401 {"error":{"code":"DirectApiInvalidAuthorizationSignature",…}}
 *   not a message with one Adaptive Card attachment (type AdaptiveCard, version ≤ 1.5)
 *                              → 400 {"error":{"code":"TriggerInputSchemaMismatch",…}}
 *   body over 28 KB            → 413 {"error":{"code":"MessageTooLarge",…}}
 *   rateLimitNext()            → 429 {"error":{"code":"WorkflowRequestsThrottled",…}}, Retry-After: 30
 *   success                    → 202, empty body; the card is kept in `cards`
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

const WORKFLOW_ID = '5f3a9c8e2b1d4e6f8a0b1c2d3e4f5a6b';

export class FakeTeams extends VendorPeer {
  readonly signature = 'Zm9yLXRlc3RzLW9ubHktc2lnbmF0dXJl0123456789';
  /** Adaptive Cards posted, in order. */
  readonly cards: Record<string, unknown>[] = [];

  static async start(): Promise<FakeTeams> {
    const fake = new FakeTeams();
    await fake.listen();
    return fake;
  }

  get webhookUrl(): string {
    return `${this.url}/workflows/${WORKFLOW_ID}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${this.signature}`;
  }

  override reset(): void {
    super.reset();
    this.cards.length = 0;
  }

  protected answer(request: VendorRequest): VendorReply {
    const url = new URL(request.path, 'http://fake.invalid');
    if (request.method !== 'POST' || url.pathname !== `/workflows/${WORKFLOW_ID}/triggers/manual/paths/invoke`)
      return json(404, { error: { code: 'WorkflowNotFound', message: 'The workflow could not be found.' } });
    if (url.searchParams.get('sig') !== this.signature)
      return json(401, { error: { code: 'DirectApiInvalidAuthorizationSignature', message: 'The provided authorization signature is invalid.' } });
    if (Buffer.byteLength(request.rawBody, 'utf8') > 28 * 1024) return json(413, { error: { code: 'MessageTooLarge', message: 'The message is larger than 28 KB.' } });
    const body = parseObject(request.rawBody);
    const attachments = body && Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
    const card = attachments[0]?.content as Record<string, unknown> | undefined;
    const version = typeof card?.version === 'string' ? Number(card.version) : NaN;
    if (
      body?.type !== 'message' ||
      attachments.length !== 1 ||
      attachments[0]?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
      card?.type !== 'AdaptiveCard' ||
      !(version <= 1.5) ||
      !Array.isArray(card.body)
    )
      return json(400, { error: { code: 'TriggerInputSchemaMismatch', message: 'The input body for trigger manual of type Request did not match its schema definition.' } });
    if (this.takeRateLimit()) return json(429, { error: { code: 'WorkflowRequestsThrottled', message: 'Rate limit is exceeded.' } }, { 'Retry-After': '30' });
    this.cards.push(card);
    return { status: 202, body: '' };
  }
}
