import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, icalFeed, shiftUid, type IcalShift } from './ical.js';
import { at } from './test-helpers.js';

// Calendar apps read X-WR-CALNAME as TEXT; tell ical.js so it unescapes it like SUMMARY.
const properties = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
properties['x-wr-calname'] = { defaultType: 'text' };

interface ParsedEvent {
  uid: string;
  start: number;
  end: number;
  summary: string;
  description: string | null;
}

/** Parses with ical.js (a real RFC 5545 parser) and returns the calendar and its events. */
function parse(text: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((c) => {
    const event = new ICAL.Event(c);
    const description = c.getFirstPropertyValue('description');
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().getTime(),
      end: event.endDate.toJSDate().getTime(),
      summary: event.summary,
      description: typeof description === 'string' ? description : null,
    };
  });
  return { calendar, events };
}

/** RFC 5545 framing: CRLF only, every physical line ≤ 75 octets, continuation lines start with a space. */
function expectFraming(text: string): void {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.slice(0, -2).split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
}

const shift = (start: string, end: string, extra: Partial<IcalShift> = {}): IcalShift => ({
  scheduleId: 'sched-1',
  scheduleName: 'Payments',
  role: 'primary',
  start: at(start),
  end: at(end),
  ...extra,
});

describe('icalFeed', () => {
  const now = at('2026-03-01T12:00:00Z');

  it('writes the calendar header and one event per shift, in UTC', () => {
    const text = icalFeed({
      name: 'Payments on call',
      now,
      url: 'https://tocsin.example/ical/s/abc',
      shifts: [shift('2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z')],
    });
    expect(text.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Tocsin//On-call schedules//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Payments on call',
      'NAME:Payments on call',
      'X-PUBLISHED-TTL:PT1H',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
      'URL;VALUE=URI:https://tocsin.example/ical/s/abc',
      'BEGIN:VEVENT',
      `UID:${shiftUid({ scheduleId: 'sched-1', role: 'primary', start: at('2026-03-08T07:30:00Z') })}`,
      'DTSTAMP:20260301T120000Z',
      'DTSTART:20260308T073000Z',
      'DTEND:20260309T063000Z',
      'SUMMARY:On call: Payments (primary)',
      'TRANSP:TRANSPARENT',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Payments on call');
    expect(events).toEqual([
      {
        uid: expect.stringMatching(/^[0-9a-f]{32}@tocsin$/),
        start: at('2026-03-08T07:30:00Z'),
        end: at('2026-03-09T06:30:00Z'),
        summary: 'On call: Payments (primary)',
        description: null,
      },
    ]);
  });

  it('UIDs are stable across fetches and differ by schedule, role, start and person', () => {
    const a = shift('2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z');
    const uid = shiftUid(a);
    expect(shiftUid({ ...a })).toBe(uid);
    const extended: IcalShift = { ...a, end: a.end + 1 };
    expect(shiftUid(extended)).toBe(uid); // an extended shift updates the same event
    expect(
      new Set([
        uid,
        shiftUid({ ...a, scheduleId: 'x' }),
        shiftUid({ ...a, role: 'backup' }),
        shiftUid({ ...a, start: a.start + 1000 }),
        shiftUid({ ...a, personId: 'p' }),
      ]).size,
    ).toBe(5);
    const first = icalFeed({ name: 'n', now, shifts: [a] });
    const second = icalFeed({ name: 'n', now: now + 3_600_000, shifts: [a] });
    expect(parse(first).events[0]?.uid).toBe(parse(second).events[0]?.uid);
  });

  it('uses a given summary as the title without changing the UID', () => {
    const a = shift('2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z');
    const titled: IcalShift = { ...a, summary: 'Ada, Bo on call: Payments (primary)' };
    const { events } = parse(icalFeed({ name: 'n', now, shifts: [titled] }));
    expect(events[0]?.summary).toBe('Ada, Bo on call: Payments (primary)');
    expect(events[0]?.uid).toBe(shiftUid(a));
  });

  it('escapes TEXT values and folds long lines at 75 octets without splitting UTF-8', () => {
    const name = 'Pagos, Zahlungen; 支付\\値 — ☎️ on-call rota with a very long name that needs folding';
    const text = icalFeed({
      name,
      now,
      shifts: [shift('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', { scheduleName: name, description: 'line one\nline two, with; separators' })],
    });
    expectFraming(text);
    expect(text).toContain('X-WR-CALNAME:Pagos\\, Zahlungen\\; 支付\\\\値');
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(name);
    expect(events[0]?.summary).toBe(`On call: ${name} (primary)`);
    expect(events[0]?.description).toBe('line one\nline two, with; separators');
  });

  it('escapeText and foldLine on their own', () => {
    expect(escapeText('a,b;c\\d\r\ne\u0007')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'é'.repeat(60)}`);
    expect(folded.split('\r\n ').map((l) => Buffer.byteLength(l, 'utf8'))).toEqual([74, 54]); // 'SUMMARY:' + 33 × 2-octet 'é' = 74; a 34th would make 76
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'é'.repeat(60)}`);
  });

  it('property: any names and shifts parse back to exactly the given shifts (200 runs)', () => {
    const textArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 });
    const shiftArb = fc.record({
      scheduleId: fc.uuid(),
      scheduleName: textArb,
      role: fc.constantFrom('primary', 'backup', 'incident-commander'),
      start: fc.integer({ min: 0, max: 4_000_000_000 }).map((s) => s * 1000),
      minutes: fc.integer({ min: 1, max: 60 * 24 * 14 }),
      description: fc.option(textArb, { nil: undefined }),
    });
    fc.assert(
      fc.property(textArb, fc.array(shiftArb, { maxLength: 8 }), fc.integer({ min: 0, max: 4_000_000_000 }), (name, raw, nowSeconds) => {
        const shifts: IcalShift[] = raw.map(({ minutes, description, ...s }) => ({
          ...s,
          end: s.start + minutes * 60_000,
          ...(description === undefined ? {} : { description }),
        }));
        const text = icalFeed({ name, shifts, now: nowSeconds * 1000 });
        expectFraming(text);
        const { calendar, events } = parse(text);
        // Control characters other than tab are dropped; everything else survives the round trip.
        const clean = (s: string): string => [...s.replace(/\r\n|\r/g, '\n')].filter((c) => c === '\t' || c === '\n' || (c >= ' ' && c !== '\u007f')).join('');
        expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(clean(name));
        expect(events).toEqual(
          shifts.map((s) => ({
            uid: shiftUid(s),
            start: s.start,
            end: s.end,
            summary: clean(`On call: ${s.scheduleName} (${s.role})`),
            description: s.description === undefined || s.description === '' ? null : clean(s.description),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });
});
