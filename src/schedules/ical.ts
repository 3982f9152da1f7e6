import { createHash } from 'node:crypto';

/**
 * RFC 5545 feed of on-call shifts, for per-schedule and per-person subscription URLs. Pure: the same
 * input gives the same bytes (DTSTAMP comes from `now`).
 */

/** One shift to publish. */
export interface IcalShift {
  readonly scheduleId: string;
  readonly scheduleName: string;
  /** Role of a final-timeline shift, or a layer label for a layer feed. */
  readonly role: string;
  readonly start: number;
  readonly end: number;
  /** Set in per-person feeds, so that person's copy of a shift has its own UID. */
  readonly personId?: string;
  /** Free text shown in the event body, e.g. who else is on call. */
  readonly description?: string;
  /** Event title; by default `On call: <schedule> (<role>)`. Not part of the UID. */
  readonly summary?: string;
}

export interface IcalFeedInput {
  /** Calendar name shown by calendar apps. */
  readonly name: string;
  readonly shifts: readonly IcalShift[];
  /** Unix ms, written as every event's DTSTAMP. */
  readonly now: number;
  /** The feed's own address, published as the calendar URL (RFC 7986). */
  readonly url?: string;
}

const CRLF = '\r\n';
const PRODID = '-//Tocsin//On-call schedules//EN';

/**
 * Stable UID of a shift: a digest of schedule id, role or layer, start (and person for personal
 * feeds), so re-fetching the feed updates events instead of duplicating them.
 */
export function shiftUid(shift: Pick<IcalShift, 'scheduleId' | 'role' | 'start' | 'personId'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([shift.scheduleId, shift.role, shift.start, shift.personId ?? null]))
    .digest('hex');
  return `${digest.slice(0, 32)}@tocsin`;
}

/** Escapes a TEXT value (RFC 5545 §3.3.11) and drops control characters other than tab. */
export function escapeText(value: string): string {
  return dropControls(value.replace(/\r\n|\r/g, '\n'), true).replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Removes C0 controls and DEL, which TEXT and URI values may not contain (keeps tab, and LF if asked). */
function dropControls(value: string, keepNewline: boolean): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f;
    if (!control || code === 0x09 || (keepNewline && code === 0x0a)) out += ch;
  }
  return out;
}

/** UTC DATE-TIME form `YYYYMMDDTHHMMSSZ`, truncated to the second. */
export function utcStamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Folds a content line so no physical line exceeds 75 octets, never splitting a UTF-8 sequence. */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const bytes = Buffer.byteLength(ch, 'utf8');
    if (size + bytes > limit) {
      parts.push(current);
      current = '';
      size = 0;
      limit = 74; // continuation lines start with one space
    }
    current += ch;
    size += bytes;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function uriValue(value: string): string {
  return dropControls(value, false).replace(/\t/g, '');
}

/** The iCalendar text (CRLF line endings) with one VEVENT per shift, in the given order. */
export function icalFeed(input: IcalFeedInput): string {
  const stamp = utcStamp(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    `NAME:${escapeText(input.name)}`,
    'X-PUBLISHED-TTL:PT1H',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  if (input.url !== undefined) lines.push(`URL;VALUE=URI:${uriValue(input.url)}`);
  for (const shift of input.shifts) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${shiftUid(shift)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcStamp(shift.start)}`,
      `DTEND:${utcStamp(shift.end)}`,
      `SUMMARY:${escapeText(shift.summary ?? `On call: ${shift.scheduleName} (${shift.role})`)}`,
    );
    if (shift.description !== undefined && shift.description !== '') lines.push(`DESCRIPTION:${escapeText(shift.description)}`);
    lines.push('TRANSP:TRANSPARENT', 'STATUS:CONFIRMED', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
