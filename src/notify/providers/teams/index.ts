/**
 * Microsoft Teams channel through a Workflows (Power Automate) webhook (SPEC §8.2).
 * Docs: docs/notifications/teams.md.
 *
 * Wire contract — `POST <workflow URL>` (the "Send webhook alerts to a channel" template's URL,
 * `https://…/workflows/<id>/triggers/manual/paths/invoke?api-version=…&sp=…&sv=1.0&sig=<signature>`;
 * the `sig` makes the URL the credential), `Content-Type: application/json`, body:
 *   {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
 *     "contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",
 *     "type":"AdaptiveCard","version":"1.4","body":[…],"actions":[…],"msteams":{"width":"Full","entities":[…]}}}]}
 * The card: the headline coloured by severity, a FactSet (channel, severity, status, alerts), the
 * rendered template (`content.text`; Teams TextBlocks read our markdown subset), and `Action.OpenUrl`
 * buttons opening the signed Acknowledge / Resolve links (Workflows cards cannot call back) and the
 * incident. Mentions: `<at>Name</at>` in a TextBlock plus an `msteams.entities` mention naming the
 * user's UPN / email, which the Workflows "post card" action resolves.
 * A Workflows webhook cannot edit what it posted, so acknowledge / resolve are follow-up cards.
 *
 * Outcome: 202 (or 200) → sent. 429 (`WorkflowRequestsThrottled`, Retry-After) and 5xx → retry;
 * 400/401/403/404 → failed as `teams <code>: <message>` from the `{"error":{code,message}}` body
 * (`DirectApiInvalidAuthorizationSignature` for a wrong `sig`, `TriggerInputSchemaMismatch`…).
 * Teams drops messages over 28 KB: the text block is cut so the whole body stays under 27 000 bytes.
 */
import { severityWord, statusWord, wordsFor } from '../../message-words.js';
import type { FieldError } from '../../../core/errors.js';
import { CHAT_FILTER_FIELDS, FILTERED, callVendor, clipBytes, headline, isHttpUrl, isRecord, parseChatFilters, passesChatFilters, snippet, transientHttp, type ChatFilters } from '../../provider-kit.js';
import type { IncidentView, OutboundMessage, Provider, SendContext, SendResult, Severity } from '../../provider.js';

export interface TeamsMention {
  /** UPN / email (or Entra object id) Teams resolves. */
  readonly id: string;
  readonly name: string;
}

export interface TeamsSettings extends ChatFilters {
  readonly webhookUrl: string;
  readonly mentions: readonly TeamsMention[];
}

const USER_AGENT = 'Tocsin-Teams/1';
export const MAX_BODY_BYTES = 27_000;
const SEVERITY_COLORS: Readonly<Record<Severity, string>> = { Critical: 'Attention', Warning: 'Warning', Info: 'Accent' };
const MENTION = /^([^\s:<>]+@[^\s:<>]+|[0-9a-f-]{36})(?::(.{1,64}))?$/i;

/** Whether `value` is a Workflows trigger URL: `…/workflows/<id>/triggers/…/invoke?…&sig=…`. */
export function isWorkflowUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return /\/workflows\/[A-Za-z0-9-]+\/triggers\/[^/]+\/paths\/invoke$/.test(url.pathname) && (url.searchParams.get('sig') ?? '') !== '';
}

/** Mentions from lines `email[:Display Name]`; entries that do not parse are reported. */
export function parseMentions(text: unknown): { mentions: TeamsMention[]; invalid: string[] } {
  const mentions: TeamsMention[] = [];
  const invalid: string[] = [];
  if (typeof text !== 'string') return { mentions, invalid };
  for (const entry of text.split(/[\n,;]+/).map((e) => e.trim()).filter((e) => e !== '')) {
    const match = MENTION.exec(entry);
    if (!match) invalid.push(entry);
    else mentions.push({ id: match[1] ?? '', name: (match[2] ?? match[1] ?? '').trim() });
  }
  return { mentions, invalid };
}

type Json = Record<string, unknown>;

