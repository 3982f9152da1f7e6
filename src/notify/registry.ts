/**
 * The provider registry and everything generic about provider settings (STYLE 7, "Avoid"):
 * - `createRegistry` refuses duplicate ids and malformed field declarations at boot;
 * - `validateProviderSettings` checks raw settings against the declared fields (all errors at once,
 *   keyed `settings.<name>`), `normalizeProviderSettings` also applies defaults and drops empties;
 * - secrets (fields of type `secret`) are stored sealed (`core/seal.ts`), shown as `••••••`, and an
 *   update that sends `••••••` back keeps the stored secret (`prepareSettingsUpdate`).
 * Adding a provider = its folder + one line in `BUILTIN_PROVIDERS`.
 */
import type { FieldError } from '../core/errors.js';
import { compileSafeRegex } from '../core/filter.js';
import { REDACTED, seal, unsealOrPlain } from '../core/seal.js';
import { checkEmail } from '../core/validate.js';
import type { AnyProvider, NotificationMethod, Provider, ProviderField } from './provider.js';
import { dingtalkProvider } from './providers/dingtalk/index.js';
import { feishuProvider } from './providers/feishu/index.js';
import { slackProvider } from './providers/slack/index.js';
import { smtpProvider } from './providers/smtp/index.js';
import { twilioSmsProvider, twilioVoiceProvider } from './providers/twilio/index.js';
import { webhookProvider } from './providers/webhook/index.js';
import { wecomProvider } from './providers/wecom/index.js';
import { discordProvider } from './providers/discord/index.js';
import { teamsProvider } from './providers/teams/index.js';
import { telegramProvider } from './providers/telegram/index.js';
import { aliyunSmsProvider, aliyunVoiceProvider } from './providers/aliyun/index.js';
import { tencentSmsProvider, tencentVoiceProvider } from './providers/tencent/index.js';
import { webPushProvider } from './providers/webpush/index.js';
import { feishuAppProvider } from './providers/feishu/app.js';
import { dingtalkAppProvider } from './providers/dingtalk/app.js';

/** Every provider Tocsin ships; `app/wire.ts` passes this to `createRegistry`. */
export const BUILTIN_PROVIDERS: readonly AnyProvider[] = [smtpProvider, webhookProvider, twilioSmsProvider, twilioVoiceProvider, slackProvider, feishuProvider, dingtalkProvider, wecomProvider, discordProvider, teamsProvider, telegramProvider, aliyunSmsProvider, aliyunVoiceProvider, tencentSmsProvider, tencentVoiceProvider, webPushProvider, feishuAppProvider, dingtalkAppProvider];

/** What the API shows for a stored secret; sending it back means "unchanged". */
export { REDACTED };

/** Settings as stored: declared fields only, defaults applied, secrets sealed. */
export type StoredSettings = Readonly<Record<string, unknown>>;

/** The console's view of a provider: enough to draw its settings form. */
export interface ProviderDescriptor {
  readonly id: string;
  readonly label: string;
  readonly methods: readonly NotificationMethod[];
  readonly fields: readonly ProviderField[];
}

export interface ProviderRegistry {
  get(id: string): AnyProvider | undefined;
  list(): readonly AnyProvider[];
  /** Providers that can deliver `method`, in registration order. */
  forMethod(method: NotificationMethod): readonly AnyProvider[];
  /** Descriptors for the console's provider forms. */
  describe(): readonly ProviderDescriptor[];
}

const ID = /^[a-z][a-z0-9_-]{0,39}$/;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Builds the registry; throws on duplicate ids or field declarations that could never validate. */
export function createRegistry(providers: readonly AnyProvider[]): ProviderRegistry {
  const byId = new Map<string, AnyProvider>();
  for (const provider of providers) {
    if (!ID.test(provider.id)) throw new Error(`provider id "${provider.id}" must match ${ID.source}`);
    if (byId.has(provider.id)) throw new Error(`duplicate provider id "${provider.id}"`);
    checkDeclaration(provider);
    byId.set(provider.id, provider);
  }
  const list = [...byId.values()];
  return {
    get: (id) => byId.get(id),
    list: () => list,
    forMethod: (method) => list.filter((p) => p.methods.includes(method)),
    describe: () => list.map((p) => ({ id: p.id, label: p.label, methods: p.methods, fields: p.fields })),
  };
}

