import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCANNED_TEXT } from './regex.js';
import {
  compileFilter,
  exactValue,
  globMatch,
  inNetwork,
  parseCidr,
  parseIp,
  validateFilter,
  type Filter,
  type FilterCondition,
  type FilterMatcher,
  type FilterSubject,
} from './filter.js';

const RUNS = { numRuns: 300 };

const subject = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  severity: 'Critical',
  title: 'CPU high on web-01',
  description: 'load 12.5 for 5m',
  integration: 'int-1',
  labels: { host: 'web-01', ip: '10.0.0.7', cpu: '93.5', env: 'prod' },
  ...over,
});

function matcher(filter: Filter): FilterMatcher {
  const compiled = compileFilter(filter);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.value;
}

const one = (key: string, values: string[], op: 'in' | 'not_in' = 'in'): FilterMatcher => matcher([[{ key, op, values }]]);

describe('compileFilter: value forms', () => {
  it('an empty filter matches everything', () => {
    expect(matcher([])(subject())).toBe(true);
    expect(matcher([])(subject({ labels: {} }))).toBe(true);
  });

  it('matches exact values case-sensitively on every key', () => {
    expect(one('severity', ['Critical'])(subject())).toBe(true);
    expect(one('severity', ['critical'])(subject())).toBe(false);
    expect(one('title', ['CPU high on web-01'])(subject())).toBe(true);
    expect(one('title', ['CPU high'])(subject())).toBe(false);
    expect(one('description', ['load 12.5 for 5m'])(subject())).toBe(true);
    expect(one('integration', ['int-2', 'int-1'])(subject())).toBe(true);
    expect(one('labels.env', ['prod'])(subject())).toBe(true);
    expect(one('labels.env', ['staging'])(subject())).toBe(false);
  });

  it('matches /re/ unanchored, /re/i case-insensitively and accepts a leading (?i)', () => {
    expect(one('title', ['/high/'])(subject())).toBe(true);
    expect(one('title', ['/^high/'])(subject())).toBe(false);
    expect(one('title', ['/^cpu/'])(subject())).toBe(false);
    expect(one('title', ['/^cpu/i'])(subject())).toBe(true);
    expect(one('title', ['/(?i)^cpu/'])(subject())).toBe(true);
    expect(one('labels.host', ['/^web-\\d+$/'])(subject())).toBe(true);
    expect(one('labels.host', ['/^db-\\d+$/'])(subject())).toBe(false);
  });

  it('matches * and ? wildcards against the whole value', () => {
    expect(one('labels.host', ['web-*'])(subject())).toBe(true);
    expect(one('labels.host', ['web-0?'])(subject())).toBe(true);
    expect(one('labels.host', ['web-?'])(subject())).toBe(false);
    expect(one('labels.host', ['eb-*'])(subject())).toBe(false);
    expect(one('title', ['*web*'])(subject())).toBe(true);
    expect(one('title', ['Is it down?'])(subject({ title: 'Is it down?' }))).toBe(true);
    expect(one('title', ['a?c'])(subject({ title: 'a😀c' }))).toBe(true);
  });

  it('matches cidr:IPv4 and IPv6 networks, ignoring ports and IPv4-mapped prefixes', () => {
    const v4 = (ip: string): boolean => one('labels.ip', ['cidr:10.0.0.0/24'])(subject({ labels: { ip } }));
    expect(v4('10.0.0.7')).toBe(true);
    expect(v4('10.0.0.255')).toBe(true);
    expect(v4('10.0.1.0')).toBe(false);
    expect(v4('10.0.0.7:9100')).toBe(true);
    expect(v4('::ffff:10.0.0.9')).toBe(true);
    expect(v4('web-01')).toBe(false);
    expect(v4('010.0.0.7')).toBe(false);
    expect(['10.0.0', '10.0.0.7.1', '10..0.7', '10.0.0.256', '10.0.0.7.', '', '10.0.0.7:x'].map(v4)).toEqual([false, false, false, false, false, false, false]);
    expect(v4(' 10.0.0.7 ')).toBe(true);
    expect(one('labels.ip', ['cidr:0.0.0.0/0'])(subject({ labels: { ip: '255.255.255.255' } }))).toBe(true);
    expect(one('labels.ip', ['cidr:::/0'])(subject({ labels: { ip: '255.255.255.255' } }))).toBe(false);
    const v6 = (ip: string): boolean => one('labels.ip', ['cidr:2001:db8::/32'])(subject({ labels: { ip } }));
    expect(v6('2001:db8:1::5')).toBe(true);
    expect(v6('[2001:db8::1]:443')).toBe(true);
    expect(v6('2001:db9::1')).toBe(false);
    expect(v6('10.0.0.7')).toBe(false);
    expect(one('labels.ip', ['cidr:10.0.0.5/24'])(subject())).toBe(true);
    expect(one('labels.ip', ['cidr:10.0.0.7'])(subject())).toBe(true);
    expect(one('labels.ip', ['cidr:10.0.0.8'])(subject())).toBe(false);
  });

  it('compares num:gt|ge|lt|le numerically and never matches non-numbers', () => {
    expect(one('labels.cpu', ['num:gt:90'])(subject())).toBe(true);
    expect(one('labels.cpu', ['num:gt:93.5'])(subject())).toBe(false);
    expect(one('labels.cpu', ['num:ge:93.5'])(subject())).toBe(true);
    expect(one('labels.cpu', ['num:lt:93.5'])(subject())).toBe(false);
    expect(one('labels.cpu', ['num:le:93.5'])(subject())).toBe(true);
    expect(one('labels.cpu', ['num:lt:1e3'])(subject())).toBe(true);
    expect(one('labels.host', ['num:lt:1e9'])(subject())).toBe(false);
    expect(one('labels.cpu', ['num:lt:100'])(subject({ labels: { cpu: '' } }))).toBe(false);
  });

  it('treats a missing label as in no set: in is false, not_in is true, in [*] tests existence', () => {
    expect(one('labels.team', ['x'])(subject())).toBe(false);
    expect(one('labels.team', ['x'], 'not_in')(subject())).toBe(true);
    expect(one('labels.team', ['*'])(subject())).toBe(false);
    expect(one('labels.team', ['*'], 'not_in')(subject())).toBe(true);
    expect(one('labels.host', ['*'])(subject())).toBe(true);
    expect(one('labels.constructor', ['*'])(subject())).toBe(false);
    expect(one('labels.env', [''])(subject({ labels: { env: '' } }))).toBe(true);
  });

  it('ORs groups and ANDs conditions within a group', () => {
    const prodCritical: FilterCondition[] = [
      { key: 'labels.env', op: 'in', values: ['prod'] },
      { key: 'severity', op: 'in', values: ['Critical'] },
    ];
    const dbHost: FilterCondition[] = [{ key: 'labels.host', op: 'in', values: ['db-*'] }];
    const f = matcher([prodCritical, dbHost]);
    expect(f(subject())).toBe(true);
    expect(f(subject({ severity: 'Warning' }))).toBe(false);
    expect(f(subject({ severity: 'Warning', labels: { host: 'db-2', env: 'prod' } }))).toBe(true);
    expect(f(subject({ labels: { host: 'web-1', env: 'dev' } }))).toBe(false);
  });
});

