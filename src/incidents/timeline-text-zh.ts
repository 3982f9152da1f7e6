/**
 * The timeline sentences in Simplified Chinese, for a console that asks for them (Accept-Language:
 * zh…). Same entries and the same facts as the English sentences in timeline-text.ts, worded the
 * way a Chinese on-call product says them (故障, 告警, 认领, 分派策略, 环节 — see
 * docs/guide/glossary.zh-CN.md). Pure, like the English version.
 */
import type { TimelineContext, TimelineEntryInput } from './timeline-text.js';

const METHOD_NAMES: Readonly<Record<string, string>> = {
  voice: '电话',
  sms: '短信',
  email: '邮件',
  push: 'App 推送',
  im: 'IM 私信',
  webhook: 'Webhook',
  slack: 'Slack',
  feishu: '飞书',
  dingtalk: '钉钉',
  wecom: '企业微信',
  teams: 'Microsoft Teams',
  telegram: 'Telegram',
  discord: 'Discord',
};
const PERSONAL = new Set(['voice', 'sms', 'email', 'push', 'im']);

const VIA: Readonly<Record<string, string>> = {
  console: '（控制台）',
  api: '（API）',
  link: '（签名链接）',
  sms: '（短信回复）',
  voice: '（电话按键）',
  im: '（IM 按钮）',
  integration: '（监控源）',
  batch: '（列表批量操作）',
};

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const quote = (value: unknown): string => `“${str(value).slice(0, 200)}”`;
const SEVERITIES: Readonly<Record<string, string>> = { Critical: '严重', Warning: '警告', Info: '提醒', Ok: '恢复' };
const severity = (value: unknown): string => SEVERITIES[str(value)] ?? str(value);

function methodName(method: unknown): string {
  const m = str(method);
  return Object.hasOwn(METHOD_NAMES, m) ? (METHOD_NAMES[m] as string) : m;
}

function via(value: unknown): string {
  const v = str(value);
  return Object.hasOwn(VIA, v) ? (VIA[v] as string) : v ? `（${v}）` : '';
}

function minutes(min: number): string {
  if (min % 60 === 0 && min >= 60) return `${min / 60} 小时`;
  return `${min} 分钟`;
}

function recipientsText(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return '无人';
  return value
    .map((r) => {
      const rec = r as { person?: unknown; method?: unknown };
      return `${str(rec.person)}（${methodName(rec.method)}）`;
    })
    .join('、');
}

function namesList(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return '无人';
  return value.map((v) => (typeof v === 'object' && v !== null ? str((v as { name?: unknown }).name) : str(v))).join('、');
}

/** Reasons the notifier records in English (src/notify/dispatch.ts, escalation), said in Chinese; unknown ones stay as written. */
const CONTACT_PROBLEMS: Readonly<Record<string, string>> = {
  'email not verified': '邮箱未验证',
  'no phone number': '未填写手机号',
  'phone not verified': '手机号未验证',
  'email not verified (IM accounts are matched by email)': '邮箱未验证（IM 账号通过邮箱匹配）',
};
const ASSIGNMENT_REASONS: Readonly<Record<string, string>> = {
  'the channel has no escalation rule': '协作空间没有分派策略',
  'no escalation rule matched': '没有匹配的分派策略',
  'all alerts recovered': '所有告警均已恢复',
};

function reasonZh(reason: string): string {
  const noProvider = /^no (\w+) provider is configured$/.exec(reason);
  if (noProvider) return `未配置${methodName(noProvider[1])}通知渠道`;
  const notSetUp = /^(\w+) is not set up for this person$/.exec(reason);
  if (notSetUp) return `此人未设置${methodName(notSetUp[1])}`;
  const problem = /^(\w+): (.+)$/.exec(reason);
  if (problem && CONTACT_PROBLEMS[problem[2] ?? '']) return `${methodName(problem[1])}：${CONTACT_PROBLEMS[problem[2] ?? '']}`;
  return CONTACT_PROBLEMS[reason] ?? ASSIGNMENT_REASONS[reason] ?? reason;
}

