import { describe, expect, it } from 'vitest';
import { describeEntry, timelineLanguage, type TimelineContext } from './timeline-text.js';

const T0 = Date.UTC(2030, 0, 1);
const ctx: TimelineContext = {
  names: new Map([
    ['p-alice', 'Alice'],
    ['p-bob', 'Bob'],
  ]),
  levels: [{ escalate_after_min: 30 }, { escalate_after_min: 120 }],
  mode: 'unacknowledged',
  manualEscalations: [],
};
const entry = (kind: string, data: Record<string, unknown>, actor: string | null = null, at = T0) => ({ kind, data, actor_id: actor, created_at: at });

describe('describeEntry', () => {
  it('says who was paged, how, through which provider, and the result', () => {
    expect(describeEntry(entry('notification_sent', { method: 'sms', to: 'Alice', provider: 'Twilio' }), ctx)).toBe('Paged Alice by SMS (Twilio) — delivered');
    expect(describeEntry(entry('notification_sent', { method: 'webhook', to: 'War room', provider: 'Hook' }), ctx)).toBe('Posted to War room by webhook (Hook) — delivered');
    expect(describeEntry(entry('notification_failed', { method: 'voice', to: 'Bob', error: 'no-answer', fallback: 'sms' }), ctx)).toBe('Could not reach Bob by voice call: no-answer; falling back to SMS');
    // App push goes to each device: the entry names it, and says when a gone device was removed.
    expect(describeEntry(entry('notification_sent', { method: 'push', to: 'Ada', device: 'Chrome on Android', provider: 'Web Push (built in)' }), ctx)).toBe('Paged Ada by app push on Chrome on Android (Web Push (built in)) — delivered');
    expect(describeEntry(entry('notification_failed', { method: 'push', to: 'Ada', device: 'Pixel 8', error: 'webpush subscription gone (HTTP 410)', fallback: null, device_removed: true }), ctx)).toBe(
      'Could not reach Ada by app push on Pixel 8: webpush subscription gone (HTTP 410); the device no longer accepts notifications and was removed from app push',
    );
    expect(describeEntry(entry('notified', { level: 1, recipients: [{ person: 'Ada', method: 'push', device: 'Pixel 8' }, { person: 'Ada', method: 'sms' }] }), ctx)).toBe('Notified level 1: Ada (app push on Pixel 8), Ada (SMS)');
  });

  it('explains a timed escalation by the previous level’s wait and the rule mode, and a loop back', () => {
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [{ person: 'Bob', method: 'sms' }] }), ctx)).toBe(
      'Escalated to level 2 (no acknowledgement within 30 min): notified Bob (SMS)',
    );
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [] }), { ...ctx, mode: 'unresolved' })).toBe('Escalated to level 2 (not resolved within 30 min): notified nobody');
    expect(describeEntry(entry('notified', { level: 1, round: 1, repeat: 0, recipients: [] }), ctx)).toBe('Looped back to level 1 (no acknowledgement within 2 h): notified nobody');
    expect(describeEntry(entry('notified', { level: 1, round: 0, repeat: 2, recipients: [] }), ctx)).toBe('Notified level 1 again (repeat 2): nobody');
  });

  it('credits a manual escalation to the person who asked for it', () => {
    const manual = { ...ctx, manualEscalations: [{ level: 2, at: T0, actorId: 'p-alice' }] };
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [{ person: 'Bob', method: 'email' }] }, null, T0 + 500), manual)).toBe(
      'Escalated to level 2 by Alice: notified Bob (email)',
    );
    // A timed escalation long after the manual one is not credited to it.
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [] }, null, T0 + 3_600_000), manual)).toContain('(no acknowledgement within 30 min)');
  });

  it('names the actor and the channel of acknowledgements and resolutions', () => {
    expect(describeEntry(entry('acknowledged', { via: 'sms' }, 'p-bob'), ctx)).toBe('Acknowledged by Bob via SMS reply');
    expect(describeEntry(entry('acknowledged', { via: 'integration' }), ctx)).toBe('Acknowledged automatically from the monitoring source');
    expect(describeEntry(entry('acknowledged', { via: 'api' }, 'p-alice'), ctx)).toBe('Acknowledged by Alice through the API');
    expect(describeEntry(entry('resolved', { reason: 'resolved via console' }, 'p-alice'), ctx)).toBe('Resolved by Alice in the console');
    expect(describeEntry(entry('resolved', { reason: 'all alerts recovered' }), ctx)).toBe('Closed: all alerts recovered');
  });

  it('describes merges, field changes and unknown kinds', () => {
    expect(describeEntry(entry('merged', { source_number: 41, alert_count: 3 }, 'p-alice'), ctx)).toBe('Merged #41 into this incident (3 alert(s)) by Alice');
    expect(describeEntry(entry('field_changed', { field: 'severity', label: 'severity', from: 'Warning', to: 'Critical' }, 'p-bob'), ctx)).toBe('Bob changed severity: “Warning” → “Critical”');
    expect(describeEntry(entry('field_changed', { field: 'custom_fields.region', label: 'Region', from: [], to: ['eu', 'us'] }, 'p-bob'), ctx)).toBe('Bob changed Region: (empty) → eu, us');
    expect(describeEntry(entry('something_new', {}), ctx)).toBe('something new');
  });
});