describe('compileFilter: validation', () => {
  it('names the exact value at fault', () => {
    const errors = validateFilter([
      [
        { key: 'title', op: 'in', values: ['ok'] },
        { key: 'labels.host', op: 'in', values: ['a', 'b', '/a(/'] },
      ],
    ]);
    expect(errors).toEqual([{ field: 'filter[0][1].values[2]', message: expect.stringContaining('invalid regular expression') }]);
  });

  it('returns every broken rule at once, under the given field prefix', () => {
    const bad = [
      [{ key: 'host', op: 'equals', values: [] }],
      [],
      [{ key: 'labels.', op: 'in', values: ['cidr:10.0.0.0/33', 'num:between:1', '/(a)\\1/', '//', 7] }],
    ] as unknown as Filter;
    expect(validateFilter(bad, 'rules[3].if')).toEqual([
      { field: 'rules[3].if[0][0].key', message: 'must be severity, title, description, integration or labels.<name>' },
      { field: 'rules[3].if[0][0].op', message: 'must be in or not_in' },
      { field: 'rules[3].if[0][0].values', message: 'must be a list of 1–500 strings' },
      { field: 'rules[3].if[1]', message: 'must be a non-empty list of conditions' },
      { field: 'rules[3].if[2][0].key', message: 'label name must be 1–128 characters' },
      { field: 'rules[3].if[2][0].values[0]', message: 'invalid cidr, expected e.g. cidr:10.0.0.0/24 or cidr:2001:db8::/32' },
      { field: 'rules[3].if[2][0].values[1]', message: 'invalid number condition, expected num:gt|ge|lt|le:<number>' },
      { field: 'rules[3].if[2][0].values[2]', message: expect.stringContaining('invalid regular expression') },
      { field: 'rules[3].if[2][0].values[4]', message: 'must be a string' },
    ]);
  });

  it('treats // as an exact value, not an empty regex', () => {
    expect(one('title', ['//'])(subject({ title: '//' }))).toBe(true);
    expect(validateFilter([[{ key: 'title', op: 'in', values: ['/(?i)/'] }]])).toEqual([
      { field: 'filter[0][0].values[0]', message: 'empty regular expression' },
    ]);
  });

  it('limits regex length and the shape of the filter', () => {
    expect(validateFilter([[{ key: 'title', op: 'in', values: [`/${'a'.repeat(513)}/`] }]])).toEqual([
      { field: 'filter[0][0].values[0]', message: 'regular expression must be at most 512 characters' },
    ]);
    expect(validateFilter({} as unknown as Filter)).toEqual([{ field: 'filter', message: 'must be a list of condition groups' }]);
    const many = Array.from({ length: 21 }, () => [{ key: 'title', op: 'in' as const, values: ['x'] }]);
    expect(validateFilter(many)).toEqual([{ field: 'filter', message: 'at most 20 condition groups' }]);
  });
});