/** The Chinese sentence for one entry. */
export function describeEntryZh(entry: TimelineEntryInput, ctx: TimelineContext): string {
  const d = entry.data;
  const actor = entry.actor_id ? (ctx.names.get(entry.actor_id) ?? '某人') : undefined;
  const who = actor ?? '某人';
  switch (entry.kind) {
    case 'created':
      return d.manual ? `${who} 手动创建：${quote(d.title)}（${severity(d.severity)}）` : `由告警 ${quote(d.title)} 触发（${severity(d.severity)}）`;
    case 'assigned':
      return `匹配分派策略 ${quote(d.rule_name)}`;
    case 'not_assigned':
      return `未分派给任何人：${reasonZh(str(d.reason))}`;
    case 'notified':
    case 'escalated': {
      const level = num(d.level) ?? 1;
      const people = recipientsText(d.recipients);
      if ((num(d.repeat) ?? 0) > 0) return `再次通知第 ${level} 环节（第 ${num(d.repeat)} 次重复）：${people}`;
      const manual = ctx.manualEscalations.find((m) => m.level === level && m.at <= entry.created_at && entry.created_at - m.at <= 60_000);
      if (manual) return `${manual.actorId ? `${ctx.names.get(manual.actorId) ?? '某人'} 将故障` : ''}升级到第 ${level} 环节：已通知 ${people}`;
      if (entry.kind === 'escalated' || (num(d.round) ?? 0) > 0) {
        const previous = level >= 2 ? ctx.levels[level - 2] : ctx.levels[ctx.levels.length - 1];
        const what = ctx.mode === 'unresolved' ? '未解决' : '无人认领';
        const why = previous ? `（${minutes(previous.escalate_after_min)}内${what}）` : '';
        const loop = level === 1 ? '循环回到第 1 环节' : `升级到第 ${level} 环节`;
        return `${loop}${why}：已通知 ${people}`;
      }
      return `通知第 ${level} 环节：${people}`;
    }
    case 'paged':
      return `已通知 ${recipientsText(d.recipients)}${d.reason ? `（${str(d.reason)}）` : ''}`;
    case 'notification_sent': {
      const method = str(d.method);
      const provider = d.provider ? `（${str(d.provider)}）` : '';
      const bundled = num(d.bundled_with) ? `，与其他 ${num(d.bundled_with)} 个故障合并发送` : '';
      if (PERSONAL.has(method)) return `已通过${methodName(method)}${provider}通知 ${str(d.to)} — 已送达${bundled}`;
      return `已通过${methodName(method)}${provider}发送到 ${str(d.to)} — 已送达${bundled}`;
    }
    case 'notification_failed': {
      const to = d.to ? ` ${str(d.to)}` : '';
      const fallback = d.fallback ? `；改用${methodName(d.fallback)}` : '';
      const reporter = d.reported_by === 'vendor' ? '（服务商回报）' : '';
      return `无法通过${methodName(d.method)}联系到${to}：${str(d.error)}${reporter}${fallback}`;
    }
    case 'unreachable':
      return `无法联系到 ${str(d.name)}：${Array.isArray(d.reasons) ? d.reasons.map((r) => reasonZh(str(r))).join('；') : ''}`;
    case 'notify_problem':
      return `通知问题：${str(d.problem)}`;
    case 'escalation_exhausted':
      return `已到第 ${num(d.level) ?? '?'} 环节，分派结束，仍无人认领`;
    case 'acknowledged':
      return actor ? `${actor} 已认领${via(d.via)}` : `已自动认领${via(d.via)}`;
    case 'unacknowledged':
      return actor ? `${actor} 取消了认领` : '认领已取消';
    case 'snoozed':
      return `${who} 将故障暂缓 ${minutes(num(d.minutes) ?? 0)}`;
    case 'woken':
      return actor ? `${actor} 结束了暂缓` : '暂缓已结束';
    case 'resolved': {
      const reason = str(d.reason);
      if (reason.startsWith('resolved via ')) return actor ? `${actor} 已解决${via(reason.slice('resolved via '.length))}` : `已解决${via(reason.slice('resolved via '.length))}`;
      return `已关闭：${reasonZh(reason)}${actor ? `（${actor}）` : ''}`;
    }
    case 'reopened':
      return `${who} 重新打开了故障：${str(d.reason)}`;
    case 'commented':
      return `${who} 发表了评论`;
    case 'alert_merged':
      return `新增告警 ${quote(d.title)}（${severity(d.severity)}）`;
    case 'alert_recovered':
      return `告警 ${quote(d.title)} 已恢复`;
    case 'severity_changed':
      return `严重程度 ${severity(d.from)} → ${severity(d.to)}`;
    case 'storm':
      return `告警风暴：${num(d.alert_count) ?? '?'} 条告警（阈值 ${num(d.threshold) ?? '?'}）`;
    case 'flapping':
      return `告警 ${str(d.alert_key)} 正在抖动${d.muted_until ? '，其通知暂时静音' : ''}`;
    case 'merged':
      return `${actor ? `${actor} ` : ''}将 #${num(d.source_number) ?? '?'} 合并到此故障（${num(d.alert_count) ?? 0} 条告警）`;
    case 'merged_into':
      return `${actor ? `${actor} ` : ''}将此故障合并到 #${num(d.target_number) ?? '?'}（移动了 ${num(d.alert_count) ?? 0} 条告警）`;
    case 'field_changed': {
      const show = (v: unknown) => (v === null || v === undefined || v === '' ? '（空）' : Array.isArray(v) ? v.map(str).join('、') || '（空）' : typeof v === 'string' ? quote(v) : str(v));
      const field = str(d.label ?? d.field);
      const label = ({ title: '标题', description: '描述', impact: '影响', severity: '严重程度' } as Record<string, string>)[field] ?? field;
      return `${who} 修改了${label}：${show(d.from)} → ${show(d.to)}`;
    }
    case 'reassigned':
      return `${who} 将故障重新分派给 ${namesList(d.targets)}`;
    case 'responders_added':
      return `${who} 添加了协助处理人：${namesList(d.targets)}`;
    case 'escalated_manually':
      return `${who} 将故障升级到第 ${num(d.to_level) ?? '?'} 环节${num(d.from_level) ? `（原为第 ${num(d.from_level)} 环节）` : ''}`;
    case 'change':
      return `变更：${quote(d.title)}${d.integration_name ? `（来自 ${str(d.integration_name)}）` : ''}`;
    case 'postmortem_saved':
      return `${who} 编辑了复盘`;
    default:
      return entry.kind.replace(/_/g, ' ');
  }
}
