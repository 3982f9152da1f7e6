import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Settings → Import shows the importer's English details and reasons (src/imports); the console reads
 * them in the person's language by pattern (web/src/i18n/importText.ts). In English the console shows
 * them word for word; in Chinese no English sentence is left, the names and numbers are kept.
 */
const web = (path: string) => pathToFileURL(join(import.meta.dirname, '../../web/src', path)).href;

let importText: (text: string) => string;
let changeLanguage: (language: string) => Promise<unknown>;

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubGlobal('localStorage', { getItem: () => 'en', setItem: () => undefined });
  const i18n = (await import(web('i18n/index.ts'))) as { i18next: { changeLanguage: (language: string) => Promise<unknown> } };
  changeLanguage = (language) => i18n.i18next.changeLanguage(language);
  ({ importText } = (await import(web('i18n/importText.ts'))) as { importText: (text: string) => string });
});

/** What the importer writes (src/imports/*.ts), with realistic values. */
const SERVER_TEXTS = [
  'has no start',
  'frequency weekly × 2 has no Tocsin rotation',
  "its time zone Europe/Berlin differs from the schedule's Asia/Shanghai",
  'OnCall hands over on each listed day only; Tocsin rotates every calendar period, so check the order',
  'a 3600 s shift every 1 day(s) has no Tocsin restriction',
  'step notify_whole_channel has no Tocsin equivalent',
  "OnCall's API does not list team members; add them in Tocsin",
  'iCal-based schedules are read from your calendar; rebuild the rotation in Tocsin',
  'OnCall integration type zendesk has no Tocsin equivalent; add an integration for that tool by hand',
  'type custom × 40 has no Tocsin rotation',
  'has no startDate',
  'participant of type escalation is left out (Tocsin rotates people)',
  'recipient type schedule has no Tocsin target',
  'notifyType next is read as "whoever is on call now"',
  'has more than 10 distinct delays; Tocsin keeps 10 levels',
  'heartbeats: create a heartbeat integration in Tocsin by hand',
  'a turn of 5400 s is not a whole number (1–30) of hours, days or weeks',
  'start or rotation_virtual_start is missing',
  'starts in the future in the middle of a turn; Tocsin starts it at the turn before',
  'handoff time has seconds; Tocsin hands off on the minute',
  'mixes daily and weekly restrictions; daily ones were read as Monday only',
  'PagerDuty integration type sentry_inbound_integration has no Tocsin equivalent; add an integration for that tool by hand',
  'has no email address',
  'has 12 rules; Tocsin keeps the first 10 levels',
  'its person was not imported',
  'has no escalation policy; the channel notifies nobody until you add a rule',
  'has no levels',
  'a person with this email exists',
  'email and phone unverified',
  'email unverified',
  '3 member(s) to add',
  'for objects without a team',
  '2 layer(s), Asia/Shanghai',
  'a channel with this name exists',
  'source prometheus',
  '3 level(s), delays 5 min, 15 min, 30 min',
];

/** English words left once identifiers (snake_case, ids, zones) and product names are taken out. */
const englishWords = (text: string) =>
  (text.replace(/\S*[_/]\S*/g, ' ').match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !['Tocsin', 'OnCall', 'PagerDuty', 'iCal', 'startDate', 'notifyType', 'weekly', 'custom', 'zendesk', 'escalation', 'schedule', 'next', 'prometheus', 'day', 'API', 'start'].includes(w));

describe('import details and reasons in the console', () => {
  it('English: word for word what the server wrote', async () => {
    await changeLanguage('en');
    for (const text of SERVER_TEXTS) expect(importText(text)).toBe(text);
  });

  it('Chinese: every sentence translated, names and numbers kept', async () => {
    await changeLanguage('zh-CN');
    const left = SERVER_TEXTS.map((text) => [text, importText(text)] as const).filter(([, zh]) => englishWords(zh).length > 0 || !/[\u4e00-\u9fff]/.test(zh));
    expect(left).toEqual([]);
    expect(importText('3 level(s), delays 5 min, 15 min, 30 min')).toBe('3 个环节，延迟 5 分钟、15 分钟、30 分钟');
    expect(importText("its time zone Europe/Berlin differs from the schedule's Asia/Shanghai")).toBe('其时区 Europe/Berlin 与排班的时区 Asia/Shanghai 不同');
    expect(importText('has 12 rules; Tocsin keeps the first 10 levels')).toContain('12');
  });

  it('keeps a sentence no pattern knows as the server wrote it', async () => {
    await changeLanguage('zh-CN');
    expect(importText('a reason from a newer server')).toBe('a reason from a newer server');
  });
});
