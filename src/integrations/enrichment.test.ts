import { describe, expect, it } from 'vitest';
import {
  compileEnrichment,
  compilePipeline,
  parseCsv,
  parseMapTable,
  type Enrichment,
  type EnrichmentRule,
  type Pipeline,
  type PipelineRule,
} from './enrichment.js';
import type { NormalizedEvent } from './model.js';

const event = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  title: 'Disk full on web-01.prod',
  status: 'Warning',
  action: 'trigger',
  description: 'mount /var at 97%',
  labels: { host: 'web-01.prod', dc: 'fra' },
  ...over,
});

function enrich(rules: EnrichmentRule[], integration?: string): Enrichment {
  const c = compileEnrichment(rules, { integration });
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.value;
}

function pipeline(rules: PipelineRule[]): Pipeline {
  const c = compilePipeline(rules, { integration: 'int-9' });
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.value;
}

describe('enrichment: extract', () => {
  it('copies named groups from the title, description or a label into labels', () => {
    const f = enrich([
      { kind: 'extract', source: 'labels.host', pattern: '^(?<node>[^.]+)\\.(?<env>\\w+)$' },
      { kind: 'extract', source: 'description', pattern: 'mount (?<mount>\\S+) at (?<pct>\\d+)%' },
      { kind: 'extract', source: 'title', pattern: '(?i)^DISK (?<kind>\\w+)' },
    ]);
    expect(f(event()).labels).toEqual({ host: 'web-01.prod', dc: 'fra', node: 'web-01', env: 'prod', mount: '/var', pct: '97', kind: 'full' });
  });

  it('keeps existing labels unless overwrite is set, and skips groups that did not participate', () => {
    const keep = enrich([{ kind: 'extract', source: 'title', pattern: 'on (?<dc>[a-z]+)(?<port>:\\d+)?' }]);
    expect(keep(event()).labels).toEqual({ host: 'web-01.prod', dc: 'fra' });
    const replace = enrich([{ kind: 'extract', source: 'title', pattern: 'on (?<dc>[a-z]+)(?<port>:\\d+)?', overwrite: true }]);
    expect(replace(event()).labels).toEqual({ host: 'web-01.prod', dc: 'web' });
  });

  it('does nothing when the source label is missing or the regex does not match', () => {
    const f = enrich([
      { kind: 'extract', source: 'labels.nope', pattern: '(?<x>.+)' },
      { kind: 'extract', source: 'title', pattern: '^CPU (?<y>.+)' },
    ]);
    expect(f(event()).labels).toEqual({ host: 'web-01.prod', dc: 'fra' });
  });

  it('rejects a source outside title/description/labels, patterns without named groups and unsafe regexes', () => {
    const c = compileEnrichment([
      { kind: 'extract', source: 'severity', pattern: '(?<a>x)' },
      { kind: 'extract', source: 'title', pattern: '(x)' },
      { kind: 'extract', source: 'title', pattern: '(?<a>x)(?=y)' },
      { kind: 'extract', source: 'title', pattern: '(?<a>' },
    ]);
    expect(c).toEqual({
      ok: false,
      errors: [
        { field: 'enrichment[0].source', message: 'must be title, description or labels.<name>' },
        { field: 'enrichment[1].pattern', message: 'needs at least one named group such as (?<host>[^ ]+)' },
        { field: 'enrichment[2].pattern', message: expect.stringContaining('no look-around') },
        { field: 'enrichment[3].pattern', message: expect.stringContaining('invalid regular expression') },
      ],
    });
  });
});

