import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILTIN_PROVIDERS, REDACTED, validateProviderSettings } from '../../src/notify/registry.js';

/**
 * A provider form's server errors are shown under the field they concern (web/src/i18n/serverErrors.ts
 * translates each "field: rule" by pattern). These are the server's real answers for broken settings of
 * the chat and telephony providers; in Chinese each must be a Chinese sentence, not the English rule.
 */
const web = (path: string) => pathToFileURL(join(import.meta.dirname, '../../web/src', path)).href;
type T = (key: string, values?: Record<string, unknown>) => string;

let translateRule: (rule: string, t: T) => string | undefined;
let t: T;

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubGlobal('localStorage', { getItem: () => 'zh-CN', setItem: () => undefined });
  const i18n = (await import(web('i18n/index.ts'))) as { i18next: { changeLanguage: (language: string) => Promise<unknown>; t: T } };
  await i18n.i18next.changeLanguage('zh-CN');
  t = (key, values) => i18n.i18next.t(key, values);
  ({ translateRule } = (await import(web('i18n/serverErrors.ts'))) as { translateRule: typeof translateRule });
});

const provider = (id: string) => {
  const found = BUILTIN_PROVIDERS.find((p) => p.id === id);
  if (!found) throw new Error(`no provider ${id}`);
  return found;
};

/** Broken settings a person can really submit, per provider. */
const BROKEN: readonly [string, Record<string, unknown>][] = [
  ['slack', { webhook_url: 'https://hooks.slack.com/services/T/B/x', bot_token: 'xoxb-1' }],
  ['slack', {}],
  ['slack', { bot_token: 'xoxb-1', channel: 'C0123', buttons: 'interactive' }],
  ['twilio_sms', { account_sid: 'AC0123456789abcdef0123456789abcdef', auth_token: 'token' }],
  ['twilio_sms', { account_sid: 'AC0123456789abcdef0123456789abcdef', auth_token: REDACTED, from: '+15017122661' }],
  ['dingtalk', { webhook_url: 'https://example.com/hook' }],
  ['feishu', { webhook_url: 'https://example.com/hook' }],
  ['wecom', { webhook_url: 'https://example.com/hook' }],
  ['discord', { webhook_url: 'https://example.com/hook' }],
  ['webhook', { url: 'https://example.com/hook', headers: 'X-Team: ops\nContent-Type: text/plain\nnot a header' }],
  ['twilio_sms', { account_sid: 'not a sid', auth_token: 'token', from: '+15017122661' }],
  ['webhook', { url: 'ftp://example.com' }],
  ['smtp', { host: 'smtp.example.com', from: 'not an email', username: 'ops' }],
];

describe('provider form errors from the server, in Chinese', () => {
  it('translates every rule the server answers for broken provider settings', () => {
    const rules = BROKEN.flatMap(([id, settings]) => validateProviderSettings(provider(id), settings).map((error) => `${id} ${error.field}: ${error.message}`));
    // Each broken example really is refused, so the check below sees real answers.
    expect(rules.length).toBeGreaterThanOrEqual(BROKEN.length);
    const untranslated = rules.filter((line) => {
      const rule = line.slice(line.indexOf(': ') + 2);
      const translated = translateRule(rule, t);
      return translated === undefined || !/[\u4e00-\u9fff]/.test(translated);
    });
    expect(untranslated).toEqual([]);
  });
});
