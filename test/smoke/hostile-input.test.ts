import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

/** Runs `work` while measuring the longest event-loop stall of this process (the server runs in it). */
async function longestStallMs<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    return { result, stallMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

interface ErrorEnvelope {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

describe.each(dialects)('hostile input on %s (issue 10 items 10–13)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  const lots = { rate_limit: { per_second: 10_000, per_minute: 600_000 } };

  it('item 10: evil regexes in a drop rule and an enrichment extract do not stall the server', async () => {
    const channel = await h.channel('ReDoS');
    const integration = await h.integration(channel.id, 'standard', {
      ...lots,
      enrichment: [{ kind: 'extract', source: 'title', pattern: '(?<h>.*.*.*.*)z' }],
    });
    // The backtracking guard accepted these; each takes exponential time on a backtracking engine.
    for (const pattern of ['/(a|a)+$/', '/a*a*a*a*a*a*b/', '/(x+x+)+y/']) {
      const rule = await h.admin.post(`/api/v1/channels/${channel.id}/drop-rules`, { name: `evil ${pattern}`, spec: { filter: [[{ key: 'title', op: 'in', values: [pattern] }]] } });
      expect(rule.status).toBe(201);
    }
    const title = `${'a'.repeat(27)}!${'x'.repeat(27)}`;
    const { result, stallMs } = await longestStallMs(async () => {
      const started = performance.now();
      const pushed = await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: title, event_status: 'Critical', alert_key: 'redos' });
      return { pushed, ms: performance.now() - started };
    });
    expect(result.pushed.status).toBe(200);
    expect(stallMs).toBeLessThan(500);
    expect(result.ms).toBeLessThan(2000);
    const health = await fetch(`${h.url}/healthz`, { signal: AbortSignal.timeout(2000) });
    expect(health.status).toBe(200);
  });

  it('item 10: a look-around regex is refused at save time, naming the field', async () => {
    const channel = await h.channel('RE2 syntax');
    const refused = await h.admin.post<ErrorEnvelope>(`/api/v1/channels/${channel.id}/drop-rules`, { name: 'lookahead', spec: { filter: [[{ key: 'title', op: 'in', values: ['/a(?=b)/'] }]] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('no look-around');
  });

  it('item 11: a title_rule of "$a" × 50 000 is rendered to 512 characters without stalling', async () => {
    const channel = await h.channel('Title bomb');
    const { key } = await h.integration(channel.id, 'standard', lots);
    const body = { title_rule: '$a'.repeat(50_000), event_status: 'Critical', alert_key: 'bomb', labels: { a: 'x'.repeat(2048) } };
    const { result, stallMs } = await longestStallMs(() => h.push(`/event/push/alert/standard?integration_key=${key}`, body));
    expect(result.status).toBe(200);
    expect(stallMs).toBeLessThan(500);
    const [alert] = await h.alerts(channel.id);
    expect(alert?.title).toBe('x'.repeat(512));
  });

  it('item 12: over 1 000 alerts in one request → 413 naming the field; labels capped at 50, values at 2 048', async () => {
    const channel = await h.channel('Caps');
    const { key } = await h.integration(channel.id, 'prometheus', lots);
    const alert = (i: number, labels: Record<string, string> = {}) => ({ status: 'firing', labels: { alertname: `A${i}`, ...labels }, annotations: {}, startsAt: '2026-03-02T09:00:00Z', fingerprint: `f${i}` });
    const tooMany = await h.push<ErrorEnvelope>(`/event/push/alert/prometheus?integration_key=${key}`, { version: '4', status: 'firing', alerts: Array.from({ length: 1001 }, (_, i) => alert(i)) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'PayloadTooLarge', field: 'alerts' });
    expect(tooMany.body.error.message).toContain('at most 1000 per request');

    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`l${String(i).padStart(2, '0')}`, 'v']));
    const capped = await h.push(`/event/push/alert/prometheus?integration_key=${key}`, { version: '4', status: 'firing', alerts: [alert(1, { ...many, long: 'y'.repeat(5000) })] });
    expect(capped.status).toBe(200);
    const [stored] = await h.alerts(channel.id);
    expect(Object.keys(stored?.labels ?? {})).toHaveLength(50);
    expect(stored?.labels.labels_cut).toBe('true');
    expect(stored?.labels.alertname).toBe('A1');

    const long = await h.push(`/event/push/alert/prometheus?integration_key=${key}`, { version: '4', status: 'firing', alerts: [alert(2, { long: 'y'.repeat(5000) })] });
    expect(long.status).toBe(200);
    const withLong = (await h.alerts(channel.id)).find((a) => a.alert_key === 'f2');
    expect(withLong?.labels.long).toHaveLength(2048);
  });

  it('item 13: prototype keys as severities and priorities are unknown values, never a 5xx', async () => {
    const channel = await h.channel('Prototype keys');
    const sources = ['prometheus', 'pagerduty', 'opsgenie', 'zabbix', 'nagios', 'datadog'] as const;
    const keys = Object.fromEntries(await Promise.all(sources.map(async (s) => [s, (await h.integration(channel.id, s, lots)).key] as const)));
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const answers = [
        await h.push(`/event/push/alert/prometheus?integration_key=${keys.prometheus}`, { version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'p', severity: word }, fingerprint: `p-${word}` }] }),
        await h.push('/v2/enqueue', { routing_key: keys.pagerduty, event_action: 'trigger', payload: { summary: 's', source: 'x', severity: word } }),
        await h.push('/v2/alerts', { message: 'm', priority: word }, { authorization: `GenieKey ${keys.opsgenie}` }),
        await h.push(`/event/push/alert/zabbix?integration_key=${keys.zabbix}`, { event_id: '1', event_value: '1', event_name: 'z', event_severity: word }),
        await h.push(`/event/push/alert/nagios?integration_key=${keys.nagios}`, { NOTIFICATIONTYPE: 'PROBLEM', HOSTNAME: 'h', SERVICEDESC: 's', SERVICESTATE: word }),
        await h.push(`/event/push/alert/datadog?integration_key=${keys.datadog}`, { id: '1', title: 't', alert_transition: 'Triggered', alert_priority: word }),
        await h.push(`/event/push/alert/prometheus?integration_key=${keys.prometheus}&severity=${word}`, { version: '4', status: 'firing', alerts: [] }),
      ];
      for (const answer of answers) expect(answer.status, `${word}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
    }
    const prometheus = (await h.alerts(channel.id)).find((a) => a.alert_key === 'p-constructor');
    expect(prometheus?.status).toBe('Warning');
  });

  it('item 13: malformed SNS envelopes, 10 000-deep nesting and lone surrogates are 4xx naming the field', async () => {
    const channel = await h.channel('Malformed');
    const cloudwatch = await h.integration(channel.id, 'cloudwatch', lots);
    for (const body of ['null', '[]', '{}', '"text"', JSON.stringify({ MessageId: '1' })]) {
      const answer = await h.push<ErrorEnvelope>(`/event/push/alert/cloudwatch?integration_key=${cloudwatch.key}`, body, { 'content-type': 'text/plain' });
      expect(answer.status, body).toBe(400);
      expect(answer.body.error.field).toBeTruthy();
    }
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const pagerduty = await h.integration(channel.id, 'pagerduty', lots);
    const opsgenie = await h.integration(channel.id, 'opsgenie', lots);
    const standard = await h.integration(channel.id, 'standard', lots);
    const nested = [
      await h.push('/v2/enqueue', `{"routing_key":"${pagerduty.key}","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info","custom_details":${deep}}}`),
      await h.push('/v2/alerts', `{"message":"m","details":${deep}}`, { authorization: `GenieKey ${opsgenie.key}` }),
      await h.push(`/event/push/alert/standard?integration_key=${standard.key}`, `{"title_rule":"t","event_status":"Info","labels":${deep}}`),
    ];
    // Opsgenie's own routes answer an invalid body as Opsgenie does (422); the others 400.
    expect(nested.map((answer) => answer.status)).toEqual([400, 422, 400]);
    expect(nested[2]?.body).toMatchObject({ error: { field: 'body', message: 'body: is nested deeper than 64 levels' } });

    const zabbix = await h.integration(channel.id, 'zabbix', lots);
    const surrogate = await h.push(`/event/push/alert/zabbix?integration_key=${zabbix.key}`, '{"event_id":"7","event_value":"1","event_name":"z","event_severity":"High","trigger_id":"\\ud800","zabbix_url":"https://zabbix.example.com"}');
    expect(surrogate.status, JSON.stringify(surrogate.body)).toBe(200);
  });
});