describe('enrichment: compose, map, drop', () => {
  it('composes a label from a template over labels, each rule seeing the previous ones', () => {
    const f = enrich([
      { kind: 'extract', source: 'labels.host', pattern: '^(?<node>[^.]+)' },
      { kind: 'compose', label: 'service', template: '{{ labels.dc }}-{{ labels.node }}' },
      { kind: 'compose', label: 'empty', template: '{{ labels.nothing }}' },
      { kind: 'compose', label: '__proto__', template: 'x' },
    ]);
    const out = f(event());
    expect(out.labels).toEqual({ host: 'web-01.prod', dc: 'fra', node: 'web-01', service: 'fra-web-01', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(out.labels)).toBe(Object.prototype);
  });

  it('looks up result labels in a CSV table by one or more source labels', () => {
    const csv = 'dc,host,owner,team\r\nfra,web-01.prod,alice,"web, edge"\nfra,db-01.prod,bob,\n"ams",web-01.prod,carol,"said ""hi"""\n';
    const f = enrich([{ kind: 'map', source: ['host', 'dc'], csv }]);
    expect(f(event()).labels).toEqual({ host: 'web-01.prod', dc: 'fra', owner: 'alice', team: 'web, edge' });
    expect(f(event({ labels: { host: 'db-01.prod', dc: 'fra' } })).labels).toEqual({ host: 'db-01.prod', dc: 'fra', owner: 'bob' });
    expect(f(event({ labels: { host: 'web-01.prod', dc: 'ams' } })).labels).toEqual({ host: 'web-01.prod', dc: 'ams', owner: 'carol', team: 'said "hi"' });
    expect(f(event({ labels: { host: 'web-01.prod' } })).labels).toEqual({ host: 'web-01.prod' });
    expect(f(event({ labels: { host: 'web-02.prod', dc: 'fra' } })).labels).toEqual({ host: 'web-02.prod', dc: 'fra' });
  });

  it('explains a broken CSV table by line', () => {
    expect(parseMapTable(['host'], 'host,owner\na,1\n\nb,2,3\n', 'csv')).toEqual({
      ok: false,
      errors: [{ field: 'csv', message: 'line 4 has 3 columns, the header has 2' }],
    });
    expect(parseMapTable(['host'], 'host,owner\na,1\na,2\n', 'csv')).toEqual({
      ok: false,
      errors: [{ field: 'csv', message: 'line 3 repeats the key of line 2' }],
    });
    expect(parseMapTable(['host'], 'name,owner\n', 'csv')).toEqual({
      ok: false,
      errors: [{ field: 'csv', message: 'header lacks the source column(s) host' }],
    });
    expect(parseMapTable(['host'], 'host\na\n', 'csv')).toEqual({
      ok: false,
      errors: [{ field: 'csv', message: 'needs at least one result column besides the source columns' }],
    });
    expect(parseMapTable(['host'], 'host,"a\n', 'csv')).toEqual({ ok: false, errors: [{ field: 'csv', message: 'line 1: unterminated quoted field' }] });
    expect(parseMapTable(['host'], '', 'csv')).toEqual({ ok: false, errors: [{ field: 'csv', message: 'needs a header row naming the columns' }] });
  });

  it('parses RFC 4180 CSV with multi-line quoted cells', () => {
    expect(parseCsv('a,b\n"x\ny",z\r\n\nq,')).toEqual({
      rows: [
        ['a', 'b'],
        ['x\ny', 'z'],
        ['q', ''],
      ],
      lines: [1, 2, 5],
    });
  });

  it('drops labels by name, wildcard or regex', () => {
    const f = enrich([{ kind: 'drop', labels: ['dc', 'tmp_*', '/^__/'] }]);
    expect(f(event({ labels: { host: 'h', dc: 'fra', tmp_a: '1', tmp_b: '2', __meta: 'x', keep_tmp: 'y' } })).labels).toEqual({ host: 'h', keep_tmp: 'y' });
  });

  it('applies a rule only when its condition matches, integration included', () => {
    const f = enrich(
      [
        { kind: 'compose', label: 'tier', template: 'gold', if: [[{ key: 'integration', op: 'in', values: ['int-1'] }]] },
        { kind: 'compose', label: 'zone', template: 'eu', if: [[{ key: 'labels.dc', op: 'in', values: ['ams'] }]] },
      ],
      'int-1',
    );
    expect(f(event()).labels).toEqual({ host: 'web-01.prod', dc: 'fra', tier: 'gold' });
  });

  it('enriches recovery events too and leaves the input untouched', () => {
    const input = event({ status: 'Ok' });
    const out = enrich([{ kind: 'compose', label: 'x', template: 'y' }])(input);
    expect(out).toEqual({ ...input, labels: { host: 'web-01.prod', dc: 'fra', x: 'y' } });
    expect(input.labels).toEqual({ host: 'web-01.prod', dc: 'fra' });
  });

  it('reports every broken rule with its path', () => {
    const rules = [
      { kind: 'compose', label: '', template: '{{ nope }}' },
      { kind: 'map', source: [], csv: 'a,b' },
      { kind: 'drop', labels: ['/(/'] },
      { kind: 'rename' },
      { kind: 'compose', label: 'a', template: 'b', if: [[{ key: 'x', op: 'in', values: ['y'] }]] },
    ] as unknown as EnrichmentRule[];
    expect(compileEnrichment(rules, { field: 'label_enrichment' })).toEqual({
      ok: false,
      errors: [
        { field: 'label_enrichment[0].label', message: 'must be a label name of 1–128 characters' },
        { field: 'label_enrichment[0].template', message: 'unknown placeholder {{ nope }}: use title, description, severity or labels.<name>' },
        { field: 'label_enrichment[1].source', message: 'must list the label names to look up' },
        { field: 'label_enrichment[2].labels[0]', message: expect.stringContaining('invalid regular expression') },
        { field: 'label_enrichment[3].kind', message: 'must be extract, compose, map or drop' },
        { field: 'label_enrichment[4].if[0][0].key', message: 'must be severity, title, description, integration or labels.<name>' },
      ],
    });
    expect(compileEnrichment({} as unknown as EnrichmentRule[])).toEqual({ ok: false, errors: [{ field: 'enrichment', message: 'must be a list of rules' }] });
  });
});

describe('pipeline', () => {
  it('resets title, description and severity in order, each seeing the previous result', () => {
    const p = pipeline([
      { action: 'reset_title', title: '[{{ labels.dc }}] {{ title }}' },
      { action: 'reset_severity', severity: 'Critical', if: [[{ key: 'title', op: 'in', values: ['/^\\[fra\\]/'] }]] },
      { action: 'reset_description', description: '{{ severity }}: {{ description }}' },
    ]);
    expect(p(event())).toEqual(event({ title: '[fra] Disk full on web-01.prod', status: 'Critical', description: 'Critical: mount /var at 97%' }));
  });

  it('drops matching alerts and stops there', () => {
    const p = pipeline([
      { action: 'drop_alert', if: [[{ key: 'labels.dc', op: 'in', values: ['ams'] }]] },
      { action: 'reset_severity', severity: 'Info' },
      {
        action: 'drop_alert',
        if: [
          [
            { key: 'integration', op: 'in', values: ['int-9'] },
            { key: 'severity', op: 'in', values: ['Info'] },
          ],
        ],
      },
      { action: 'reset_title', title: 'never' },
    ]);
    expect(p(event({ labels: { dc: 'ams' } }))).toEqual({ dropped: true, rule: 0 });
    expect(p(event())).toEqual({ dropped: true, rule: 2 });
  });

  it('skips recoveries and acknowledge events entirely', () => {
    const p = pipeline([{ action: 'drop_alert' }]);
    const ok = event({ status: 'Ok' });
    const ack = event({ action: 'acknowledge' });
    expect(p(ok)).toBe(ok);
    expect(p(ack)).toBe(ack);
  });

  it('keeps the old title when a reset would empty it, and truncates to the limits', () => {
    const p = pipeline([{ action: 'reset_title', title: '{{ labels.none }}' }]);
    expect(p(event())).toEqual(event());
    const long = pipeline([
      { action: 'reset_title', title: '{{ description }}' },
      { action: 'reset_description', description: '{{ description }}{{ description }}' },
    ]);
    const out = long(event({ description: 'x'.repeat(1500) }));
    expect(out).toEqual(event({ title: 'x'.repeat(512), description: 'x'.repeat(2048) }));
  });

  it('reports broken actions', () => {
    const rules = [{ action: 'reset_severity', severity: 'Ok' }, { action: 'reset_title', title: '{{' }, { action: 'explode' }] as unknown as PipelineRule[];
    expect(compilePipeline(rules)).toEqual({
      ok: false,
      errors: [
        { field: 'pipeline[0].severity', message: 'must be Critical, Warning or Info' },
        { field: 'pipeline[1].title', message: 'unclosed {{ at character 1' },
        { field: 'pipeline[2].action', message: 'must be reset_title, reset_description, reset_severity or drop_alert' },
      ],
    });
  });
});
