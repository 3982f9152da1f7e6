/**
 * The sentence a person reads for each timeline entry ("Paged Alice by SMS (Twilio) — delivered").
 * Built at read time from what the writers stored (kind + data), so delivery and escalation code stay
 * as they are and old entries read as well as new ones. Pure: names and the rule snapshot come in.
 * English here; Simplified Chinese in timeline-text-zh.ts, chosen by the reader's Accept-Language.
 */
import { describeEntryZh } from './timeline-text-zh.js';

/** The languages timeline sentences are written in. */
export type TimelineLanguage = 'en' | 'zh-CN';

/** "zh-CN,zh;q=0.9,en;q=0.8" → zh-CN; anything without a leading Chinese preference → en. */
export function timelineLanguage(acceptLanguage: string | undefined): TimelineLanguage {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim() ?? '';
  return /^zh\b/i.test(first) ? 'zh-CN' : 'en';
}

export interface TimelineEntryInput {
  readonly kind: string;
  readonly actor_id: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly created_at: number;
}

export interface TimelineContext {
  /** Person ids → names (actors and people named in entries). */
  readonly names: ReadonlyMap<string, string>;
  /** `escalate_after_min` per level of the rule frozen on the incident, and its mode. */
  readonly levels: readonly { readonly escalate_after_min: number }[];
  readonly mode: 'unacknowledged' | 'unresolved';
  /** Manual escalations of the incident (kind `escalated_manually`), to tell them from timed ones. */
  readonly manualEscalations: readonly { readonly level: number; readonly at: number; readonly actorId: string | null }[];
}

const METHOD_NAMES: Readonly<Record<string, string>> = {
  voice: 'voice call',
  sms: 'SMS',
  email: 'email',
  push: 'app push',
  im: 'IM direct message',
  webhook: 'webhook',
  slack: 'Slack',
  feishu: 'Feishu',
  dingtalk: 'DingTalk',
  wecom: 'WeCom',
  teams: 'Microsoft Teams',
  telegram: 'Telegram',
  discord: 'Discord',
};
const PERSONAL = new Set(['voice', 'sms', 'email', 'push', 'im']);

/** How an acknowledgement or resolution arrived. */
const VIA: Readonly<Record<string, string>> = {
  console: 'in the console',
  api: 'through the API',
  link: 'via a signed link',
  sms: 'via SMS reply',
  voice: 'via a key press on a voice call',
  im: 'via an IM button',
  integration: 'from the monitoring source',
  batch: 'in a batch action from the list',
};

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const quote = (value: unknown): string => `“${str(value).slice(0, 200)}”`;

function methodName(method: unknown): string {
  const m = str(method);
  return Object.hasOwn(METHOD_NAMES, m) ? (METHOD_NAMES[m] as string) : m;
}

function via(value: unknown): string {
  const v = str(value);
  return Object.hasOwn(VIA, v) ? (VIA[v] as string) : v ? `via ${v}` : '';
}

/** Who did a person-level action: the signed-in person, or the sender an integration acted for ("ops (via opsgenie)"). */
function doer(actor: string | undefined, d: Readonly<Record<string, unknown>>): string {
  if (actor) return actor;
  if (d.via) return `${str(d.user) || 'An integration'} (${via(d.via)})`;
  return 'Someone';
}

function minutes(min: number): string {
  if (min % 60 === 0 && min >= 60) return `${min / 60} h`;
  return `${min} min`;
}

function recipientsText(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return 'nobody';
  return value
    .map((r) => {
      const rec = r as { person?: unknown; method?: unknown; device?: unknown };
      return `${str(rec.person)} (${methodName(rec.method)}${rec.device ? ` on ${str(rec.device)}` : ''})`;
    })
    .join(', ');
}

function namesList(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return 'nobody';
  return value.map((v) => (typeof v === 'object' && v !== null ? str((v as { name?: unknown }).name) : str(v))).join(', ');
}

