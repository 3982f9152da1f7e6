import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentView, MessageDraft, NotificationMethod } from './provider.js';
import {
  TELEGRAM_LIMIT,
  TemplateError,
  defaultTemplates,
  isGsm7,
  parseTemplate,
  renderContent,
  renderMessage,
  renderTemplate,
  sampleIncident,
  smsSegments,
  truncate,
  validateTemplates,
  type TextLimit,
} from './templates.js';

const recipient = { kind: 'person', personId: 'p-1', name: 'Ada', address: 'ada@example.com' } as const;

function draft(method: NotificationMethod, incident: Partial<IncidentView> = {}, kind: 'trigger' | 'acknowledged' | 'test' | 'escalated' = 'trigger'): MessageDraft {
  return { id: 'm-1', idempotencyKey: 'k-1', method, recipient, kind, incident: { ...sampleIncident(), ...incident }, escalationLevel: 1 };
}

describe('renderTemplate', () => {
  const vars = { incident: { title: 'Disk <full> & "hot"', number: 7, labels: { host: 'db-1' }, list: [{ n: 'a' }, { n: 'b' }], empty: [], yes: true, no: false, zero: 0 } };

  it('substitutes dotted paths, numbers and booleans; missing values render empty', () => {
    expect(renderTemplate('#{{ incident.number }} {{incident.title}} on {{ incident.labels.host }}|{{ incident.nope }}|{{ nope.deeper }}|{{ incident.yes }}', vars)).toBe(
      '#7 Disk <full> & "hot" on db-1|||true',
    );
  });

  it('escapes HTML only when rendering HTML', () => {
    expect(renderTemplate('<b>{{ incident.title }}</b>', vars, 'html')).toBe('<b>Disk &lt;full&gt; &amp; &quot;hot&quot;</b>');
    expect(renderTemplate("{{ x }}", { x: "it's" }, 'html')).toBe('it&#39;s');
  });

  it('renders sections over lists, truthy values, and inverted sections for empty ones', () => {
    expect(renderTemplate('{{#incident.list}}[{{n}}]{{/incident.list}}', vars)).toBe('[a][b]');
    expect(renderTemplate('{{#incident.empty}}x{{/incident.empty}}{{^incident.empty}}none{{/incident.empty}}', vars)).toBe('none');
    expect(renderTemplate('{{#incident.yes}}Y{{/incident.yes}}{{#incident.no}}N{{/incident.no}}{{^incident.no}}n{{/incident.no}}', vars)).toBe('Yn');
    expect(renderTemplate('{{#incident.zero}}0 counts{{/incident.zero}}', vars)).toBe('0 counts');
    expect(renderTemplate('{{#incident.labels}}{{host}}/{{incident.number}}{{/incident.labels}}', vars)).toBe('db-1/7');
    expect(renderTemplate('{{#xs}}{{.}},{{/xs}}', { xs: ['a', 'b'] })).toBe('a,b,');
    expect(renderTemplate('a{{! a comment }}b', vars)).toBe('ab');
  });

  it('never reaches prototypes or runs code', () => {
    expect(renderTemplate('{{ incident.constructor }}|{{ __proto__ }}|{{ incident.title.length }}|{{ toString }}|{{#constructor}}x{{/constructor}}', vars)).toBe('||||');
    expect(renderTemplate('{{ x }}', { x: '{{ y }} ${process.exit(1)}', y: 'no' })).toBe('{{ y }} ${process.exit(1)}');
    expect(renderTemplate('{{ f }}', { f: () => 'called' })).toBe('');
  });

  it('reports syntax errors with their position', () => {
    const error = (source: string): string => {
      try {
        parseTemplate(source);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(error('x {{ title')).toBe('unclosed {{ at character 3');
    expect(error('{{#a}}x')).toBe('{{# a }} at character 1 is never closed');
    expect(error('{{#a}}x{{/b}}')).toBe('{{/ b }} at character 8 does not close {{# a }}');
    expect(error('x{{/a}}')).toBe('{{/ a }} closes nothing at character 2');
    expect(error('{{ a b }}')).toBe('invalid tag {{ a b }} at character 1');
    expect(error('{{}}')).toBe('invalid tag {{  }} at character 1');
    expect(error('{{#a}}'.repeat(9) + '{{/a}}'.repeat(9))).toBe('sections nested deeper than 8 at character 49');
    expect(error('x'.repeat(20_001))).toBe('must be at most 20000 characters');
  });
});

describe('length limits', () => {
  it('counts SMS segments in GSM-7 (extension characters take two septets) and UCS-2', () => {
    expect(isGsm7('Disk full @ db-1 {x}')).toBe(true);
    expect(isGsm7('磁盘已满')).toBe(false);
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('{'.repeat(80))).toBe(1);
    expect(smsSegments('{'.repeat(81))).toBe(2);
    expect(smsSegments('磁'.repeat(70))).toBe(1);
    expect(smsSegments('磁'.repeat(71))).toBe(2);
  });

  it('truncates GSM-7 SMS to 160 septets with "..." and UCS-2 SMS to 70 units with "…"', () => {
    const sms: TextLimit = { unit: 'sms_segments', max: 1 };
    const gsm = truncate('x'.repeat(200), sms);
    expect(gsm).toBe('x'.repeat(157) + '...');
    expect(isGsm7(gsm)).toBe(true);
    expect(truncate('磁'.repeat(100), sms)).toBe('磁'.repeat(69) + '…');
    expect(truncate('short', sms)).toBe('short');
  });

  it('never splits a surrogate pair or a UTF-8 sequence, and trims before the ellipsis', () => {
    expect(truncate('😀😀😀', { unit: 'chars', max: 4 })).toBe('😀…');
    expect(truncate('ab 😀', { unit: 'chars', max: 4 })).toBe('ab…');
    expect(truncate('磁盘已满', { unit: 'bytes', max: 8 })).toBe('磁…');
    expect(truncate('abc', { unit: 'chars', max: 3 })).toBe('abc');
  });

  it('always fits the limit and keeps a prefix (property)', () => {
    const limits: TextLimit[] = [{ unit: 'sms_segments', max: 1 }, { unit: 'chars', max: 50 }, { unit: 'bytes', max: 64 }];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...limits), (text, limit) => {
        const out = truncate(text, limit);
        const size = limit.unit === 'chars' ? out.length : limit.unit === 'bytes' ? Buffer.byteLength(out) : smsSegments(out);
        expect(size).toBeLessThanOrEqual(limit.max);
        if (out !== text) expect(text.startsWith(out.replace(/(\.\.\.|…)$/, '').trimEnd())).toBe(true);
      }),
    );
  });
});