describe('regex values run in linear time', () => {
  // Each of these took the backtracking engine seconds to minutes on a 50-character subject.
  it.each(['(a|a)+$', 'a*a*a*a*a*a*b', '(?<h>.*.*.*.*)z', '(a+)+$', '(\\w*\\s?)*!', '(x+x+)+y'])('%s', (pattern) => {
    const matcher = one('title', [`/${pattern}/`]);
    const started = performance.now();
    const matched = matcher(subject({ title: `${'a'.repeat(5000)}x${' '.repeat(3000)}` }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(typeof matched).toBe('boolean');
  });

  it('refuses look-around and back-references with a reason', () => {
    expect(validateFilter([[{ key: 'title', op: 'in', values: ['/a(?=b)/', '/(a)\\1/'] }]])).toEqual([
      { field: 'filter[0][0].values[0]', message: expect.stringContaining('no look-around or back-references') },
      { field: 'filter[0][0].values[1]', message: expect.stringContaining('no look-around or back-references') },
    ]);
  });

  it('scans at most MAX_SCANNED_TEXT characters of the subject', () => {
    const tail = one('title', ['/needle/']);
    expect(tail(subject({ title: `${'x'.repeat(MAX_SCANNED_TEXT - 6)}needle` }))).toBe(true);
    expect(tail(subject({ title: `${'x'.repeat(MAX_SCANNED_TEXT)}needle` }))).toBe(false);
  });
});

describe('exactValue', () => {
  it('leaves plain values alone and escapes special forms into an anchored regex', () => {
    expect(exactValue('web-01')).toBe('web-01');
    expect(exactValue('/data/')).toBe('/^\\/data\\/$/');
    expect(exactValue('a*b')).toBe('/^a\\*b$/');
    expect(one('labels.m', [exactValue('/data/')])(subject({ labels: { m: '/data/' } }))).toBe(true);
    expect(one('labels.m', [exactValue('/data/')])(subject({ labels: { m: '/data/x/' } }))).toBe(false);
    expect(one('labels.m', [exactValue('cidr:1.2.3.4')])(subject({ labels: { m: 'cidr:1.2.3.4' } }))).toBe(true);
  });
});

// ---- properties -------------------------------------------------------------------------------

const keyArb = fc.constantFrom('severity', 'title', 'description', 'integration', 'labels.a', 'labels.b', 'labels.missing');
const small = fc.string({ unit: fc.constantFrom('a', 'b', '1', '.', '-', ' '), maxLength: 5 });
const valueArb = fc.oneof(
  small,
  fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), minLength: 1, maxLength: 4 }),
  fc.constantFrom('/a/', '/^b/i', '/\\d+/', 'cidr:10.0.0.0/8', 'cidr:::/0', 'num:gt:1', 'num:le:0.5', 'Critical', '*'),
);
const conditionArb: fc.Arbitrary<FilterCondition> = fc.record({
  key: keyArb,
  op: fc.constantFrom('in' as const, 'not_in' as const),
  values: fc.array(valueArb, { minLength: 1, maxLength: 3 }),
});
const subjectArb: fc.Arbitrary<FilterSubject> = fc.record({
  severity: fc.constantFrom('Critical', 'Warning', 'Info'),
  title: small,
  description: small,
  integration: small,
  labels: fc.record({ a: small, b: fc.constantFrom('10.1.2.3', '2', '0.5', 'ab') }, { requiredKeys: [] }),
});

