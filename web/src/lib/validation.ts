/** Minimum password length, matching the server's rule. */
export const PASSWORD_MIN_LENGTH = 12;

/** E.164: a plus, a country code that does not start with 0, up to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

export function passwordRule(value: string): string | null {
  return value.length >= PASSWORD_MIN_LENGTH ? null : `At least ${PASSWORD_MIN_LENGTH} characters`;
}

export function emailRule(value: string): string | null {
  return /^\S+@\S+\.\S+$/.test(value.trim()) ? null : 'Enter a valid email address';
}

export function phoneRule(value: string): string | null {
  return value === '' || isE164(value.trim()) ? null : 'Use international format, e.g. +14155550100';
}