/** The sentence for one entry, in `language` (English unless the reader asked for Chinese). */
export function describeEntry(entry: TimelineEntryInput, ctx: TimelineContext, language: TimelineLanguage = 'en'): string {
  if (language === 'zh-CN') return describeEntryZh(entry, ctx);
  const d = entry.data;
  const actor = entry.actor_id ? (ctx.names.get(entry.actor_id) ?? 'someone') : undefined;
  const by = actor ? ` by ${actor}` : '';
  switch (entry.kind) {
    case 'created':
      return d.manual ? `Created${by}: ${quote(d.title)} (${str(d.severity)})` : `Opened by alert ${quote(d.title)} (${str(d.severity)})`;
    case 'assigned':
      return `Escalation rule ${quote(d.rule_name)} assigned`;
    case 'not_assigned':
      return `Nobody assigned: ${str(d.reason)}`;
    case 'notified':
    case 'escalated': {
      const level = num(d.level) ?? 1;
      const people = recipientsText(d.recipients);
      if ((num(d.repeat) ?? 0) > 0) return `Notified level ${level} again (repeat ${num(d.repeat)}): ${people}`;
      const manual = ctx.manualEscalations.find((m) => m.level === level && m.at <= entry.created_at && entry.created_at - m.at <= 60_000);
      if (manual) return `Escalated to level ${level}${manual.actorId ? ` by ${ctx.names.get(manual.actorId) ?? 'someone'}` : ''}: notified ${people}`;
      if (entry.kind === 'escalated' || (num(d.round) ?? 0) > 0) {
        const previous = level >= 2 ? ctx.levels[level - 2] : ctx.levels[ctx.levels.length - 1];
        const what = ctx.mode === 'unresolved' ? 'not resolved' : 'no acknowledgement';
        const why = previous ? ` (${what} within ${minutes(previous.escalate_after_min)})` : '';
        const loop = level === 1 ? `Looped back to level 1` : `Escalated to level ${level}`;
        return `${loop}${why}: notified ${people}`;
      }
      return `Notified level ${level}: ${people}`;
    }
    case 'paged':
      return `Paged ${recipientsText(d.recipients)}${d.reason ? ` (${str(d.reason)})` : ''}`;
    case 'notification_sent': {
      const method = str(d.method);
      const provider = d.provider ? ` (${str(d.provider)})` : '';
      const bundled = num(d.bundled_with) ? `, bundled with ${num(d.bundled_with)} other incident(s)` : '';
      const device = d.device ? ` on ${str(d.device)}` : '';
      if (PERSONAL.has(method) && d.follow_up) return `Told ${str(d.to)} by ${methodName(method)}${device} that the incident is ${str(d.follow_up)} — delivered`;
      if (PERSONAL.has(method)) return `Paged ${str(d.to)} by ${methodName(method)}${device}${provider} — delivered${bundled}`;
      return `Posted to ${str(d.to)} by ${methodName(method)}${provider} — delivered${bundled}`;
    }
    case 'notification_failed': {
      const to = d.to ? ` ${str(d.to)}` : '';
      const fallback = d.fallback ? `; falling back to ${methodName(d.fallback)}` : '';
      const reporter = d.reported_by === 'vendor' ? ' (reported by the provider)' : '';
      const device = d.device ? ` on ${str(d.device)}` : '';
      const removed = d.device_removed === true ? '; the device no longer accepts notifications and was removed from app push' : '';
      return `Could not reach${to} by ${methodName(d.method)}${device}: ${str(d.error)}${reporter}${removed}${fallback}`;
    }
    case 'unreachable':
      return `Could not reach ${str(d.name)}: ${Array.isArray(d.reasons) ? d.reasons.map(str).join('; ') : ''}`;
    case 'notify_problem':
      return `Notification problem: ${str(d.problem)}`;
    case 'escalation_exhausted':
      return `Escalation finished after level ${num(d.level) ?? '?'} without an acknowledgement`;
    case 'acknowledged':
      return `Acknowledged${by || ' automatically'} ${via(d.via)}`.trimEnd();
    case 'unacknowledged':
      return `Acknowledgement withdrawn${by}`;
    case 'snoozed':
      return `Snoozed${by} for ${minutes(num(d.minutes) ?? 0)}`;
    case 'woken':
      return actor ? `Woken${by}` : 'Snooze ended';
    case 'resolved': {
      const reason = str(d.reason);
      if (reason.startsWith('resolved via ')) return `Resolved${by} ${via(reason.slice('resolved via '.length))}`.trimEnd();
      return `Closed: ${reason}${by}`;
    }
    case 'reopened':
      return `Reopened${by}: ${str(d.reason)}`;
    case 'commented':
      return `${actor ?? 'Someone'} commented`;
    case 'alert_merged':
      return `Alert ${quote(d.title)} (${str(d.severity)}) added`;
    case 'alert_recovered':
      return `Alert ${quote(d.title)} recovered`;
    case 'severity_changed':
      return `Severity ${str(d.from)} → ${str(d.to)}`;
    case 'storm':
      return `Alert storm: ${num(d.alert_count) ?? '?'} alerts (threshold ${num(d.threshold) ?? '?'})`;
    case 'flapping':
      return `Alert ${str(d.alert_key)} is flapping${d.muted_until ? '; its notifications are muted for a while' : ''}`;
    case 'merged':
      return `Merged #${num(d.source_number) ?? '?'} into this incident (${num(d.alert_count) ?? 0} alert(s))${by}`;
    case 'merged_into':
      return `Merged into #${num(d.target_number) ?? '?'} (${num(d.alert_count) ?? 0} alert(s) moved)${by}`;
    case 'field_changed': {
      const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : Array.isArray(v) ? v.map(str).join(', ') || '(empty)' : typeof v === 'string' ? quote(v) : str(v));
      return `${actor ?? 'Someone'} changed ${str(d.label ?? d.field)}: ${show(d.from)} → ${show(d.to)}`;
    }
    case 'reassigned':
      return `${doer(actor, d)} reassigned the incident to ${namesList(d.targets)}`;
    case 'responders_added':
      return `${doer(actor, d)} added responders: ${namesList(d.targets)}`;
    case 'escalated_manually':
      return `${doer(actor, d)} escalated the incident to level ${num(d.to_level) ?? '?'}${num(d.from_level) ? ` (was level ${num(d.from_level)})` : ''}`;
    case 'change':
      return `Change: ${quote(d.title)}${d.integration_name ? ` from ${str(d.integration_name)}` : ''}`;
    case 'postmortem_saved':
      return `${actor ?? 'Someone'} edited the post-mortem`;
    default:
      return entry.kind.replace(/_/g, ' ');
  }
}
