import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { summarize, type IncidentRuleSpec } from '../../src/escalation/model.js';

/**
 * The console reads an escalation rule aloud in the person's language: in English it shows the
 * server's summary, in Chinese it composes one from the spec (web/src/pages/escalation/localSummary.ts).
 * Built in English, the console's reading must be word for word the server's, so the Chinese one says
 * the same things; and the Chinese one must read as Chinese.
 */
type Summarize = (spec: unknown, nameOf: (id: string) => string | undefined) => string;

const web = (path: string) => pathToFileURL(join(import.meta.dirname, '../../web/src', path)).href;

let localRuleSummary: Summarize;
let changeLanguage: (language: string) => Promise<unknown>;

beforeAll(async () => {
  // The console's i18n module sets <html lang> and remembers the choice; a stand-in page is enough.
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubGlobal('localStorage', { getItem: () => 'en', setItem: () => undefined });
  const i18n = (await import(web('i18n/index.ts'))) as { i18next: { changeLanguage: (language: string) => Promise<unknown> } };
  changeLanguage = (language) => i18n.i18next.changeLanguage(language);
  ({ localRuleSummary } = (await import(web('pages/escalation/localSummary.ts'))) as { localRuleSummary: Summarize });
});

const names = (id: string): string | undefined =>
  ({ 'p-alice': 'Alice', 'p-bob': 'Bob', 'p-carol': 'Carol', 's-backend': 'Backend', 't-db': 'DB', 'bot-ops': '#ops' })[id];

const level = (overrides: Record<string, unknown> = {}) => ({
  targets: { people: ['p-alice'] },
  methods: { kind: 'preferences' },
  repeat_every_min: null,
  repeat_times: 0,
  escalate_after_min: 30,
  ...overrides,
});

const SPECS: Record<string, unknown> = {
  'explicit methods per severity': {
    levels: [
      level({ methods: { kind: 'explicit', by_severity: { Critical: ['voice'], Warning: ['sms'] } } }),
      level({ targets: { schedules: [{ id: 's-backend' }] }, methods: { kind: 'explicit', by_severity: { Critical: ['sms'] } } }),
    ],
  },
  'delay, repeats, several targets, group chats, roles, unresolved mode and a loop': {
    delay_seconds: 90,
    mode: 'unresolved',
    levels: [
      level({ targets: { people: ['p-alice', 'p-bob'], group_chats: ['bot-ops'] }, repeat_every_min: 0.5, repeat_times: 1, escalate_after_min: 10 }),
      level({ targets: { people: ['p-carol'], teams: ['t-db'], schedules: [{ id: 's-backend', roles: ['primary', 'backup'] }] }, repeat_every_min: 5, repeat_times: 2, escalate_after_min: 120 }),
      level({ targets: { group_chats: ['bot-unknown'] }, escalate_after_min: 90 }),
    ],
    after_last: { kind: 'loop', times: 2 },
  },
  'nouns for methods without a verb, a single loop, an unknown id': {
    levels: [
      level({ targets: { people: ['p-zed'] }, methods: { kind: 'explicit', by_severity: { Critical: ['push', 'slack_dm'], Warning: ['voice', 'sms', 'email'], Info: ['telegram_dm'] } }, escalate_after_min: 60 }),
      level(),
    ],
    after_last: { kind: 'loop', times: 1 },
  },
};

describe('an escalation rule read aloud in the person’s language', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`in English, says what the server says: ${name}`, async () => {
      await changeLanguage('en');
      expect(localRuleSummary(spec, names)).toBe(summarize(spec as IncidentRuleSpec, names));
    });
  }

  it('in Chinese, reads as Chinese with the same names, times and counts', async () => {
    await changeLanguage('zh-CN');
    expect(localRuleSummary(SPECS['delay, repeats, several targets, group chats, roles, unresolved mode and a loop'], names)).toBe(
      '所有告警：1 分 30 秒后按个人偏好通知Alice和Bob，并发送到#ops，每 30 秒重复一次，最多 1 次；' +
        '若 10 分钟内未解决，按个人偏好通知Carol、DB团队和Backend的值班人员（主值班, 备份值班），每 5 分钟重复一次，最多 2 次；' +
        '若 2 小时内未解决，发送到bot-unknown；' +
        '若 90 分钟内未解决，从第一级重新开始（最多 2 次）',
    );
    expect(localRuleSummary(SPECS['explicit methods per severity'], names).split('\n')).toEqual([
      '严重告警：立即通过电话通知Alice；若 30 分钟内无人确认，通过短信通知Backend的值班人员',
      '警告告警：立即通过短信通知Alice；若 30 分钟内无人确认，按个人偏好通知Backend的值班人员',
      '提醒告警：立即按个人偏好通知Alice；若 30 分钟内无人确认，按个人偏好通知Backend的值班人员',
    ]);
    await changeLanguage('en');
  });
});
