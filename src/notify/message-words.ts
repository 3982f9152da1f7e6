/**
 * The words notifications are made of, in English and Simplified Chinese (issue 13): severity names,
 * status words, message kinds, button captions and the labels of IM cards. Part of the provider
 * interface like `provider-kit.ts` — it imports only `provider.ts` — so providers build their cards
 * from it and never hard-code one language.
 *
 * Why a table and not an i18n library: there are two languages and ~40 short words, every lookup is a
 * typed property (a missing translation is a compile error, not a runtime fallback), and the templates
 * keep their own sandboxed language (ADR 0036, ADR 0060).
 */
import type { IncidentMessageKind, MessageLocale, Severity } from './provider.js';

export interface MessageWords {
  readonly severity: Readonly<Record<Severity, string>>;
  /** Incident statuses as stored (`triggered`, `processing`, `closed`) and as shown (`Triggered`…). */
  readonly status: Readonly<Record<string, string>>;
  readonly kind: Readonly<Record<IncidentMessageKind | 'bundle' | 'verification', string>>;
  readonly acknowledge: string;
  readonly resolve: string;
  readonly open: string;
  readonly acknowledged: string;
  readonly resolved: string;
  readonly channel: string;
  readonly severityLabel: string;
  readonly statusLabel: string;
  readonly alerts: string;
  readonly assignees: string;
  readonly labels: string;
  readonly level: (level: number) => string;
  readonly by: (names: string) => string;
  readonly test: string;
  readonly incidents: (count: number) => string;
  readonly startedAt: string;
}

const EN: MessageWords = {
  severity: { Critical: 'Critical', Warning: 'Warning', Info: 'Info' },
  status: { triggered: 'Triggered', processing: 'Processing', acknowledged: 'Acknowledged', closed: 'Resolved', resolved: 'Resolved' },
  kind: {
    trigger: 'Triggered',
    repeat: 'Reminder',
    escalated: 'Escalated',
    acknowledged: 'Acknowledged',
    resolved: 'Resolved',
    test: 'Test',
    bundle: 'Incidents',
    verification: 'Verification',
  },
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
  open: 'Open in Tocsin',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  channel: 'Channel',
  severityLabel: 'Severity',
  statusLabel: 'Status',
  alerts: 'Alerts',
  assignees: 'Assignees',
  labels: 'Labels',
  level: (level) => `level ${level}`,
  by: (names) => ` by ${names}`,
  test: 'Test',
  incidents: (count) => `${count} incidents`,
  startedAt: 'Started',
};

const ZH: MessageWords = {
  severity: { Critical: '严重', Warning: '警告', Info: '提醒' },
  status: { triggered: '未处理', processing: '处理中', acknowledged: '处理中', closed: '已解决', resolved: '已解决' },
  kind: {
    trigger: '新故障',
    repeat: '重复提醒',
    escalated: '已升级',
    acknowledged: '已认领',
    resolved: '已解决',
    test: '测试',
    bundle: '故障汇总',
    verification: '验证码',
  },
  acknowledge: '认领',
  resolve: '解决',
  open: '在 Tocsin 中查看',
  acknowledged: '已认领',
  resolved: '已解决',
  channel: '协作空间',
  severityLabel: '严重程度',
  statusLabel: '状态',
  alerts: '告警数',
  assignees: '处理人',
  labels: '标签',
  level: (level) => `第 ${level} 级`,
  by: (names) => `（${names}）`,
  test: '测试',
  incidents: (count) => `${count} 个故障`,
  startedAt: '开始时间',
};

/** `zh`, `zh-CN`, `zh-Hans`, `zh_TW`… → Chinese; everything else (and nothing) → English. */
export function messageLocale(locale: string | null | undefined): MessageLocale {
  return typeof locale === 'string' && /^zh\b|^zh[-_]/i.test(locale.trim()) ? 'zh-CN' : 'en';
}

export function wordsFor(locale: MessageLocale | undefined): MessageWords {
  return locale === 'zh-CN' ? ZH : EN;
}

/** A severity in the message's language. */
export function severityWord(locale: MessageLocale | undefined, severity: Severity): string {
  return wordsFor(locale).severity[severity];
}

/** A status (stored or display form) in the message's language; unknown words pass through. */
export function statusWord(locale: MessageLocale | undefined, status: string): string {
  return wordsFor(locale).status[status.toLowerCase()] ?? status;
}

/**
 * A date and time in the message's language and the reader's time zone (UTC when unknown or invalid):
 * `Dec 5, 2026, 14:05 UTC` / `2026年12月5日 22:05 GMT+8`.
 */
export function formatMessageTime(locale: MessageLocale | undefined, at: number, timeZone?: string): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  if (locale !== 'zh-CN') return formatterFor('en-US', zone).format(new Date(at));
  // Intl's zh-CN puts the zone between date and time ("2026年12月5日 GMT+8 09:36"): assembled instead.
  const parts = Object.fromEntries(formatterFor('zh-CN', zone).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

// Building an Intl.DateTimeFormat costs ~50 µs, about as much as the rest of rendering a page, and
// every page has a start time: formatters are kept per language and zone. Zones come from people's
// profiles (a few hundred at most); the map is bounded all the same.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 500;

function formatterFor(intlLocale: 'en-US' | 'zh-CN', zone: string): Intl.DateTimeFormat {
  const key = `${intlLocale}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: intlLocale === 'en-US' ? 'short' : 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone, timeZoneName: 'short' };
    formatter = new Intl.DateTimeFormat(intlLocale, options);
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

const validZones = new Map<string, boolean>();

function isTimeZone(zone: string): boolean {
  const known = validZones.get(zone);
  if (known !== undefined) return known;
  let valid = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    valid = false;
  }
  if (validZones.size >= MAX_FORMATTERS) validZones.clear();
  validZones.set(zone, valid);
  return valid;
}

/** The `language` field group chats declare: the language of what is posted to the whole chat. */
export const LANGUAGE_FIELD = {
  name: 'language',
  label: 'Message language',
  type: 'select',
  options: ['en', 'zh-CN'],
  default: 'en',
  help: 'Language of messages posted to the group (direct messages follow each person’s own language)',
} as const;
