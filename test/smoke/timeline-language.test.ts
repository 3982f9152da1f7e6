import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

interface TimelinePage {
  data: { kind: string; text: string }[];
}

/**
 * The incident timeline's sentences follow the reader's Accept-Language (ADR 0054): Simplified
 * Chinese for a console set to 简体中文, English otherwise — the API's default for scripts.
 */
describe.each(dialects)('timeline sentences and post-mortem drafts by Accept-Language on %s', (dialect) => {
  let h: Harness;
  let incidentId: string;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    const channel = await h.channel('Payments');
    const { key } = await h.integration(channel.id, 'standard');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Disk full on db-01', event_status: 'Critical', alert_key: 'disk' });
    const [incident] = await h.incidents(channel.id);
    if (!incident) throw new Error('no incident opened');
    incidentId = incident.id;
    expect((await h.admin.post(`/api/v1/incidents/${incidentId}/ack`)).status).toBe(200);
  });
  afterAll(async () => h?.stop());

  const timeline = async (acceptLanguage?: string) =>
    (await h.admin.request<TimelinePage>('GET', `/api/v1/incidents/${incidentId}/timeline`, undefined, acceptLanguage ? { 'accept-language': acceptLanguage } : {})).body.data;

  it('answers in Chinese when the first language asked for is Chinese', async () => {
    const entries = await timeline('zh-CN,zh;q=0.9,en;q=0.8');
    expect(entries.find((e) => e.kind === 'created')?.text).toBe('由告警 “Disk full on db-01” 触发（严重）');
    expect(entries.find((e) => e.kind === 'acknowledged')?.text).toBe('Ada Admin 已认领（API）');
  });

  it('answers in English otherwise, and by default', async () => {
    for (const language of [undefined, 'en-GB', 'en-US,zh-CN;q=0.5', '*']) {
      const entries = await timeline(language);
      expect(entries.find((e) => e.kind === 'created')?.text).toBe('Opened by alert “Disk full on db-01” (Critical)');
      expect(entries.find((e) => e.kind === 'acknowledged')?.text).toBe('Acknowledged by Ada Admin through the API');
    }
  });

  it('drafts the post-mortem in the reader’s language, quoting the timeline in it', async () => {
    const draft = async (acceptLanguage: string) =>
      (await h.admin.request<{ markdown: string; saved: boolean }>('GET', `/api/v1/incidents/${incidentId}/postmortem`, undefined, { 'accept-language': acceptLanguage })).body;
    const chinese = await draft('zh-CN');
    expect(chinese.saved).toBe(false);
    expect(chinese.markdown).toContain('# 复盘：#1 Disk full on db-01');
    expect(chinese.markdown).toContain('- **严重程度：** 严重');
    expect(chinese.markdown).toContain('## 时间线');
    expect(chinese.markdown).toContain('由告警 “Disk full on db-01” 触发（严重）');
    const english = await draft('en-US');
    expect(english.markdown).toContain('# Post-mortem: #1 Disk full on db-01');
    expect(english.markdown).toContain('- **Severity:** Critical');
    expect(english.markdown).toContain('Opened by alert “Disk full on db-01” (Critical)');
  });
});
