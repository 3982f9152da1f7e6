/**
 * Notification templates (SPEC §8.3): a sandboxed mustache-like language, the default template of
 * every method, and length limits enforced by truncation with an ellipsis.
 *
 * Why not `core/template.ts`: that sandbox knows only title/description/severity/labels of an event and
 * has no sections; notifications need dotted paths into the incident (`{{ incident.title }}`), lists
 * (labels table, bundled incidents), conditionals (buttons only when a link exists) and HTML escaping.
 *
 * The language (no code execution — only own-property lookups in plain data):
 * - `{{ a.b.c }}` a value (strings, numbers, booleans; anything else renders as ''), HTML-escaped when
 *   rendering HTML. There is no unescaped form: label values come from alert sources and must never
 *   become markup.
 * - `{{# a.b }}…{{/ a.b }}` renders its body once per item of a list, once with the value on the scope
 *   when it is a truthy non-list, never when it is '', false, null/absent or an empty list.
 *   `{{^ a.b }}…{{/ a.b }}` renders when the value is one of those. `{{ . }}` is the current item.
 * - `{{! comment }}`.
 * A missing value renders as ''. Syntax errors (unclosed tags, mismatched sections, unknown top-level
 * names when validating) are reported once, on save; at send time a broken template falls back to the
 * method's default for that part.
 */
import type { FieldError } from '../core/errors.js';
import type { IncidentView, MessageDraft, MessageLocale, NotificationMethod, OutboundMessage, RenderedContent } from './provider.js';
import { formatMessageTime, severityWord, statusWord, wordsFor } from './message-words.js';
import { neutralizeMarkdown } from '../core/markdown.js';

// ---------------------------------------------------------------------------------------------------
// The renderer

export const TEMPLATE_SOURCE_MAX = 20_000;
const MAX_DEPTH = 8;
const MAX_OUTPUT = 1_000_000;
/** Node visits one rendering may make; the largest default template needs a few thousand. */
const MAX_STEPS = 50_000;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'var'; readonly path: readonly string[] }
  | { readonly t: 'section'; readonly path: readonly string[]; readonly inverted: boolean; readonly children: readonly Node[] };