describe('filter properties', () => {
  it('in and not_in are complements', () => {
    fc.assert(
      fc.property(conditionArb, subjectArb, (c, s) => {
        const a = matcher([[{ ...c, op: 'in' }]])(s);
        const b = matcher([[{ ...c, op: 'not_in' }]])(s);
        expect(a).toBe(!b);
      }),
      RUNS,
    );
  });

  it('groups are ORed, conditions ANDed, and order does not matter', () => {
    fc.assert(
      fc.property(conditionArb, conditionArb, conditionArb, subjectArb, (x, y, z, s) => {
        const [mx, my, mz] = [x, y, z].map((c) => matcher([[c]])(s));
        expect(matcher([[x, y]])(s)).toBe(mx && my);
        expect(matcher([[y, x]])(s)).toBe(mx && my);
        expect(matcher([[x], [y]])(s)).toBe(mx || my);
        expect(matcher([[x, y], [z]])(s)).toBe((mx && my) || mz);
        expect(matcher([[z], [x, y]])(s)).toBe((mx && my) || mz);
      }),
      RUNS,
    );
  });

  it('the wildcard * matches every present value', () => {
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(one('labels.x', ['*'])(subject({ labels: { x: v } }))).toBe(true);
      }),
      RUNS,
    );
  });

  it('a value with no regex/cidr/num form matches itself, and exactValue matches only itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (v, w) => {
        const plainForm = !/^\/.+\/i?$/s.test(v) && !v.startsWith('cidr:') && !v.startsWith('num:');
        if (plainForm) expect(one('labels.x', [v])(subject({ labels: { x: v } }))).toBe(true);
        const exact = one('labels.x', [exactValue(v)]);
        expect(exact(subject({ labels: { x: v } }))).toBe(true);
        expect(exact(subject({ labels: { x: w } }))).toBe(v === w);
      }),
      RUNS,
    );
  });

  it('wildcards agree with a regex reference', () => {
    const unit = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 6 }), fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '😀'), maxLength: 8 }), (p, t) => {
        const reference = new RegExp(`^${[...p].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch)).join('')}$`, 'su');
        expect(globMatch(p, t)).toBe(reference.test(t));
      }),
      RUNS,
    );
  });

  const v4 = fc.ipV4();
  const v6 = fc.ipV6();
  it('IPv4 cidr containment agrees with node:net BlockList', () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, (net, prefix, ip) => {
        const network = parseCidr(`${net}/${prefix}`);
        if (!network) throw new Error('unparsed');
        const block = new BlockList();
        const masked = parseCidr(`${net}/${prefix}`);
        block.addSubnet(formatV4(masked?.value ?? 0n), prefix, 'ipv4');
        expect(inNetwork(network, ip)).toBe(block.check(ip, 'ipv4'));
        expect(inNetwork(network, net)).toBe(true);
      }),
      RUNS,
    );
  });

  it('IPv6 cidr containment agrees with node:net BlockList', () => {
    fc.assert(
      fc.property(v6, fc.integer({ min: 0, max: 128 }), v6, (net, prefix, ip) => {
        const netAddr = parseIp(net);
        const ipAddr = parseIp(ip);
        // IPv4-mapped addresses are deliberately IPv4 for us; the reference treats them as IPv6.
        fc.pre(netAddr !== undefined && !netAddr.v4 && ipAddr !== undefined && !ipAddr.v4);
        const network = parseCidr(`${net}/${prefix}`);
        if (!network) throw new Error('unparsed');
        const block = new BlockList();
        block.addSubnet(net, prefix, 'ipv6');
        expect(inNetwork(network, ip)).toBe(block.check(ip, 'ipv6'));
        expect(inNetwork(network, net)).toBe(true);
      }),
      RUNS,
    );
  });

  it('parses every generated IPv6 address', () => {
    fc.assert(
      fc.property(v6, (ip) => {
        expect(parseIp(ip)).toBeDefined();
      }),
      RUNS,
    );
  });
});

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
}
