import { i18next } from '../i18n';
/** Minimum password length, matching the server's rule. */
export const PASSWORD_MIN_LENGTH = 12;

/** E.164: a plus, a country code that does not start with 0, up to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

export function passwordRule(value: string): string | null {
  return value.length >= PASSWORD_MIN_LENGTH ? null : i18next.t('common:validation.passwordLength', { count: PASSWORD_MIN_LENGTH });
}

export function emailRule(value: string): string | null {
  return /^\S+@\S+\.\S+$/.test(value.trim()) ? null : i18next.t('common:validation.email');
}

export function phoneRule(value: string): string | null {
  return value === '' || isE164(value.trim()) ? null : i18next.t('common:validation.phone');
}