describe('timeline sentences in Simplified Chinese', () => {
  it('follows the first language of Accept-Language', () => {
    expect(timelineLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(timelineLanguage('zh-Hans-SG')).toBe('zh-CN');
    expect(timelineLanguage('zh')).toBe('zh-CN');
    expect(timelineLanguage('en-US,zh-CN;q=0.5')).toBe('en');
    expect(timelineLanguage(undefined)).toBe('en');
    expect(timelineLanguage('')).toBe('en');
  });

  it('says the same facts in Chinese', () => {
    const zh = (e: ReturnType<typeof entry>, c: TimelineContext = ctx) => describeEntry(e, c, 'zh-CN');
    expect(zh(entry('created', { title: 'Disk full', severity: 'Critical' }))).toBe('由告警 “Disk full” 触发（严重）');
    expect(zh(entry('notification_sent', { method: 'sms', to: 'Alice', provider: 'Twilio' }))).toBe('已通过短信（Twilio）通知 Alice — 已送达');
    expect(zh(entry('notification_failed', { method: 'voice', to: 'Bob', error: 'no-answer', fallback: 'sms' }))).toBe('无法通过电话联系到 Bob：no-answer；改用短信');
    expect(zh(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [{ person: 'Bob', method: 'sms' }] }))).toBe('升级到第 2 环节（30 分钟内无人认领）：已通知 Bob（短信）');
    expect(zh(entry('notified', { level: 1, round: 1, repeat: 0, recipients: [] }))).toBe('循环回到第 1 环节（2 小时内无人认领）：已通知 无人');
    expect(zh(entry('acknowledged', { via: 'sms' }, 'p-bob'))).toBe('Bob 已认领（短信回复）');
    expect(zh(entry('acknowledged', { via: 'integration' }))).toBe('已自动认领（监控源）');
    expect(zh(entry('resolved', { reason: 'resolved via console' }, 'p-alice'))).toBe('Alice 已解决（控制台）');
    expect(zh(entry('resolved', { reason: 'all alerts recovered' }))).toBe('已关闭：所有告警均已恢复');
    expect(zh(entry('severity_changed', { from: 'Warning', to: 'Critical' }))).toBe('严重程度 警告 → 严重');
    expect(zh(entry('field_changed', { field: 'custom_fields.region', label: 'Region', from: [], to: ['eu', 'us'] }, 'p-bob'))).toBe('Bob 修改了Region：（空） → eu、us');
    expect(zh(entry('merged', { source_number: 41, alert_count: 3 }, 'p-alice'))).toBe('Alice 将 #41 合并到此故障（3 条告警）');
    expect(zh(entry('unreachable', { name: 'Carol', reasons: ['no voice provider is configured', 'sms: phone not verified', 'a reason we never heard of'] }))).toBe(
      '无法联系到 Carol：未配置电话通知渠道；短信：手机号未验证；a reason we never heard of',
    );
    expect(zh(entry('not_assigned', { reason: 'no escalation rule matched' }))).toBe('未分派给任何人：没有匹配的分派策略');
  });

  it('stays English when no language is asked for', () => {
    expect(describeEntry(entry('acknowledged', { via: 'sms' }, 'p-bob'), ctx)).toBe('Acknowledged by Bob via SMS reply');
  });
});