describe('renderContent defaults', () => {
  it('SMS: one short GSM-7 segment, truncated with "..." when the title is long', () => {
    expect(renderContent(draft('sms')).content).toEqual({ text: '#42 Critical Triggered: Disk usage above 90% on db-1 (Databases)' });
    const long = renderContent(draft('sms', { title: 'Disk usage above 90% '.repeat(10) })).content.text;
    expect(smsSegments(long)).toBe(1);
    expect(long.startsWith('#42 Critical Triggered: Disk usage above 90% Disk')).toBe(true);
    expect(long.endsWith('...')).toBe(true);
    const chinese = renderContent(draft('sms', { title: '数据库磁盘使用率超过百分之九十'.repeat(5) })).content.text;
    expect(chinese.length).toBeLessThanOrEqual(70);
    expect(chinese.endsWith('…')).toBe(true);
  });

  it('voice and push are short', () => {
    expect(renderContent(draft('voice')).content.text).toBe('Tocsin alert. Critical incident 42, Triggered: Disk usage above 90% on db-1. Channel Databases.');
    expect(renderContent(draft('push')).content).toEqual({ subject: '#42 Disk usage above 90% on db-1', text: 'Critical · Triggered · Databases' });
  });

  it('email: stable subject (Re: after the first), HTML with severity colour, labels table, buttons, and a text part', () => {
    const { content, errors } = renderContent(draft('email'));
    expect(errors).toEqual([]);
    expect(content.subject).toBe('[Tocsin #42] Disk usage above 90% on db-1');
    expect(renderContent(draft('email', { status: 'Processing' }, 'acknowledged')).content.subject).toBe('Re: [Tocsin #42] Disk usage above 90% on db-1');
    expect(content.html).toContain('border-left:6px solid #d92d20;');
    expect(content.html).toContain('<th align="left" style="border:1px solid #eaecf0;background:#f9fafb;">host</th><td style="border:1px solid #eaecf0;">db-1</td>');
    expect(content.html).toContain('<a href="https://tocsin.example.com/a/sample-ack" ');
    expect(content.html).toContain('>Acknowledge</a>');
    expect(content.html).toContain('<a href="https://tocsin.example.com/a/sample-resolve" ');
    expect(content.text).toBe(
      [
        '[Critical] #42 Disk usage above 90% on db-1',
        '',
        'Status: Triggered',
        'Channel: Databases',
        'Alerts: 2',
        'Assigned to: Ada Lovelace',
        'Escalation level: 1',
        '',
        '/var/lib/postgresql is at 93% and growing 1%/hour.',
        '',
        'Labels:',
        '  env: prod',
        '  host: db-1',
        '  service: postgres',
        '',
        'Open: https://tocsin.example.com/incidents/42',
        'Acknowledge: https://tocsin.example.com/a/sample-ack',
        'Resolve: https://tocsin.example.com/a/sample-resolve',
      ].join('\n'),
    );
  });

  it('email: no buttons without links, other severities have their colour, values from alerts are escaped', () => {
    const html = renderContent(draft('email', { ackUrl: undefined, resolveUrl: undefined, severity: 'Info', labels: { x: '<script>alert(1)</script>' } })).content.html ?? '';
    expect(html).not.toContain('Acknowledge');
    expect(html).not.toContain('Resolve');
    expect(html).toContain('#1570ef');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('IM / webhook: markdown with links, kind shown when it differs from the status', () => {
    expect(renderContent(draft('im', { status: 'Processing' }, 'acknowledged')).content.text).toBe(
      [
        '**[Critical] #42 Disk usage above 90% on db-1**',
        'Acknowledged · Processing · Databases · 2 alert(s) · level 1',
        'Assigned to Ada Lovelace',
        '',
        '/var/lib/postgresql is at 93% and growing 1%/hour.',
        '',
        '`env=prod` `host=db-1` `service=postgres`',
        '',
        '[Open](https://tocsin.example.com/incidents/42) · [Acknowledge](https://tocsin.example.com/a/sample-ack) · [Resolve](https://tocsin.example.com/a/sample-resolve)',
      ].join('\n'),
    );
  });

  it('enforces the IM bot limit (4 KB) by default and a provider limit (Telegram 4096) when given', () => {
    const big = draft('im', { description: '磁'.repeat(3000) });
    const text = renderContent(big).content.text;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4000);
    expect(text.endsWith('…')).toBe(true);
    const telegram = renderContent(draft('im', { description: 'x'.repeat(5000) }), { textLimit: TELEGRAM_LIMIT }).content.text;
    expect(telegram.length).toBe(4096);
  });

  it('test messages say so', () => {
    expect(renderContent(draft('sms', {}, 'test')).content.text).toBe('[Test] #42 Critical Test: Disk usage above 90% on db-1 (Databases)');
    expect(renderContent(draft('email', {}, 'test')).content.subject).toBe('[Test] [Tocsin #42] Disk usage above 90% on db-1');
  });

  it('bundles list every incident; verification codes have their own text', () => {
    const bundle: MessageDraft = { id: 'm-2', idempotencyKey: 'k-2', method: 'sms', recipient, kind: 'bundle', bundle: [sampleIncident(), { ...sampleIncident(), number: 43, title: 'API 5xx' }] };
    expect(renderContent(bundle).content.text).toBe('2 incidents: #42 Disk usage above 90% on db-1; #43 API 5xx');
    expect(renderContent({ ...bundle, method: 'email' }).content.subject).toBe('[Tocsin] 2 incidents');
    const verification: MessageDraft = { id: 'm-3', idempotencyKey: 'k-3', method: 'sms', recipient, kind: 'verification', code: '482913' };
    expect(renderContent(verification).content.text).toBe('Your Tocsin verification code is 482913. It expires in 10 minutes.');
    expect(renderContent({ ...verification, method: 'email' }).content.subject).toBe('Your Tocsin verification code: 482913');
  });
});

describe('overrides', () => {
  it('uses a channel override, escaping HTML values', () => {
    const { content, errors } = renderContent(draft('email', { title: 'a<b' }), { overrides: { subject: 'PAGE {{ incident.labels.host }}: {{ incident.title }}', html: '<p>{{ incident.title }}</p>' } });
    expect(errors).toEqual([]);
    expect(content.subject).toBe('PAGE db-1: a<b');
    expect(content.html).toBe('<p>a&lt;b</p>');
    expect(content.text).toContain('[Critical] #42 a<b');
  });

  it('falls back to the default part when an override does not parse, and says so', () => {
    const { content, errors } = renderContent(draft('sms'), { overrides: { text: '{{#incident.title}} never closed' } });
    expect(content.text).toBe('#42 Critical Triggered: Disk usage above 90% on db-1 (Databases)');
    expect(errors).toEqual([{ field: 'templates.sms.text', message: '{{# incident.title }} at character 1 is never closed; the default was used' }]);
  });

  it('does not apply channel overrides to bundles or verification codes', () => {
    const verification: MessageDraft = { id: 'm-3', idempotencyKey: 'k-3', method: 'sms', recipient, kind: 'verification', code: '1' };
    expect(renderContent(verification, { overrides: { text: 'hi' } }).content.text).toBe('Your Tocsin verification code is 1. It expires in 10 minutes.');
  });

  it('renderMessage attaches the content to the draft', () => {
    const { message } = renderMessage(draft('sms'));
    expect(message.content.text).toBe('#42 Critical Triggered: Disk usage above 90% on db-1 (Databases)');
    expect(message.id).toBe('m-1');
  });

  it('validates overrides on save: syntax, parts of the method, top-level variable names', () => {
    expect(validateTemplates('email', { subject: '{{ incident.title }}', text: '{{#incident.labelList}}{{name}}{{/incident.labelList}}' })).toEqual([]);
    expect(validateTemplates('sms', { html: '<p/>', text: '{{ incidnet.title }} {{#x}}', subjekt: 'x' }, 'channel.templates.sms')).toEqual([
      { field: 'channel.templates.sms.html', message: 'sms messages have no html' },
      { field: 'channel.templates.sms.text', message: '{{# x }} at character 22 is never closed' },
      { field: 'channel.templates.sms.subjekt', message: 'is not a template part (subject, text, html)' },
    ]);
    expect(validateTemplates('sms', { text: '{{ incidnet.title }}' })).toEqual([
      { field: 'templates.text', message: 'unknown variable incidnet.title: use kind, kindLabel, kindNote, isReply, isTest, recipient, incident, escalationLevel' },
    ]);
    expect(validateTemplates('sms', { text: 3 })).toEqual([{ field: 'templates.text', message: 'must be a string' }]);
  });

  it('every default template parses and validates', () => {
    for (const method of ['sms', 'voice', 'push', 'email', 'im', 'webhook'] as const) {
      expect(validateTemplates(method, { ...defaultTemplates(method) })).toEqual([]);
    }
  });
});

describe('hostile templates and alert text (issue 10 items 17, 24)', () => {
  it('stops nested sections over label lists that emit nothing, instead of looping n⁸ times', () => {
    const labels = Array.from({ length: 50 }, (_, i) => ({ name: `l${i}` }));
    const nestedEmpty = `${'{{#xs}}'.repeat(8)}${'{{/xs}}'.repeat(8)}`;
    const started = performance.now();
    expect(() => renderTemplate(nestedEmpty, { xs: labels })).toThrow('more than 50000 steps');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a channel override that loops falls back to the default template', () => {
    const labels = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`l${i}`, 'v']));
    const loop = `${'{{#incident.labelList}}'.repeat(6)}${'{{/incident.labelList}}'.repeat(6)}`;
    const result = renderContent(draft('webhook', { labels }), { overrides: { text: loop } });
    expect(result.errors[0]?.message).toContain('steps');
    expect(result.content.text).toContain('Disk usage above 90%');
  });

  it('neutralizes link and image syntax of alert-derived text in chat messages, not in email or SMS', () => {
    const title = 'Disk [Reset password](https://evil.example) ![](https://track.example/p.png) <https://evil.example|click>';
    const chat = renderContent(draft('webhook', { title })).content.text;
    expect(chat).toContain('［Reset password］(https://evil.example)');
    expect(chat).not.toMatch(/\[Reset password\]|!\[\]|<https/);
    const im = renderContent(draft('im', { title })).content.text;
    expect(im).not.toContain('[Reset password]');
    expect(renderContent(draft('sms', { title })).content.text).toContain('[Reset password]');
  });
});
