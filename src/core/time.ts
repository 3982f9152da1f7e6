import { DateTime } from 'luxon';

/**
 * Strict ISO 8601 / RFC 3339 times (issue 10 item 26, ADR 0029). `Date.parse` accepts any text a
 * browser would ("March 2 2026") and reads a zone-less time in the server's local zone; this accepts
 * only ISO forms (`T` or one space between date and time; `Z`, `±hh:mm`, `±hhmm` or `±hh` offsets) and
 * reads a zone-less time as UTC — never as the server's zone — unless the caller refuses those.
 */
export interface IsoTimeOptions {
  /** `utc` (default): a time without offset is UTC. `reject`: it is not a valid time. */
  readonly zoneless?: 'utc' | 'reject';
}

const MAX_LENGTH = 40;
const DATE_SPACE_TIME = /^(\d{4}-\d{2}-\d{2}) (?=\d)/;
const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Unix milliseconds of an ISO 8601 time, or undefined when `text` is not one. */
export function parseIsoTime(text: string, options: IsoTimeOptions = {}): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_LENGTH) return undefined;
  const iso = trimmed.replace(DATE_SPACE_TIME, '$1T');
  if (options.zoneless === 'reject' && !(iso.includes('T') && HAS_ZONE.test(iso))) return undefined;
  const parsed = DateTime.fromISO(iso, { zone: 'utc', setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
}