const PATH = /^(?:\.|[^\s.{}#^/!]+(?:\.[^\s.{}]+)*)$/;

// Every page renders the same few templates: their trees are kept (trees are immutable).
const PARSED_MAX = 500;
const parsed = new Map<string, readonly Node[]>();

/** `parseTemplate`, remembered for the last few hundred sources (a source that fails is not kept). */
function parsedTemplate(source: string): readonly Node[] {
  const hit = parsed.get(source);
  if (hit) return hit;
  const tree = parseTemplate(source);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(source, tree);
  return tree;
}

/** Parses a template into a tree; throws TemplateError naming the first problem and its position. */
export function parseTemplate(source: string): readonly Node[] {
  if (source.length > TEMPLATE_SOURCE_MAX) throw new TemplateError(`must be at most ${TEMPLATE_SOURCE_MAX} characters`);
  const root: Node[] = [];
  const stack: { path: string; inverted: boolean; children: Node[]; at: number }[] = [];
  let current = root;
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      current.push({ t: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) current.push({ t: 'text', text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed {{ at character ${open + 1}`);
    const tag = source.slice(open + 2, close).trim();
    i = close + 2;
    const sigil = tag[0];
    if (sigil === '!') continue;
    const name = sigil === '#' || sigil === '^' || sigil === '/' ? tag.slice(1).trim() : tag;
    if (!PATH.test(name)) throw new TemplateError(`invalid tag {{ ${tag} }} at character ${open + 1}`);
    if (sigil === '#' || sigil === '^') {
      if (stack.length >= MAX_DEPTH) throw new TemplateError(`sections nested deeper than ${MAX_DEPTH} at character ${open + 1}`);
      const children: Node[] = [];
      stack.push({ path: name, inverted: sigil === '^', children, at: open + 1 });
      current = children;
    } else if (sigil === '/') {
      const section = stack.pop();
      if (!section) throw new TemplateError(`{{/ ${name} }} closes nothing at character ${open + 1}`);
      if (section.path !== name) throw new TemplateError(`{{/ ${name} }} at character ${open + 1} does not close {{${section.inverted ? '^' : '#'} ${section.path} }}`);
      current = stack.at(-1)?.children ?? root;
      current.push({ t: 'section', path: splitPath(section.path), inverted: section.inverted, children: section.children });
    } else {
      current.push({ t: 'var', path: splitPath(name) });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw new TemplateError(`{{${unclosed.inverted ? '^' : '#'} ${unclosed.path} }} at character ${unclosed.at} is never closed`);
  return root;
}

function splitPath(name: string): string[] {
  return name === '.' ? ['.'] : name.split('.');
}

/** How values are escaped: HTML for email bodies, markdown link syntax for chat text, or not at all. */
export type Escape = 'html' | 'markdown' | 'none';

/** Renders `source` with `vars`; throws TemplateError on syntax errors. */
export function renderTemplate(source: string, vars: Readonly<Record<string, unknown>>, escape: Escape = 'none'): string {
  const out: string[] = [];
  let size = 0;
  let steps = 0;
  const emit = (text: string): void => {
    size += text.length;
    if (size > MAX_OUTPUT) throw new TemplateError(`output longer than ${MAX_OUTPUT} characters`);
    out.push(text);
  };
  // Nested sections over lists multiply (8 empty sections over 50 labels = 50⁸ visits) without
  // emitting a byte, so the output cap alone never fires: every node visited costs a step.
  const step = (): void => {
    steps += 1;
    if (steps > MAX_STEPS) throw new TemplateError(`more than ${MAX_STEPS} steps (nested sections over lists?)`);
  };
  renderNodes(parsedTemplate(source), [vars], escape, emit, step);
  return out.join('');
}

function escapeValue(text: string, escape: Escape): string {
  if (escape === 'html') return escapeHtml(text);
  if (escape === 'markdown') return neutralizeMarkdown(text);
  return text;
}

function renderNodes(nodes: readonly Node[], scopes: readonly unknown[], escape: Escape, emit: (text: string) => void, step: () => void): void {
  for (const node of nodes) {
    step();
    if (node.t === 'text') emit(node.text);
    else if (node.t === 'var') {
      const text = scalar(lookup(scopes, node.path));
      emit(escapeValue(text, escape));
    } else {
      const value = lookup(scopes, node.path);
      const empty = value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
      if (node.inverted) {
        if (empty) renderNodes(node.children, scopes, escape, emit, step);
      } else if (!empty) {
        const items: readonly unknown[] = Array.isArray(value) ? value : [value];
        for (const item of items) {
          step();
          renderNodes(node.children, [...scopes, item], escape, emit, step);
        }
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Own properties only: `constructor`, `__proto__` and friends are never reachable. */
function lookup(scopes: readonly unknown[], path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  let value: unknown;
  if (head === '.') value = scopes.at(-1);
  else {
    let scope: unknown;
    for (let i = scopes.length - 1; i >= 0 && scope === undefined; i -= 1) {
      const candidate = scopes[i];
      if (isRecord(candidate) && Object.hasOwn(candidate, head)) scope = candidate;
    }
    if (!isRecord(scope)) return undefined;
    value = scope[head];
  }
  for (const key of rest) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// ---------------------------------------------------------------------------------------------------
// Length limits

/**
 * A length limit: `chars` counts UTF-16 code units (what Telegram and Slack count), `bytes` UTF-8
 * bytes (IM bots' ~4 KB), `sms_segments` SMS segments (GSM-7: 160 septets in one segment, 153 each when
 * concatenated; otherwise UCS-2: 70 / 67 code units).
 */
export type TextLimit = { readonly unit: 'chars' | 'bytes' | 'sms_segments'; readonly max: number };

export const TELEGRAM_LIMIT: TextLimit = { unit: 'chars', max: 4096 };
export const SLACK_LIMIT: TextLimit = { unit: 'chars', max: 15_000 };
export const IM_BOT_LIMIT: TextLimit = { unit: 'bytes', max: 4000 };

/** The default limit of `content.text` per method; a provider's `maxTextLength` overrides it. */
export const METHOD_TEXT_LIMITS: Readonly<Record<NotificationMethod, TextLimit>> = {
  sms: { unit: 'sms_segments', max: 1 },
  voice: { unit: 'chars', max: 600 },
  push: { unit: 'chars', max: 240 },
  email: { unit: 'chars', max: 100_000 },
  im: IM_BOT_LIMIT,
  webhook: IM_BOT_LIMIT,
};
const SUBJECT_LIMIT: TextLimit = { unit: 'chars', max: 200 };

// The GSM 03.38 default alphabet, and its extension table (each costs two septets).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Whether `text` can be sent in the GSM-7 alphabet (else SMS falls back to UCS-2). */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!GSM_BASIC.has(c) && !GSM_EXTENDED.has(c)) return false;
  return true;
}

function septets(text: string): number {
  let n = 0;
  for (const c of text) n += GSM_EXTENDED.has(c) ? 2 : 1;
  return n;
}

/** How many SMS segments `text` takes. */
export function smsSegments(text: string): number {
  if (isGsm7(text)) {
    const s = septets(text);
    return s <= 160 ? 1 : Math.ceil(s / 153);
  }
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

/**
 * Cuts `text` to `limit`, ending with an ellipsis when anything was cut. Never splits a surrogate pair.
 * SMS in GSM-7 ends with "..." (the GSM alphabet has no "…", which would force the whole SMS to UCS-2).
 */
export function truncate(text: string, limit: TextLimit): string {
  if (fits(text, limit)) return text;
  const ellipsis = limit.unit === 'sms_segments' && isGsm7(text) ? '...' : '…';
  const chars = [...text];
  // Binary search for the longest prefix that still fits with the ellipsis.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(chars.slice(0, mid).join('') + ellipsis, limit)) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ellipsis;
}

function fits(text: string, limit: TextLimit): boolean {
  if (limit.unit === 'chars') return text.length <= limit.max;
  if (limit.unit === 'bytes') return Buffer.byteLength(text, 'utf8') <= limit.max;
  return smsSegments(text) <= limit.max;
}

// ---------------------------------------------------------------------------------------------------
// Variables

const SEVERITY_COLORS: Record<IncidentView['severity'], string> = { Critical: '#d92d20', Warning: '#f79009', Info: '#1570ef' };

const TEMPLATE_LABELS_MAX = 50;

/**
 * An incident's variables. `severity` and `status` stay the stored English words (overrides and
 * webhook receivers match on them); `severityText`, `statusText` and `startedAtText` are in the
 * message's language and the reader's time zone (issue 13).
 */
function incidentVars(incident: IncidentView, locale: MessageLocale | undefined, timeZone: string | undefined, last = false): Record<string, unknown> {
  const labelList = Object.entries(incident.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    // As at ingest (sources/limits.ts): at most 50 labels reach a template's loops.
    .slice(0, TEMPLATE_LABELS_MAX)
    .map(([name, value], i, all) => ({ name, value, last: i === all.length - 1 }));
  const assignees = incident.assignees ?? [];
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    severityText: severityWord(locale, incident.severity),
    severityColor: SEVERITY_COLORS[incident.severity],
    status: incident.status,
    statusText: statusWord(locale, incident.status),
    startedAtText: incident.startedAt !== undefined ? formatMessageTime(locale, incident.startedAt, timeZone) : '',
    channelName: incident.channelName,
    labels: { ...incident.labels },
    labelList,
    hasLabels: labelList.length > 0,
    alertCount: incident.alertCount,
    assignees: assignees.join(', '),
    assigneeList: [...assignees],
    url: incident.url,
    ackUrl: incident.ackUrl ?? '',
    resolveUrl: incident.resolveUrl ?? '',
    last,
  };
}

/** Top-level variable names of incident templates (checked when an override is saved). */
export const TEMPLATE_VARIABLES = ['kind', 'kindLabel', 'kindNote', 'isReply', 'isTest', 'recipient', 'incident', 'escalationLevel'] as const;

/** The variables a template sees for `draft` (documented in docs/guide: notifications). */
export function templateVars(draft: MessageDraft): Record<string, unknown> {
  const words = wordsFor(draft.locale);
  const label = words.kind[draft.kind];
  const base = { kind: draft.kind, kindLabel: label, recipient: { name: draft.recipient.name } };
  // "Acknowledged · acknowledged" says nothing twice: the note only when the kind is not the status.
  const kindNote = (status: string): string => (wordsFor('en').kind[draft.kind].toLowerCase() === status.toLowerCase() || label === statusWord(draft.locale, status) ? '' : label);
  switch (draft.kind) {
    case 'verification':
      return { ...base, code: draft.code };
    case 'bundle':
      return {
        ...base,
        bundle: { count: draft.bundle.length, incidents: draft.bundle.map((inc, i) => incidentVars(inc, draft.locale, draft.timeZone, i === draft.bundle.length - 1)) },
      };
    default:
      return {
        ...base,
        isReply: draft.kind !== 'trigger' && draft.kind !== 'test',
        isTest: draft.kind === 'test',
        kindNote: kindNote(draft.incident.status),
        incident: incidentVars(draft.incident, draft.locale, draft.timeZone),
        escalationLevel: draft.escalationLevel ?? '',
      };
  }
}

// ---------------------------------------------------------------------------------------------------
// Default templates

/** The templates of one method; `subject` and `html` only where the method has them. */
export interface MethodTemplates {
  readonly subject?: string;
  readonly text: string;
  readonly html?: string;
}

type DefaultSet = { readonly incident: MethodTemplates; readonly bundle: MethodTemplates; readonly verification: MethodTemplates };

const SHORT_INCIDENT = '{{#isTest}}[Test] {{/isTest}}#{{incident.number}} {{incident.severity}} {{kindLabel}}: {{incident.title}} ({{incident.channelName}})';
const SHORT_BUNDLE = '{{bundle.count}} incidents: {{#bundle.incidents}}#{{number}} {{title}}{{^last}}; {{/last}}{{/bundle.incidents}}';
const VERIFICATION_TEXT = 'Your Tocsin verification code is {{code}}. It expires in 10 minutes.';
const SUBJECT = '{{#isReply}}Re: {{/isReply}}{{#isTest}}[Test] {{/isTest}}[Tocsin #{{incident.number}}] {{incident.title}}';

const MARKDOWN_INCIDENT = [
  '{{#isTest}}[Test] {{/isTest}}**[{{incident.severity}}] #{{incident.number}} {{incident.title}}**',
  '{{#kindNote}}{{kindNote}} · {{/kindNote}}{{incident.status}} · {{incident.channelName}} · {{incident.alertCount}} alert(s){{#escalationLevel}} · level {{escalationLevel}}{{/escalationLevel}}',
  '{{#incident.assignees}}Assigned to {{incident.assignees}}\n{{/incident.assignees}}{{#incident.description}}\n{{incident.description}}\n{{/incident.description}}{{#incident.hasLabels}}\n{{/incident.hasLabels}}{{#incident.labelList}}`{{name}}={{value}}`{{^last}} {{/last}}{{/incident.labelList}}',
  '',
  '[Open]({{incident.url}}){{#incident.ackUrl}} · [Acknowledge]({{incident.ackUrl}}){{/incident.ackUrl}}{{#incident.resolveUrl}} · [Resolve]({{incident.resolveUrl}}){{/incident.resolveUrl}}',
].join('\n');
const MARKDOWN_BUNDLE = '**{{bundle.count}} incidents**\n{{#bundle.incidents}}- [{{severity}}] [#{{number}} {{title}}]({{url}}) ({{channelName}})\n{{/bundle.incidents}}';

const EMAIL_TEXT = [
  '{{#isTest}}This is a test notification.\n\n{{/isTest}}[{{incident.severity}}] #{{incident.number}} {{incident.title}}',
  '',
  'Status: {{incident.status}}{{#kindNote}} ({{kindNote}}){{/kindNote}}',
  'Channel: {{incident.channelName}}',
  'Alerts: {{incident.alertCount}}',
  '{{#incident.assignees}}Assigned to: {{incident.assignees}}\n{{/incident.assignees}}{{#escalationLevel}}Escalation level: {{escalationLevel}}\n{{/escalationLevel}}{{#incident.description}}\n{{incident.description}}\n{{/incident.description}}{{#incident.hasLabels}}\nLabels:\n{{/incident.hasLabels}}{{#incident.labelList}}  {{name}}: {{value}}\n{{/incident.labelList}}',
  'Open: {{incident.url}}',
  '{{#incident.ackUrl}}Acknowledge: {{incident.ackUrl}}\n{{/incident.ackUrl}}{{#incident.resolveUrl}}Resolve: {{incident.resolveUrl}}\n{{/incident.resolveUrl}}',
].join('\n');

const BUTTON = 'display:inline-block;padding:8px 16px;margin:0 8px 8px 0;border-radius:4px;text-decoration:none;font-weight:600;';
const EMAIL_HTML = [
  '<!doctype html>',
  '<html><body style="margin:0;padding:16px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#101828;">',
  '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;border:1px solid #eaecf0;border-left:6px solid {{incident.severityColor}};">',
  '<tr><td style="padding:16px;">',
  '{{#isTest}}<p style="margin:0 0 8px;color:#667085;">This is a test notification.</p>{{/isTest}}',
  '<p style="margin:0 0 4px;"><span style="color:{{incident.severityColor}};font-weight:700;">{{incident.severity}}</span>{{#kindNote}} · {{kindNote}}{{/kindNote}} · {{incident.status}}</p>',
  '<h1 style="margin:0 0 12px;font-size:20px;"><a href="{{incident.url}}" style="color:#101828;text-decoration:none;">#{{incident.number}} {{incident.title}}</a></h1>',
  '<p style="margin:0 0 12px;color:#475467;">Channel {{incident.channelName}} · {{incident.alertCount}} alert(s){{#incident.assignees}} · assigned to {{incident.assignees}}{{/incident.assignees}}{{#escalationLevel}} · escalation level {{escalationLevel}}{{/escalationLevel}}</p>',
  '{{#incident.description}}<div style="margin:0 0 12px;white-space:pre-wrap;">{{incident.description}}</div>{{/incident.description}}',
  '{{#incident.hasLabels}}<table cellpadding="4" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse;font-size:13px;">{{/incident.hasLabels}}',
  '{{#incident.labelList}}<tr><th align="left" style="border:1px solid #eaecf0;background:#f9fafb;">{{name}}</th><td style="border:1px solid #eaecf0;">{{value}}</td></tr>{{/incident.labelList}}',
  '{{#incident.hasLabels}}</table>{{/incident.hasLabels}}',
  `<p style="margin:0;">{{#incident.ackUrl}}<a href="{{incident.ackUrl}}" style="${BUTTON}background:#101828;color:#ffffff;">Acknowledge</a>{{/incident.ackUrl}}{{#incident.resolveUrl}}<a href="{{incident.resolveUrl}}" style="${BUTTON}background:#039855;color:#ffffff;">Resolve</a>{{/incident.resolveUrl}}<a href="{{incident.url}}" style="${BUTTON}border:1px solid #d0d5dd;color:#101828;">Open in Tocsin</a></p>`,
  '</td></tr></table>',
  '</body></html>',
].join('\n');
const EMAIL_BUNDLE_HTML = [
  '<!doctype html>',
  '<html><body style="margin:0;padding:16px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#101828;">',
  '<h1 style="font-size:20px;">{{bundle.count}} incidents</h1>',
  '<ul>{{#bundle.incidents}}<li style="margin:0 0 8px;"><span style="color:{{severityColor}};font-weight:700;">{{severity}}</span> <a href="{{url}}">#{{number}} {{title}}</a> ({{channelName}}){{#ackUrl}} · <a href="{{ackUrl}}">Acknowledge</a>{{/ackUrl}}{{#resolveUrl}} · <a href="{{resolveUrl}}">Resolve</a>{{/resolveUrl}}</li>{{/bundle.incidents}}</ul>',
  '</body></html>',
].join('\n');

// Every incident of a bundle carries its own links, in the text part as in the HTML (issue 13).
const EMAIL_BUNDLE_TEXT =
  '{{bundle.count}} incidents:\n\n{{#bundle.incidents}}[{{severity}}] #{{number}} {{title}} ({{channelName}})\n  Open: {{url}}\n{{#ackUrl}}  Acknowledge: {{ackUrl}}\n{{/ackUrl}}{{#resolveUrl}}  Resolve: {{resolveUrl}}\n{{/resolveUrl}}\n{{/bundle.incidents}}';

const EN_DEFAULTS: Readonly<Record<NotificationMethod, DefaultSet>> = {
  sms: { incident: { text: SHORT_INCIDENT }, bundle: { text: SHORT_BUNDLE }, verification: { text: VERIFICATION_TEXT } },
  voice: {
    incident: { text: 'Tocsin {{#isTest}}test {{/isTest}}alert. {{incident.severity}} incident {{incident.number}}, {{kindLabel}}: {{incident.title}}. Channel {{incident.channelName}}.' },
    bundle: { text: 'Tocsin alert. {{bundle.count}} incidents. {{#bundle.incidents}}Incident {{number}}: {{title}}. {{/bundle.incidents}}' },
    verification: { text: 'Your Tocsin verification code is {{code}}.' },
  },
  push: {
    incident: { subject: '{{#isTest}}[Test] {{/isTest}}#{{incident.number}} {{incident.title}}', text: '{{incident.severity}} · {{kindLabel}} · {{incident.channelName}}' },
    bundle: { subject: '{{bundle.count}} incidents', text: SHORT_BUNDLE },
    verification: { subject: 'Tocsin verification', text: VERIFICATION_TEXT },
  },
  email: {
    incident: { subject: SUBJECT, text: EMAIL_TEXT, html: EMAIL_HTML },
    bundle: {
      subject: '[Tocsin] {{bundle.count}} incidents',
      text: EMAIL_BUNDLE_TEXT,
      html: EMAIL_BUNDLE_HTML,
    },
    verification: {
      subject: 'Your Tocsin verification code: {{code}}',
      text: 'Hello {{recipient.name}},\n\nyour Tocsin verification code is {{code}}. It expires in 10 minutes.\n\nIf you did not ask for it, ignore this email.\n',
      html: '<!doctype html>\n<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;"><p>Hello {{recipient.name}},</p><p>your Tocsin verification code is</p><p style="font-size:28px;font-weight:700;letter-spacing:4px;">{{code}}</p><p>It expires in 10 minutes. If you did not ask for it, ignore this email.</p></body></html>',
    },
  },
  im: { incident: { text: MARKDOWN_INCIDENT }, bundle: { text: MARKDOWN_BUNDLE }, verification: { text: VERIFICATION_TEXT } },
  webhook: { incident: { text: MARKDOWN_INCIDENT }, bundle: { text: MARKDOWN_BUNDLE }, verification: { text: VERIFICATION_TEXT } },
};

// ---------------------------------------------------------------------------------------------------
// Simplified Chinese defaults (issue 13): the same structure, words from message-words.ts through the
// `*Text` variables, and the vocabulary of Chinese on-call tools (认领 = acknowledge, 解决 = resolve).

const ZH_SHORT_INCIDENT = '{{#isTest}}[测试] {{/isTest}}#{{incident.number}} {{incident.severityText}} {{kindLabel}}：{{incident.title}}（{{incident.channelName}}）';
const ZH_SHORT_BUNDLE = '{{bundle.count}} 个故障：{{#bundle.incidents}}#{{number}} {{title}}{{^last}}；{{/last}}{{/bundle.incidents}}';
const ZH_VERIFICATION_TEXT = '您的 Tocsin 验证码是 {{code}}，10 分钟内有效。';
const ZH_SUBJECT = '{{#isReply}}回复：{{/isReply}}{{#isTest}}[测试] {{/isTest}}[Tocsin #{{incident.number}}] {{incident.title}}';

const ZH_MARKDOWN_INCIDENT = [
  '{{#isTest}}[测试] {{/isTest}}**[{{incident.severityText}}] #{{incident.number}} {{incident.title}}**',
  '{{#kindNote}}{{kindNote}} · {{/kindNote}}{{incident.statusText}} · {{incident.channelName}} · {{incident.alertCount}} 条告警{{#escalationLevel}} · 第 {{escalationLevel}} 级{{/escalationLevel}}',
  '{{#incident.startedAtText}}开始时间：{{incident.startedAtText}}\n{{/incident.startedAtText}}{{#incident.assignees}}处理人：{{incident.assignees}}\n{{/incident.assignees}}{{#incident.description}}\n{{incident.description}}\n{{/incident.description}}{{#incident.hasLabels}}\n{{/incident.hasLabels}}{{#incident.labelList}}`{{name}}={{value}}`{{^last}} {{/last}}{{/incident.labelList}}',
  '',
  '[查看]({{incident.url}}){{#incident.ackUrl}} · [认领]({{incident.ackUrl}}){{/incident.ackUrl}}{{#incident.resolveUrl}} · [解决]({{incident.resolveUrl}}){{/incident.resolveUrl}}',
].join('\n');
const ZH_MARKDOWN_BUNDLE = '**{{bundle.count}} 个故障**\n{{#bundle.incidents}}- [{{severityText}}] [#{{number}} {{title}}]({{url}})（{{channelName}}）\n{{/bundle.incidents}}';

const ZH_EMAIL_TEXT = [
  '{{#isTest}}这是一条测试通知。\n\n{{/isTest}}[{{incident.severityText}}] #{{incident.number}} {{incident.title}}',
  '',
  '状态：{{incident.statusText}}{{#kindNote}}（{{kindNote}}）{{/kindNote}}',
  '协作空间：{{incident.channelName}}',
  '告警数：{{incident.alertCount}}',
  '{{#incident.startedAtText}}开始时间：{{incident.startedAtText}}\n{{/incident.startedAtText}}{{#incident.assignees}}处理人：{{incident.assignees}}\n{{/incident.assignees}}{{#escalationLevel}}升级级别：第 {{escalationLevel}} 级\n{{/escalationLevel}}{{#incident.description}}\n{{incident.description}}\n{{/incident.description}}{{#incident.hasLabels}}\n标签：\n{{/incident.hasLabels}}{{#incident.labelList}}  {{name}}: {{value}}\n{{/incident.labelList}}',
  '查看：{{incident.url}}',
  '{{#incident.ackUrl}}认领：{{incident.ackUrl}}\n{{/incident.ackUrl}}{{#incident.resolveUrl}}解决：{{incident.resolveUrl}}\n{{/incident.resolveUrl}}',
].join('\n');

const ZH_EMAIL_HTML = [
  '<!doctype html>',
  '<html lang="zh-CN"><body style="margin:0;padding:16px;font-family:-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,Helvetica,Arial,sans-serif;color:#101828;">',
  '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;border:1px solid #eaecf0;border-left:6px solid {{incident.severityColor}};">',
  '<tr><td style="padding:16px;">',
  '{{#isTest}}<p style="margin:0 0 8px;color:#667085;">这是一条测试通知。</p>{{/isTest}}',
  '<p style="margin:0 0 4px;"><span style="color:{{incident.severityColor}};font-weight:700;">{{incident.severityText}}</span>{{#kindNote}} · {{kindNote}}{{/kindNote}} · {{incident.statusText}}</p>',
  '<h1 style="margin:0 0 12px;font-size:20px;"><a href="{{incident.url}}" style="color:#101828;text-decoration:none;">#{{incident.number}} {{incident.title}}</a></h1>',
  '<p style="margin:0 0 12px;color:#475467;">协作空间 {{incident.channelName}} · {{incident.alertCount}} 条告警{{#incident.startedAtText}} · 开始于 {{incident.startedAtText}}{{/incident.startedAtText}}{{#incident.assignees}} · 处理人 {{incident.assignees}}{{/incident.assignees}}{{#escalationLevel}} · 第 {{escalationLevel}} 级升级{{/escalationLevel}}</p>',
  '{{#incident.description}}<div style="margin:0 0 12px;white-space:pre-wrap;">{{incident.description}}</div>{{/incident.description}}',
  '{{#incident.hasLabels}}<table cellpadding="4" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse;font-size:13px;">{{/incident.hasLabels}}',
  '{{#incident.labelList}}<tr><th align="left" style="border:1px solid #eaecf0;background:#f9fafb;">{{name}}</th><td style="border:1px solid #eaecf0;">{{value}}</td></tr>{{/incident.labelList}}',
  '{{#incident.hasLabels}}</table>{{/incident.hasLabels}}',
  `<p style="margin:0;">{{#incident.ackUrl}}<a href="{{incident.ackUrl}}" style="${BUTTON}background:#101828;color:#ffffff;">认领</a>{{/incident.ackUrl}}{{#incident.resolveUrl}}<a href="{{incident.resolveUrl}}" style="${BUTTON}background:#039855;color:#ffffff;">解决</a>{{/incident.resolveUrl}}<a href="{{incident.url}}" style="${BUTTON}border:1px solid #d0d5dd;color:#101828;">在 Tocsin 中查看</a></p>`,
  '</td></tr></table>',
  '</body></html>',
].join('\n');
const ZH_EMAIL_BUNDLE_HTML = [
  '<!doctype html>',
  '<html lang="zh-CN"><body style="margin:0;padding:16px;font-family:-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,Helvetica,Arial,sans-serif;color:#101828;">',
  '<h1 style="font-size:20px;">{{bundle.count}} 个故障</h1>',
  '<ul>{{#bundle.incidents}}<li style="margin:0 0 8px;"><span style="color:{{severityColor}};font-weight:700;">{{severityText}}</span> <a href="{{url}}">#{{number}} {{title}}</a>（{{channelName}}）{{#ackUrl}} · <a href="{{ackUrl}}">认领</a>{{/ackUrl}}{{#resolveUrl}} · <a href="{{resolveUrl}}">解决</a>{{/resolveUrl}}</li>{{/bundle.incidents}}</ul>',
  '</body></html>',
].join('\n');
const ZH_EMAIL_BUNDLE_TEXT =
  '{{bundle.count}} 个故障：\n\n{{#bundle.incidents}}[{{severityText}}] #{{number}} {{title}}（{{channelName}}）\n  查看：{{url}}\n{{#ackUrl}}  认领：{{ackUrl}}\n{{/ackUrl}}{{#resolveUrl}}  解决：{{resolveUrl}}\n{{/resolveUrl}}\n{{/bundle.incidents}}';

const ZH_DEFAULTS: Readonly<Record<NotificationMethod, DefaultSet>> = {
  sms: { incident: { text: ZH_SHORT_INCIDENT }, bundle: { text: ZH_SHORT_BUNDLE }, verification: { text: ZH_VERIFICATION_TEXT } },
  voice: {
    incident: { text: 'Tocsin {{#isTest}}测试{{/isTest}}告警。{{incident.severityText}}故障 {{incident.number}} 号，{{kindLabel}}：{{incident.title}}。协作空间：{{incident.channelName}}。' },
    bundle: { text: 'Tocsin 告警。共 {{bundle.count}} 个故障。{{#bundle.incidents}}故障 {{number}} 号：{{title}}。{{/bundle.incidents}}' },
    verification: { text: '您的 Tocsin 验证码是 {{code}}。' },
  },
  push: {
    incident: { subject: '{{#isTest}}[测试] {{/isTest}}#{{incident.number}} {{incident.title}}', text: '{{incident.severityText}} · {{kindLabel}} · {{incident.channelName}}' },
    bundle: { subject: '{{bundle.count}} 个故障', text: ZH_SHORT_BUNDLE },
    verification: { subject: 'Tocsin 验证码', text: ZH_VERIFICATION_TEXT },
  },
  email: {
    incident: { subject: ZH_SUBJECT, text: ZH_EMAIL_TEXT, html: ZH_EMAIL_HTML },
    bundle: { subject: '[Tocsin] {{bundle.count}} 个故障', text: ZH_EMAIL_BUNDLE_TEXT, html: ZH_EMAIL_BUNDLE_HTML },
    verification: {
      subject: '您的 Tocsin 验证码：{{code}}',
      text: '{{recipient.name}}，您好：\n\n您的 Tocsin 验证码是 {{code}}，10 分钟内有效。\n\n如果这不是您本人的操作，请忽略此邮件。\n',
      html: '<!doctype html>\n<html lang="zh-CN"><body style="font-family:-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,Helvetica,Arial,sans-serif;"><p>{{recipient.name}}，您好：</p><p>您的 Tocsin 验证码是</p><p style="font-size:28px;font-weight:700;letter-spacing:4px;">{{code}}</p><p>10 分钟内有效。如果这不是您本人的操作，请忽略此邮件。</p></body></html>',
    },
  },
  im: { incident: { text: ZH_MARKDOWN_INCIDENT }, bundle: { text: ZH_MARKDOWN_BUNDLE }, verification: { text: ZH_VERIFICATION_TEXT } },
  webhook: { incident: { text: ZH_MARKDOWN_INCIDENT }, bundle: { text: ZH_MARKDOWN_BUNDLE }, verification: { text: ZH_VERIFICATION_TEXT } },
};

const DEFAULTS: Readonly<Record<MessageLocale, Readonly<Record<NotificationMethod, DefaultSet>>>> = { en: EN_DEFAULTS, 'zh-CN': ZH_DEFAULTS };

/** The default templates of `method` for incident messages in `locale` (what the console's editor starts from). */
export function defaultTemplates(method: NotificationMethod, locale: MessageLocale = 'en'): MethodTemplates {
  return DEFAULTS[locale][method].incident;
}

// ---------------------------------------------------------------------------------------------------
// Rendering a message

export interface RenderOptions {
  /** Per-channel overrides for incident messages; bundles and verification codes always use defaults. */
  readonly overrides?: Partial<MethodTemplates>;
  /** The limit of `text`, when the provider declares one; else the method's default. */
  readonly textLimit?: TextLimit;
}

export interface RenderResult {
  readonly content: RenderedContent;
  /** Overrides that failed and were replaced by the default (for the timeline / delivery log). */
  readonly errors: FieldError[];
}

type Part = keyof MethodTemplates;

/** Renders a draft's content with overrides, falling back per part to the default, within limits. */
export function renderContent(draft: MessageDraft, options: RenderOptions = {}): RenderResult {
  const set = DEFAULTS[draft.locale ?? 'en'][draft.method];
  const defaults = draft.kind === 'verification' ? set.verification : draft.kind === 'bundle' ? set.bundle : set.incident;
  const overrides = draft.kind === 'verification' || draft.kind === 'bundle' ? {} : (options.overrides ?? {});
  const vars = templateVars(draft);
  const errors: FieldError[] = [];
  const part = (name: Part): string | undefined => {
    const fallback = defaults[name];
    if (fallback === undefined) return undefined;
    // Chat text (group bots, Slack, webhook `text`) is rendered as markdown by its readers.
    const escape: Escape = name === 'html' ? 'html' : name === 'text' && (draft.method === 'webhook' || draft.method === 'im') ? 'markdown' : 'none';
    const override = overrides[name];
    if (override !== undefined) {
      try {
        return renderTemplate(override, vars, escape);
      } catch (error) {
        errors.push({ field: `templates.${draft.method}.${name}`, message: `${error instanceof Error ? error.message : String(error)}; the default was used` });
      }
    }
    return renderTemplate(fallback, vars, escape);
  };
  const subject = part('subject');
  const html = part('html');
  const text = truncate(tidy(part('text') ?? ''), options.textLimit ?? METHOD_TEXT_LIMITS[draft.method]);
  const content: RenderedContent = {
    ...(subject !== undefined ? { subject: truncate(subject.replace(/\s+/g, ' ').trim(), SUBJECT_LIMIT) } : {}),
    text,
    ...(html !== undefined ? { html } : {}),
  };
  return { content, errors };
}

/** Trailing spaces and runs of blank lines left by empty sections are noise in every method. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A draft with its rendered content: what providers receive. */
export function renderMessage(draft: MessageDraft, options: RenderOptions = {}): { message: OutboundMessage; errors: FieldError[] } {
  const { content, errors } = renderContent(draft, options);
  const message: OutboundMessage = { ...draft, content };
  return { message, errors };
}

/**
 * Checks per-channel overrides on save: syntax, and that top-level names are template variables
 * (inside sections any name may refer to the current item). Fields: `<field>.<part>`.
 */
export function validateTemplates(method: NotificationMethod, overrides: Partial<Record<string, unknown>>, field = 'templates'): FieldError[] {
  const errors: FieldError[] = [];
  const defaults = EN_DEFAULTS[method].incident;
  for (const [name, source] of Object.entries(overrides)) {
    const path = `${field}.${name}`;
    if (name !== 'subject' && name !== 'text' && name !== 'html') {
      errors.push({ field: path, message: 'is not a template part (subject, text, html)' });
      continue;
    }
    if (defaults[name] === undefined) {
      errors.push({ field: path, message: `${method} messages have no ${name}` });
      continue;
    }
    if (source === undefined) continue;
    if (typeof source !== 'string') {
      errors.push({ field: path, message: 'must be a string' });
      continue;
    }
    try {
      const unknown = unknownNames(parseTemplate(source));
      if (unknown.length > 0) errors.push({ field: path, message: `unknown variable ${unknown.join(', ')}: use ${TEMPLATE_VARIABLES.join(', ')}` });
    } catch (error) {
      errors.push({ field: path, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return errors;
}

function unknownNames(nodes: readonly Node[]): string[] {
  const known: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);
  const found = new Set<string>();
  for (const node of nodes) {
    if (node.t === 'text') continue;
    const head = node.path[0] ?? '';
    if (head !== '.' && !known.has(head)) found.add(node.path.join('.'));
  }
  return [...found];
}

/** A realistic incident for previews and "send a test" (the console's live preview renders with it). */
export function sampleIncident(baseUrl = 'https://tocsin.example.com'): IncidentView {
  return {
    id: '0190a5c2-7f3e-7a00-8000-000000000042',
    number: 42,
    title: 'Disk usage above 90% on db-1',
    description: '/var/lib/postgresql is at 93% and growing 1%/hour.',
    severity: 'Critical',
    status: 'Triggered',
    channelName: 'Databases',
    labels: { host: 'db-1', service: 'postgres', env: 'prod' },
    alertCount: 2,
    assignees: ['Ada Lovelace'],
    url: `${baseUrl}/incidents/42`,
    ackUrl: `${baseUrl}/a/sample-ack`,
    resolveUrl: `${baseUrl}/a/sample-resolve`,
  };
}
