/**
 * The post-mortem draft of an incident (SPEC §7, issue 11 item 6): markdown prefilled with what Tocsin
 * knows — summary, impact, the timeline as sentences, root cause and resolution — for people to edit.
 * Pure: the caller passes the incident, its channel name and the described timeline. Written in the
 * reader's language (English, or Simplified Chinese for a console set to 简体中文), like the timeline.
 */
import type { TimelineLanguage } from './timeline-text.js';

export interface PostmortemIncident {
  readonly number: number;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly status: string;
  readonly impact: string;
  readonly created_at: number;
  readonly acknowledged_at: number | null;
  readonly closed_at: number | null;
  readonly root_cause: string | null;
  readonly resolution: string | null;
  readonly alert_count: number;
}

/** `2026-03-02 09:00 UTC`: post-mortems are shared across time zones, so one explicit zone. */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The draft's fixed words per language; the facts (times, names, sentences) come from the incident. */
const WORDS = {
  en: {
    title: 'Post-mortem',
    channel: 'Channel',
    severity: 'Severity',
    status: 'Status',
    started: 'Started',
    acknowledged: 'Acknowledged',
    resolved: 'Resolved',
    alerts: 'Alerts',
    after: (d: string) => `after ${d}`,
    summary: 'Summary',
    summaryHint: 'What happened, in two or three sentences.',
    impact: 'Impact',
    impactHint: 'Who was affected, how, and for how long.',
    timeline: 'Timeline',
    noEntries: 'No entries.',
    rootCause: 'Root cause',
    rootCauseHint: 'Why it happened.',
    resolution: 'Resolution',
    resolutionHint: 'How it was fixed.',
    actionItems: 'Action items',
    min: 'min',
    h: 'h',
    colon: ':',
    severities: {} as Record<string, string>,
    statuses: {} as Record<string, string>,
  },
  'zh-CN': {
    title: '复盘',
    channel: '协作空间',
    severity: '严重程度',
    status: '状态',
    started: '开始时间',
    acknowledged: '认领时间',
    resolved: '解决时间',
    alerts: '告警数',
    after: (d: string) => `历时 ${d}`,
    summary: '概述',
    summaryHint: '用两三句话说明发生了什么。',
    impact: '影响',
    impactHint: '影响了谁、如何影响、持续多久。',
    timeline: '时间线',
    noEntries: '无记录。',
    rootCause: '根因',
    rootCauseHint: '为什么会发生。',
    resolution: '解决方案',
    resolutionHint: '如何修复的。',
    actionItems: '改进项',
    min: '分钟',
    h: '小时',
    colon: '：',
    severities: { Critical: '严重', Warning: '警告', Info: '提醒', Ok: '恢复' } as Record<string, string>,
    statuses: { triggered: '待处理', processing: '处理中', closed: '已关闭' } as Record<string, string>,
  },
} as const;

function duration(ms: number, words: (typeof WORDS)[TimelineLanguage]): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} ${words.min}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} ${words.h} ${minutes % 60} ${words.min}`;
}

/** Neutralises markdown that would break the document's own structure (a heading inside a title). */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

export function postmortemDraft(
  incident: PostmortemIncident,
  channelName: string,
  timeline: readonly { at: number; text: string; actor: string | null }[],
  language: TimelineLanguage = 'en',
): string {
  const w = WORDS[language];
  const fact = (label: string, value: string) => `- **${label}${w.colon}** ${value}`;
  const lines: string[] = [];
  lines.push(`# ${w.title}${w.colon}${language === 'en' ? ' ' : ''}#${incident.number} ${inline(incident.title)}`, '');
  lines.push(fact(w.channel, inline(channelName)));
  lines.push(fact(w.severity, w.severities[incident.severity] ?? incident.severity));
  lines.push(fact(w.status, w.statuses[incident.status] ?? incident.status));
  lines.push(fact(w.started, utcMinute(incident.created_at)));
  if (incident.acknowledged_at !== null) lines.push(fact(w.acknowledged, `${utcMinute(incident.acknowledged_at)} (${w.after(duration(incident.acknowledged_at - incident.created_at, w))})`));
  if (incident.closed_at !== null) lines.push(fact(w.resolved, `${utcMinute(incident.closed_at)} (${w.after(duration(incident.closed_at - incident.created_at, w))})`));
  lines.push(fact(w.alerts, String(incident.alert_count)), '');
  lines.push(`## ${w.summary}`, '', incident.description.trim() || `_${w.summaryHint}_`, '');
  lines.push(`## ${w.impact}`, '', incident.impact.trim() || `_${w.impactHint}_`, '');
  lines.push(`## ${w.timeline}`, '');
  if (timeline.length === 0) lines.push(`_${w.noEntries}_`);
  for (const entry of timeline) lines.push(`- ${utcMinute(entry.at)} — ${inline(entry.text)}`);
  lines.push('');
  lines.push(`## ${w.rootCause}`, '', incident.root_cause?.trim() || `_${w.rootCauseHint}_`, '');
  lines.push(`## ${w.resolution}`, '', incident.resolution?.trim() || `_${w.resolutionHint}_`, '');
  lines.push(`## ${w.actionItems}`, '', '- [ ] ', '');
  return lines.join('\n');
}
