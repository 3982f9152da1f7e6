import { describe, expect, it } from 'vitest';
import { formatMessageTime, messageLocale, severityWord, statusWord } from './message-words.js';
import { renderContent, sampleIncident } from './templates.js';
import { slackMessage } from './providers/slack/index.js';
import { incidentCard } from './providers/feishu/index.js';
import { keyboard } from './providers/telegram/index.js';
import { dingtalkBody } from './providers/dingtalk/index.js';
import type { IncidentMessage, MessageDraft, NotificationMethod } from './provider.js';

const AT = Date.UTC(2026, 11, 5, 14, 5, 0);

describe('notification language (issue 13)', () => {
  it('reads zh* locales as Chinese, everything else as English', () => {
    expect(['zh-CN', 'zh', 'zh_TW', 'zh-Hans'].map(messageLocale)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN']);
    expect(['en', 'en-GB', 'de', '', undefined, null, 'zhx'].map(messageLocale)).toEqual(['en', 'en', 'en', 'en', 'en', 'en', 'en']);
  });

  it('has Chinese severity names, status words and dates in the reader time zone', () => {
    expect(severityWord('zh-CN', 'Critical')).toBe('严重');
    expect(statusWord('zh-CN', 'processing')).toBe('处理中');
    expect(statusWord('zh-CN', 'closed')).toBe('已解决');
    expect(formatMessageTime('zh-CN', AT, 'Asia/Shanghai')).toBe('2026年12月5日 22:05 GMT+8');
    expect(formatMessageTime('en', AT)).toBe('Dec 5, 2026, 14:05 UTC');
    expect(formatMessageTime('en', AT, 'Not/AZone')).toBe('Dec 5, 2026, 14:05 UTC');
  });

  it('renders every method’s default template in Chinese for a zh-CN reader, in English otherwise', () => {
    const methods: NotificationMethod[] = ['sms', 'voice', 'email', 'push', 'im', 'webhook'];
    for (const method of methods) {
      const draft = (locale: 'en' | 'zh-CN'): MessageDraft => ({
        id: 'x',
        idempotencyKey: 'x',
        method,
        recipient: { kind: 'person', personId: 'p', name: 'Wang', address: 'a' },
        kind: 'trigger',
        incident: { ...sampleIncident(), startedAt: AT },
        locale,
        timeZone: 'Asia/Shanghai',
      });
      const zh = renderContent(draft('zh-CN')).content;
      const en = renderContent(draft('en')).content;
      expect(`${zh.subject ?? ''}${zh.text}${zh.html ?? ''}`, method).toMatch(/严重|告警/);
      expect(`${en.subject ?? ''}${en.text}${en.html ?? ''}`, method).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('writes IM cards and buttons in the message language', () => {
    const message = (locale: 'en' | 'zh-CN'): IncidentMessage => ({
      id: 'm',
      idempotencyKey: 'm',
      method: 'webhook',
      recipient: { kind: 'group_chat', name: 'SRE' },
      kind: 'trigger',
      incident: sampleIncident(),
      content: { text: 'text' },
      locale,
    });
    const zhSlack = JSON.stringify(slackMessage(message('zh-CN'), 'links'));
    expect(zhSlack).toContain('"text":"认领"');
    expect(zhSlack).toContain('[严重] #42');
    expect(JSON.stringify(slackMessage(message('en'), 'links'))).toContain('"text":"Acknowledge"');
    expect(JSON.stringify(incidentCard(sampleIncident(), 'trigger', undefined, { locale: 'zh-CN' }))).toContain('"content":"解决"');
    const telegramSettings = { botToken: 't', chatId: '-1', userMap: new Map<string, string>(), apiBase: 'x', minSeverity: 'Info', notifyTriggered: true, notifyAcknowledged: true, notifyResolved: true } as const;
    expect(JSON.stringify(keyboard(telegramSettings, message('zh-CN')))).toContain('"text":"认领"');
    const dingtalkSettings = { webhookUrl: 'x', messageType: 'actionCard', atMobiles: [], minSeverity: 'Info', notifyTriggered: true, notifyAcknowledged: true, notifyResolved: true } as const;
    expect(dingtalkBody(dingtalkSettings, message('zh-CN'))).toContain('"title":"认领"');
    expect(dingtalkBody(dingtalkSettings, message('en'))).toContain('"title":"Acknowledge"');
  });
});
