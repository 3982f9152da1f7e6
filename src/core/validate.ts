import type { FieldError } from './errors.js';

/** Small rule helpers shared by every `normalize()`; each returns a FieldError or nothing. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function checkLength(field: string, value: string, min: number, max: number): FieldError | undefined {
  const length = [...value].length;
  if (length < min) return { field, message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` };
  if (length > max) return { field, message: `must be at most ${max} characters` };
  return undefined;
}

export function checkEmail(field: string, value: string): FieldError | undefined {
  if (value.length > 254 || !EMAIL.test(value)) return { field, message: 'must be an email address' };
  return undefined;
}

export function checkPhone(field: string, value: string): FieldError | undefined {
  if (!E164.test(value)) return { field, message: 'must be an E.164 phone number such as +14155550100' };
  return undefined;
}

const zoneCache = new Map<string, boolean>();

/** True for IANA zone names the runtime knows (e.g. Europe/Berlin, UTC). */
export function isTimeZone(name: string): boolean {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  let ok = false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    ok = name.length > 0;
  } catch {
    ok = false;
  }
  zoneCache.set(name, ok);
  return ok;
}

export function checkTimeZone(field: string, value: string): FieldError | undefined {
  return isTimeZone(value) ? undefined : { field, message: 'must be an IANA time zone such as Europe/Berlin' };
}

/** Collects the defined results of rule checks. */
export function collect(...results: (FieldError | undefined)[]): FieldError[] {
  return results.filter((r): r is FieldError => r !== undefined);
}