function textBlock(text: string, extra: Json = {}): Json {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** The Adaptive Card (version 1.4) of `message`, with `text` as its main text block. */
export function teamsCard(settings: TeamsSettings, message: OutboundMessage, text: string): Json {
  const body: Json[] = [];
  const actions: Json[] = [];
  const pings = message.kind !== 'acknowledged' && message.kind !== 'resolved' && message.kind !== 'verification';
  if (message.kind === 'bundle' || message.kind === 'verification') {
    const words = wordsFor(message.locale);
    body.push(textBlock(message.kind === 'bundle' ? words.incidents(message.bundle.length) : `Tocsin ${words.kind.verification}`, { weight: 'Bolder', size: 'Medium' }));
    body.push(textBlock(text));
  } else {
    const incident: IncidentView = message.incident;
    const color = message.kind === 'acknowledged' ? 'Warning' : message.kind === 'resolved' ? 'Good' : SEVERITY_COLORS[incident.severity];
    const { locale } = message;
    const words = wordsFor(locale);
    const colon = locale === 'zh-CN' ? '：' : ': ';
    const note = message.kind === 'acknowledged' ? `${words.acknowledged}${colon}` : message.kind === 'resolved' ? `${words.resolved}${colon}` : '';
    body.push(textBlock(`${note}${headline(incident, message.kind === 'test', locale)}`, { weight: 'Bolder', size: 'Medium', color }));
    body.push({
      type: 'FactSet',
      facts: [
        { title: words.channel, value: incident.channelName },
        { title: words.severityLabel, value: severityWord(locale, incident.severity) },
        { title: words.statusLabel, value: locale === 'zh-CN' ? statusWord(locale, incident.status) : incident.status },
        { title: words.alerts, value: String(incident.alertCount) },
      ],
    });
    body.push(textBlock(text));
    const open = message.kind !== 'resolved';
    if (open && message.kind !== 'acknowledged' && incident.ackUrl) actions.push({ type: 'Action.OpenUrl', title: words.acknowledge, url: incident.ackUrl });
    if (open && incident.resolveUrl) actions.push({ type: 'Action.OpenUrl', title: words.resolve, url: incident.resolveUrl });
    actions.push({ type: 'Action.OpenUrl', title: words.open, url: incident.url });
  }
  const msteams: Json = { width: 'Full' };
  if (pings && settings.mentions.length > 0) {
    body.push(textBlock(settings.mentions.map((m) => `<at>${m.name}</at>`).join(' ')));
    msteams.entities = settings.mentions.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } }));
  }
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams,
  };
}

/** The exact JSON body for `message`, cut to Teams' size limit. */
export function teamsBody(settings: TeamsSettings, message: OutboundMessage): string {
  const wrap = (text: string): string =>
    JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: teamsCard(settings, message, text) }] });
  const full = wrap(message.content.text);
  const excess = Buffer.byteLength(full, 'utf8') - MAX_BODY_BYTES;
  if (excess <= 0) return full;
  // JSON escaping can make a character cost more on the wire than in the text: cut a little extra.
  return wrap(clipBytes(message.content.text, Math.max(0, Buffer.byteLength(message.content.text, 'utf8') - excess * 2 - 16)));
}

export const teamsProvider: Provider<TeamsSettings> = {
  id: 'teams',
  label: 'Microsoft Teams (Workflows)',
  methods: ['webhook'],
  maxTextLength: 15_000,
  fields: [
    {
      name: 'webhook_url',
      label: 'Workflow URL',
      type: 'secret',
      required: true,
      max: 4096,
      help: 'The URL of the channel’s "Send webhook alerts to a channel" workflow (…/triggers/manual/paths/invoke?…&sig=…)',
    },
    { name: 'mentions', label: 'People to @', type: 'string', multiline: true, max: 2000, help: 'One per line: email[:Display name]' },
    ...CHAT_FILTER_FIELDS,
  ],

  checkSettings(raw): FieldError[] {
    const errors: FieldError[] = [];
    if (!isWorkflowUrl(typeof raw.webhook_url === 'string' ? raw.webhook_url : ''))
      errors.push({ field: 'settings.webhook_url', message: 'must be a Workflows trigger URL …/workflows/<id>/triggers/manual/paths/invoke?…&sig=…' });
    const { invalid } = parseMentions(raw.mentions);
    if (invalid.length > 0) errors.push({ field: 'settings.mentions', message: `not email[:name] entries: ${invalid.join(', ')}` });
    return errors;
  },

  parseSettings(raw): TeamsSettings {
    return { webhookUrl: typeof raw.webhook_url === 'string' ? raw.webhook_url : '', mentions: parseMentions(raw.mentions).mentions, ...parseChatFilters(raw) };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    if (!passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    if (!isWorkflowUrl(settings.webhookUrl)) return { kind: 'failed', error: 'the Teams workflow URL must be …/workflows/<id>/triggers/manual/paths/invoke?…&sig=…' };
    const answer = await callVendor(context, settings.webhookUrl, {
      headers: [
        ['Content-Type', 'application/json'],
        ['User-Agent', USER_AGENT],
      ],
      body: teamsBody(settings, message),
    });
    if ('kind' in answer) return answer;
    const transient = transientHttp('teams', answer, context.now);
    if (transient) return transient;
    if (answer.status >= 200 && answer.status < 300) return { kind: 'sent' };
    const error = isRecord(answer.json) && isRecord(answer.json.error) ? answer.json.error : undefined;
    if (error && typeof error.code === 'string') return { kind: 'failed', error: `teams ${error.code}: ${typeof error.message === 'string' ? error.message : ''}` };
    return { kind: 'failed', error: `teams: HTTP ${answer.status}${snippet(answer.text)}` };
  },
};
