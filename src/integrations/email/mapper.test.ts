import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { BODY_MAX, createEmailMapper, htmlToText, validateEmailOptions, type InboundEmail } from './mapper.js';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
const ADDRESS = 'alert-0123456789abcdef@alerts.example.com';
const RULES = { mode: 'rules', trigger_subject: '^\\[PROBLEM\\]', recover_subject: '^\\[RECOVERY\\]', alert_key: '^\\[(?:PROBLEM|RECOVERY)\\] (.+)$' };

function email(overrides: Partial<InboundEmail> = {}): InboundEmail {
  return {
    subject: 'Disk full on db-1',
    text: 'Disk /var is 97% full.\n',
    from: 'Nagios@Example.com',
    to: [ADDRESS],
    messageId: '<abc.123@monitor.example.com>',
    date: Date.UTC(2026, 2, 2, 8, 59, 0),
    headers: {},
    ...overrides,
  };
}

function map(options: Record<string, unknown>, mail: InboundEmail = email()): NormalizedEvent[] {
  return createEmailMapper(options)(mail, { address: ADDRESS, now: NOW });
}

function errorOf(options: Record<string, unknown>, mail: InboundEmail): string {
  try {
    map(options, mail);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('email mapper, per_email mode (default)', () => {
  it('makes one Warning trigger: subject as title, body as description, from/to/message_id labels', () => {
    const [event, ...rest] = map({});
    expect(rest).toEqual([]);
    expect(event).toEqual({
      title: 'Disk full on db-1',
      description: 'Disk /var is 97% full.',
      status: 'Warning',
      action: 'trigger',
      alertKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      labels: { from: 'nagios@example.com', to: ADDRESS, message_id: '<abc.123@monitor.example.com>' },
      eventTime: Date.UTC(2026, 2, 2, 8, 59, 0),
    });
  });

  it('keys by Message-ID, so a re-delivery dedups and another email opens another alert', () => {
    const first = map({})[0]?.alertKey;
    expect(map({}, email({ subject: 'changed in transit', date: NOW }))[0]?.alertKey).toBe(first);
    expect(map({}, email({ messageId: '<other@monitor.example.com>' }))[0]?.alertKey).not.toBe(first);
  });

  it('keys an email without Message-ID by its content, and leaves the message_id label out', () => {
    const bare = email({ messageId: undefined });
    const [event] = map({}, bare);
    expect(event?.labels).not.toHaveProperty('message_id');
    expect(map({}, bare)[0]?.alertKey).toBe(event?.alertKey);
    expect(map({}, { ...bare, text: 'other body' })[0]?.alertKey).not.toBe(event?.alertKey);
  });

  it('applies the severity option', () => {
    expect(map({ severity: 'Critical' })[0]?.status).toBe('Critical');
  });

  it('cuts bodies over 32 KB and labels them body_cut=true', () => {
    const [event] = map({}, email({ text: 'x'.repeat(BODY_MAX + 1024) }));
    expect(event?.description).toHaveLength(BODY_MAX);
    expect(event?.labels.body_cut).toBe('true');
    expect(map({}, email({ text: 'x'.repeat(BODY_MAX) }))[0]?.labels).not.toHaveProperty('body_cut');
  });

  it('falls back to the text of the HTML part when there is no text part', () => {
    const [event] = map({}, email({ text: '', html: '<html><head><title>t</title><style>p{}</style></head><body><p>Disk &amp; inode <b>full</b></p><p>host:&nbsp;db-1</p></body></html>' }));
    expect(event?.description).toBe('Disk & inode full\n\nhost: db-1');
  });

  it('cuts the title at 512 characters, collapses header folding, and names an empty subject', () => {
    expect(map({}, email({ subject: 'y'.repeat(600) }))[0]?.title).toHaveLength(512);
    expect(map({}, email({ subject: 'Disk full\r\n  on db-1' }))[0]?.title).toBe('Disk full on db-1');
    expect(map({}, email({ subject: '  ' }))[0]?.title).toBe('(no subject)');
  });

  it('uses now when the Date header is missing', () => {
    expect(map({}, email({ date: undefined }))[0]?.eventTime).toBe(NOW);
  });
});

describe('email mapper, rules mode', () => {
  it('triggers on trigger_subject and recovers the same key on recover_subject', () => {
    const [problem] = map(RULES, email({ subject: '[PROBLEM] disk full on db-1' }));
    const [recovery] = map(RULES, email({ subject: '[RECOVERY] disk full on db-1', messageId: '<r@x>' }));
    expect(problem).toMatchObject({ status: 'Warning', action: 'trigger', alertKey: 'disk full on db-1', title: '[PROBLEM] disk full on db-1' });
    expect(recovery).toMatchObject({ status: 'Ok', action: 'resolve', alertKey: 'disk full on db-1' });
  });

  it('prefers a named group key over the first group', () => {
    const options = { ...RULES, alert_key: '^\\[(PROBLEM|RECOVERY)\\] (?<key>\\S+)' };
    expect(map(options, email({ subject: '[PROBLEM] db-1 is down' }))[0]?.alertKey).toBe('db-1');
  });

  it('accepts (?i) for case-insensitive patterns', () => {
    const options = { ...RULES, trigger_subject: '(?i)^\\[problem\\]', alert_key: '(?i)^\\[problem\\] (.+)$' };
    expect(map(options, email({ subject: '[Problem] x' }))[0]?.alertKey).toBe('x');
  });

  it('ignores an email matching neither pattern, unless unmatched is trigger', () => {
    const chatter = email({ subject: 'Weekly report' });
    expect(map(RULES, chatter)).toEqual([]);
    const [event] = map({ ...RULES, unmatched: 'trigger', severity: 'Info' }, chatter);
    // No key in the subject: keyed per email, like per_email mode.
    expect(event).toMatchObject({ action: 'trigger', status: 'Info', alertKey: map({}, chatter)[0]?.alertKey });
  });

  it('triggers every unmatched email with unmatched: trigger and no trigger_subject', () => {
    const options = { mode: 'rules', recover_subject: '^RESOLVED: ', alert_key: '^(?:RESOLVED: )?(.+)$', unmatched: 'trigger' };
    expect(map(options, email({ subject: 'db-1 down' }))[0]).toMatchObject({ action: 'trigger', alertKey: 'db-1 down' });
    expect(map(options, email({ subject: 'RESOLVED: db-1 down' }))[0]).toMatchObject({ action: 'resolve', alertKey: 'db-1 down' });
  });

  it('refuses a matched email from which alert_key captures nothing, naming the subject', () => {
    const options = { ...RULES, alert_key: '^\\[PROBLEM\\] host=(\\S+)' };
    expect(errorOf(options, email({ subject: '[RECOVERY] disk full' }))).toMatch(/^subject: matched recover_subject but the alert_key pattern .* captured no key from "\[RECOVERY\] disk full"$/);
  });
});

describe('validateEmailOptions', () => {
  it('accepts the defaults and a complete rules configuration', () => {
    expect(validateEmailOptions({})).toEqual([]);
    expect(validateEmailOptions({ mode: 'per_email', severity: 'Critical' })).toEqual([]);
    expect(validateEmailOptions({ ...RULES, severity: 'Info', unmatched: 'trigger' })).toEqual([]);
  });

  it('names every broken field', () => {
    expect(validateEmailOptions({ mode: 'batch', severity: 'high', colour: 'red' })).toEqual([
      { field: 'settings.source_options.colour', message: expect.stringContaining('is not an option of email integrations') },
      { field: 'settings.source_options.mode', message: 'must be per_email or rules' },
      { field: 'settings.source_options.severity', message: 'must be Critical, Warning or Info' },
    ]);
    expect(validateEmailOptions({ mode: 'rules', trigger_subject: '(unclosed', recover_subject: 42, unmatched: 'drop' })).toEqual([
      { field: 'settings.source_options.unmatched', message: 'must be ignore or trigger' },
      { field: 'settings.source_options.trigger_subject', message: expect.stringContaining('invalid regular expression') },
      { field: 'settings.source_options.recover_subject', message: 'must be a regular expression (a string)' },
      { field: 'settings.source_options.alert_key', message: expect.stringContaining('is required in rules mode') },
    ]);
  });

  it('requires a capture group in alert_key and refuses look-around', () => {
    expect(validateEmailOptions({ ...RULES, alert_key: '^\\[PROBLEM\\] .+$' })).toEqual([{ field: 'settings.source_options.alert_key', message: expect.stringContaining('needs one capture group') }]);
    expect(validateEmailOptions({ ...RULES, trigger_subject: '(?<!x)a$' })[0]).toMatchObject({ field: 'settings.source_options.trigger_subject', message: expect.stringContaining('no look-around') });
  });

  it('requires trigger_subject in rules mode unless unmatched triggers, and refuses rules options in per_email mode', () => {
    expect(validateEmailOptions({ mode: 'rules', alert_key: '(.+)' })).toEqual([{ field: 'settings.source_options.trigger_subject', message: expect.stringContaining('unless unmatched is trigger') }]);
    expect(validateEmailOptions({ trigger_subject: 'x' })).toEqual([{ field: 'settings.source_options.trigger_subject', message: 'applies only when mode is rules' }]);
  });
});

describe('htmlToText', () => {
  it('keeps line structure and table cells, decodes entities', () => {
    expect(htmlToText('a<br>b<table><tr><td>x</td><td>y</td></tr></table>&lt;&#65;&#x42;&gt; &bogus;')).toBe('a\nb\n\nx\ty\n\n<AB> &bogus;');
  });

  it('drops comments and unclosed scripts, keeps a stray <', () => {
    expect(htmlToText('before<!-- hidden -->after<script>alert(1)')).toBe('beforeafter');
    expect(htmlToText('load < 5 and ok')).toBe('load < 5 and ok');
  });

  it('stays linear on hostile input', () => {
    const started = performance.now();
    htmlToText(`${'<a'.repeat(200_000)}${'<script>'.repeat(100_000)}${'<!--'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