function checkDeclaration(provider: AnyProvider): void {
  const where = `provider "${provider.id}"`;
  if (provider.methods.length === 0) throw new Error(`${where} serves no method`);
  const names = new Set<string>();
  for (const field of provider.fields) {
    if (!FIELD_NAME.test(field.name)) throw new Error(`${where}: field name "${field.name}" must match ${FIELD_NAME.source}`);
    if (names.has(field.name)) throw new Error(`${where}: duplicate field "${field.name}"`);
    names.add(field.name);
    if (field.type === 'select' && (field.options ?? []).length === 0) throw new Error(`${where}: select field "${field.name}" has no options`);
    if (field.secret && field.type !== 'url' && field.type !== 'string') throw new Error(`${where}: only url and string fields may be marked secret ("${field.name}")`);
    if (field.pattern !== undefined) {
      const compiled = compileSafeRegex(field.pattern, '', field.name);
      if (!compiled.ok) throw new Error(`${where}: field "${field.name}" pattern: ${compiled.errors[0]?.message ?? 'invalid'}`);
    }
    if (field.default !== undefined) {
      const errors = checkField(field, field.default);
      if (errors) throw new Error(`${where}: default of "${field.name}" ${errors}`);
    }
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The rule `value` breaks for `field`, or undefined. `value` is not empty. */
function checkField(field: ProviderField, value: unknown): string | undefined {
  switch (field.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (field.min !== undefined && value < field.min) return `must be at least ${field.min}`;
      if (field.max !== undefined && value > field.max) return `must be at most ${field.max}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'select':
      if (typeof value !== 'string' || !(field.options ?? []).includes(value)) return `must be one of ${(field.options ?? []).join(', ')}`;
      return undefined;
    case 'string':
    case 'secret':
    case 'url':
    case 'email': {
      if (typeof value !== 'string') return 'must be a string';
      const length = [...value].length;
      if (field.min !== undefined && length < field.min) return `must be at least ${field.min} characters`;
      if (field.max !== undefined && length > field.max) return `must be at most ${field.max} characters`;
      if (field.type === 'url' && !isHttpUrl(value)) return 'must be an http:// or https:// URL';
      if (field.type === 'email' && checkEmail(field.name, value)) return 'must be an email address';
      if (field.pattern !== undefined) {
        const compiled = compileSafeRegex(`^(?:${field.pattern})$`, '', field.name);
        if (compiled.ok && !compiled.value.test(value)) return `must match ${field.pattern}`;
      }
      return undefined;
    }
  }
}

/** True for absolute http(s) URLs with a host. */
export function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * Checks raw settings against every declared field (required, type, pattern, min/max, options) and
 * refuses undeclared keys, then runs the provider's own `checkSettings`. Field paths: `settings.<name>`.
 * A secret still equal to `••••••` is reported: resolve it with `prepareSettingsUpdate` first.
 */
export function validateProviderSettings(provider: AnyProvider, raw: unknown): FieldError[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [{ field: 'settings', message: 'must be an object' }];
  const record = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  const declared = new Set(provider.fields.map((f) => f.name));
  for (const key of Object.keys(record)) {
    if (!declared.has(key)) errors.push({ field: `settings.${key}`, message: `is not a setting of ${provider.label}` });
  }
  for (const field of provider.fields) {
    const value = Object.hasOwn(record, field.name) ? record[field.name] : undefined;
    const path = `settings.${field.name}`;
    if (isEmpty(value)) {
      if (field.required && field.default === undefined) errors.push({ field: path, message: 'is required' });
      continue;
    }
    if (isSecretField(field) && value === REDACTED) {
      errors.push({ field: path, message: 'has no stored value to keep: enter the secret' });
      continue;
    }
    const broken = checkField(field, value);
    if (broken) errors.push({ field: path, message: broken });
  }
  if (errors.length > 0) return errors;
  return provider.checkSettings?.(normalize(provider, record)) ?? [];
}

function normalize(provider: AnyProvider, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of provider.fields) {
    const value = Object.hasOwn(record, field.name) ? record[field.name] : undefined;
    if (!isEmpty(value)) out[field.name] = value;
    else if (field.default !== undefined) out[field.name] = field.default;
  }
  return out;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/** Validates, then returns declared fields only with defaults applied and empty optionals dropped. */
export function normalizeProviderSettings(provider: AnyProvider, raw: unknown): Checked<Record<string, unknown>> {
  const errors = validateProviderSettings(provider, raw);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: normalize(provider, raw as Record<string, unknown>) };
}

/** Fields stored sealed and shown as `••••••`: `secret` fields and fields marked `secret`. */
export function isSecretField(field: ProviderField): boolean {
  return field.type === 'secret' || field.secret === true;
}

function secretNames(provider: AnyProvider): string[] {
  return provider.fields.filter(isSecretField).map((f) => f.name);
}

/** Replaces every present secret with its sealed form (AES-256-GCM under `key`) for storage. */
export function sealSecrets(provider: AnyProvider, settings: Readonly<Record<string, unknown>>, key: Buffer): StoredSettings {
  const out: Record<string, unknown> = { ...settings };
  for (const name of secretNames(provider)) {
    const value = out[name];
    if (typeof value === 'string' && value !== '') out[name] = seal(key, value);
  }
  return out;
}

/**
 * Opens sealed secrets; throws when one was tampered with or sealed under another key. A value saved
 * before its field became secret is still plain text and is used as it is (sealed on the next save).
 */
export function unsealSecrets(provider: AnyProvider, stored: StoredSettings, key: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored };
  for (const name of secretNames(provider)) {
    const value = out[name];
    if (typeof value === 'string' && value !== '') out[name] = unsealOrPlain(key, value);
  }
  return out;
}

/** Settings for the API: every present secret (sealed or not) replaced by `••••••`. */
export function redactSecrets(provider: AnyProvider, settings: StoredSettings): Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  for (const name of secretNames(provider)) {
    if (!isEmpty(out[name])) out[name] = REDACTED;
  }
  return out;
}

/**
 * The save path: secrets sent back as `••••••` take the stored value (`stored` is the sealed settings
 * of the existing configuration, if any), then everything is validated and normalized, then secrets
 * are sealed. Returns what to store, or every field error.
 */
export function prepareSettingsUpdate(
  provider: AnyProvider,
  incoming: unknown,
  stored: StoredSettings | undefined,
  key: Buffer,
): Checked<StoredSettings> {
  if (typeof incoming !== 'object' || incoming === null || Array.isArray(incoming)) return { ok: false, errors: [{ field: 'settings', message: 'must be an object' }] };
  const merged: Record<string, unknown> = { ...(incoming as Record<string, unknown>) };
  const previous = stored ? unsealSecrets(provider, stored, key) : {};
  for (const name of secretNames(provider)) {
    if (merged[name] === REDACTED && !isEmpty(previous[name])) merged[name] = previous[name];
  }
  const normalized = normalizeProviderSettings(provider, merged);
  if (!normalized.ok) return normalized;
  return { ok: true, value: sealSecrets(provider, normalized.value, key) };
}

/** Stored settings → the provider's typed settings (secrets opened, defaults applied). */
export function loadSettings<S>(provider: Provider<S>, stored: StoredSettings, key: Buffer): S {
  return provider.parseSettings(normalize(provider, unsealSecrets(provider, stored, key)));
}
