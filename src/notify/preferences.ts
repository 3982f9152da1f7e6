import type { FieldError } from '../core/errors.js';
import type { NotificationMethod } from './provider.js';

export type Severity = 'Critical' | 'Warning' | 'Info';

/** Methods a person can choose per severity. */
export const PERSONAL_METHODS = ['voice', 'sms', 'email', 'push', 'im'] as const;
export type PersonalMethod = (typeof PERSONAL_METHODS)[number];

export type Preferences = Readonly<Record<Severity, readonly PersonalMethod[]>>;

/** Sensible defaults for a new person: call and text for Critical, text for Warning, mail for Info. */
export const DEFAULT_PREFERENCES: Preferences = { Critical: ['voice', 'sms', 'email'], Warning: ['sms', 'email'], Info: ['email'] };

/** The order fallbacks try when a chosen method cannot be used (SPEC §8.1: IM DM → SMS → email). */
export const FALLBACK_ORDER: readonly PersonalMethod[] = ['im', 'push', 'sms', 'voice', 'email'];

/** Stored preferences with defaults for missing severities. */
export function readPreferences(json: string): Preferences {
  const stored = JSON.parse(json) as Partial<Record<Severity, PersonalMethod[]>>;
  return { Critical: stored.Critical ?? DEFAULT_PREFERENCES.Critical, Warning: stored.Warning ?? DEFAULT_PREFERENCES.Warning, Info: stored.Info ?? DEFAULT_PREFERENCES.Info };
}

/** Validates a preferences document; every severity must list known methods (an empty list is allowed). */
export function normalizePreferences(input: unknown): { ok: true; value: Preferences } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const out: Record<Severity, PersonalMethod[]> = { Critical: [], Warning: [], Info: [] };
  for (const severity of ['Critical', 'Warning', 'Info'] as const) {
    const value = record[severity] ?? DEFAULT_PREFERENCES[severity];
    if (!Array.isArray(value) || value.some((m) => !(PERSONAL_METHODS as readonly unknown[]).includes(m))) {
      errors.push({ field: severity, message: `must be a list of ${PERSONAL_METHODS.join(', ')}` });
      continue;
    }
    out[severity] = [...new Set(value as PersonalMethod[])];
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** Escalation-rule method names (slack_dm, feishu_dm, …) are all the IM direct-message method. */
export function toNotificationMethod(method: string): NotificationMethod {
  return method.endsWith('_dm') ? 'im' : (method as NotificationMethod);
}

/** Whether Tocsin can reach a person by one method now, and if not, what they or an admin can do. */
export interface MethodAvailability {
  readonly method: PersonalMethod;
  readonly available: boolean;
  readonly reason?: string;
}

const METHOD_LABELS: Readonly<Record<PersonalMethod, string>> = { voice: 'Voice call', sms: 'SMS', email: 'Email', push: 'App push', im: 'IM direct message' };

/**
 * Which personal methods can deliver to this person (SPEC §6, issue 12): a method needs an enabled
 * provider that serves it and the person's usable address. Mirrors the address rules of dispatch:
 * phones and emails must be verified, IM accounts are matched by the verified email, and app push
 * needs a registered device.
 */
export function methodAvailability(input: {
  readonly deliverable: ReadonlySet<NotificationMethod>;
  readonly emailVerified: boolean;
  readonly phone: string | null;
  readonly phoneVerified: boolean;
  readonly pushDevices: number;
  /**
   * Per IM provider: which can reach the person and what the others need (dispatch's `imTargets`).
   * Absent: IM accounts are matched by the verified email alone.
   */
  readonly im?: { readonly reachable: readonly string[]; readonly missing: readonly { readonly provider: string; readonly need: 'verify_email' | 'add_phone' | 'verify_phone' | 'link_chat' }[] };
}): MethodAvailability[] {
  return PERSONAL_METHODS.map((method): MethodAvailability => {
    const label = METHOD_LABELS[method];
    if (!input.deliverable.has(method)) return { method, available: false, reason: `No ${label} provider is set up yet: an administrator adds one under Settings → Notification providers.` };
    switch (method) {
      case 'sms':
      case 'voice':
        if (!input.phone) return { method, available: false, reason: 'Add your phone number and verify it.' };
        if (!input.phoneVerified) return { method, available: false, reason: 'Verify your phone number.' };
        return { method, available: true };
      case 'email':
        return input.emailVerified ? { method, available: true } : { method, available: false, reason: 'Verify your email address.' };
      case 'im':
        if (input.im) return input.im.reachable.length > 0 ? { method, available: true } : { method, available: false, reason: imReason(input.im.missing) };
        return input.emailVerified ? { method, available: true } : { method, available: false, reason: 'Verify your email address: IM accounts are matched by it.' };
      case 'push':
        return input.pushDevices > 0 ? { method, available: true } : { method, available: false, reason: 'No device is registered for app push yet.' };
    }
  });
}

const IM_FIXES: Readonly<Record<'verify_email' | 'add_phone' | 'verify_phone' | 'link_chat', string>> = {
  verify_email: 'verify your email address (it finds your account there)',
  add_phone: 'add your mobile number and verify it (it finds your account there)',
  verify_phone: 'verify your mobile number (it finds your account there)',
  link_chat: 'link your chat with the button below',
};

/** "To get direct messages: Feishu — verify your email address …; Telegram — link your chat …". */
function imReason(missing: readonly { readonly provider: string; readonly need: keyof typeof IM_FIXES }[]): string {
  return `To get direct messages: ${missing.map((m) => `${m.provider} — ${IM_FIXES[m.need]}`).join('; ')}.`;
}
