import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unseal } from '../core/seal.js';
import type { AnyProvider, Provider } from './provider.js';
import {
  BUILTIN_PROVIDERS,
  REDACTED,
  createRegistry,
  loadSettings,
  normalizeProviderSettings,
  prepareSettingsUpdate,
  redactSecrets,
  sealSecrets,
  unsealSecrets,
  validateProviderSettings,
} from './registry.js';

interface FakeSettings {
  readonly token: string;
  readonly count: number;
}

const fake: Provider<FakeSettings> = {
  id: 'fake',
  label: 'Fake',
  methods: ['sms'],
  fields: [
    { name: 'token', label: 'Token', type: 'secret', required: true, min: 4 },
    { name: 'count', label: 'Count', type: 'number', default: 3, min: 1, max: 10 },
    { name: 'region', label: 'Region', type: 'select', options: ['eu', 'us'], default: 'eu' },
    { name: 'enabled', label: 'Enabled', type: 'boolean' },
    { name: 'sender', label: 'Sender', type: 'string', pattern: '[A-Z]{3,11}', max: 11 },
    { name: 'callback', label: 'Callback', type: 'url' },
    { name: 'notify', label: 'Notify', type: 'email' },
    { name: 'api_key', label: 'API key', type: 'secret' },
  ],
  parseSettings: (raw) => ({ token: String(raw.token), count: Number(raw.count) }),
  send: () => Promise.resolve({ kind: 'sent' }),
};

const key = randomBytes(32);

describe('createRegistry', () => {
  it('registers the built-in providers and describes their forms', () => {
    const registry = createRegistry(BUILTIN_PROVIDERS);
    expect(registry.list().map((p) => p.id)).toEqual(['smtp', 'webhook', 'twilio_sms', 'twilio_voice', 'slack', 'feishu', 'dingtalk', 'wecom', 'discord', 'teams', 'telegram', 'aliyun_sms', 'aliyun_voice', 'tencent_sms', 'tencent_voice', 'webpush', 'feishu_app', 'dingtalk_app']);
    expect(registry.forMethod('im').map((p) => p.id)).toEqual(['slack', 'telegram', 'feishu_app', 'dingtalk_app']);
    expect(registry.get('smtp')?.label).toBe('SMTP email');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.forMethod('email').map((p) => p.id)).toEqual(['smtp']);
    expect(registry.forMethod('webhook').map((p) => p.id)).toEqual(['webhook', 'slack', 'feishu', 'dingtalk', 'wecom', 'discord', 'teams', 'telegram']);
    const webhook = registry.describe().find((d) => d.id === 'webhook');
    expect(webhook?.fields.map((f) => [f.name, f.type])).toEqual([
      ['url', 'url'],
      ['method', 'select'],
      ['secret', 'secret'],
      ['headers', 'string'],
    ]);
    // The descriptor is plain data the API can serialise as is.
    expect(JSON.parse(JSON.stringify(registry.describe()))).toEqual(registry.describe());
  });

  it('rejects duplicate ids and declarations that could never validate', () => {
    expect(() => createRegistry([fake as AnyProvider, { ...fake } as AnyProvider])).toThrow('duplicate provider id "fake"');
    expect(() => createRegistry([{ ...fake, id: 'Bad Id' } as AnyProvider])).toThrow('provider id "Bad Id" must match');
    expect(() => createRegistry([{ ...fake, methods: [] } as AnyProvider])).toThrow('provider "fake" serves no method');
    const withFields = (fields: AnyProvider['fields']): AnyProvider => ({ ...fake, fields }) as AnyProvider;
    expect(() => createRegistry([withFields([fake.fields[0]!, fake.fields[0]!])])).toThrow('provider "fake": duplicate field "token"');
    expect(() => createRegistry([withFields([{ name: 'r', label: 'R', type: 'select' }])])).toThrow('select field "r" has no options');
    expect(() => createRegistry([withFields([{ name: 'p', label: 'P', type: 'string', pattern: 'a(?=b)' }])])).toThrow('field "p" pattern: invalid regular expression');
    expect(() => createRegistry([withFields([{ name: 'n', label: 'N', type: 'number', default: 99, max: 10 }])])).toThrow('default of "n" must be at most 10');
    expect(() => createRegistry([withFields([{ name: 'Upper', label: 'U', type: 'string' }])])).toThrow('field name "Upper" must match');
  });
});

describe('validateProviderSettings', () => {
  it('accepts valid settings', () => {
    expect(validateProviderSettings(fake as AnyProvider, { token: 'abcd', count: 5, region: 'us', enabled: true, sender: 'TOCSIN', callback: 'https://x.example/cb', notify: 'a@b.co' })).toEqual([]);
  });

  it('checks every declared field at once, keyed settings.<name>', () => {
    expect(
      validateProviderSettings(fake as AnyProvider, {
        count: 11,
        region: 'asia',
        enabled: 'yes',
        sender: 'tocsin',
        callback: 'ftp://x.example/cb',
        notify: 'not-an-email',
        api_key: 42,
        extra: 1,
      }),
    ).toEqual([
      { field: 'settings.extra', message: 'is not a setting of Fake' },
      { field: 'settings.token', message: 'is required' },
      { field: 'settings.count', message: 'must be at most 10' },
      { field: 'settings.region', message: 'must be one of eu, us' },
      { field: 'settings.enabled', message: 'must be true or false' },
      { field: 'settings.sender', message: 'must match [A-Z]{3,11}' },
      { field: 'settings.callback', message: 'must be an http:// or https:// URL' },
      { field: 'settings.notify', message: 'must be an email address' },
      { field: 'settings.api_key', message: 'must be a string' },
    ]);
    expect(validateProviderSettings(fake as AnyProvider, { token: 'abc', count: '3', sender: 'ABCDEFGHIJKL' })).toEqual([
      { field: 'settings.token', message: 'must be at least 4 characters' },
      { field: 'settings.count', message: 'must be a number' },
      { field: 'settings.sender', message: 'must be at most 11 characters' },
    ]);
    expect(validateProviderSettings(fake as AnyProvider, { token: 'abcd', count: Number.NaN })).toEqual([{ field: 'settings.count', message: 'must be a number' }]);
    expect(validateProviderSettings(fake as AnyProvider, [])).toEqual([{ field: 'settings', message: 'must be an object' }]);
    expect(validateProviderSettings(fake as AnyProvider, { token: 'javascript:alert(1)', callback: 'javascript:alert(1)' })).toEqual([
      { field: 'settings.callback', message: 'must be an http:// or https:// URL' },
    ]);
  });

  it('anchors patterns: a match inside the value is not enough', () => {
    expect(validateProviderSettings(fake as AnyProvider, { token: 'abcd', sender: 'xxABCxx' })).toEqual([{ field: 'settings.sender', message: 'must match [A-Z]{3,11}' }]);
  });

  it("runs the provider's own checks after the declared fields pass", () => {
    const smtp = createRegistry(BUILTIN_PROVIDERS).get('smtp')!;
    expect(validateProviderSettings(smtp, { host: 'mail.example.com', from: 'tocsin@example.com', password: 'pw' })).toEqual([
      { field: 'settings.username', message: 'is required with a password' },
    ]);
    const webhook = createRegistry(BUILTIN_PROVIDERS).get('webhook')!;
    expect(validateProviderSettings(webhook, { url: 'https://chat.example.com/hook', headers: 'X-Team: sre\nbad line\nContent-Type: text/plain' })).toEqual([
      { field: 'settings.headers', message: 'line 2 must look like "Name: value"' },
      { field: 'settings.headers', message: 'line 3: Content-Type is set by Tocsin' },
    ]);
    expect(validateProviderSettings(webhook, { url: 'file:///etc/passwd' })).toEqual([{ field: 'settings.url', message: 'must be an http:// or https:// URL' }]);
  });

  it('normalizes: defaults applied, empty optionals dropped', () => {
    expect(normalizeProviderSettings(fake as AnyProvider, { token: 'abcd', sender: '', enabled: null })).toEqual({ ok: true, value: { token: 'abcd', count: 3, region: 'eu' } });
    expect(normalizeProviderSettings(fake as AnyProvider, {})).toEqual({ ok: false, errors: [{ field: 'settings.token', message: 'is required' }] });
  });
});

describe('secrets', () => {
  it('seals secret fields only, and unseals them', () => {
    const stored = sealSecrets(fake as AnyProvider, { token: 'tok-1', count: 3, api_key: 'k-2' }, key);
    expect(stored.count).toBe(3);
    expect(stored.token).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain('tok-1');
    expect(unseal(key, stored.token as string)).toBe('tok-1');
    expect(unsealSecrets(fake as AnyProvider, stored, key)).toEqual({ token: 'tok-1', count: 3, api_key: 'k-2' });
    expect(() => unsealSecrets(fake as AnyProvider, stored, randomBytes(32))).toThrow();
  });

  it('redacts secrets for the API', () => {
    const stored = sealSecrets(fake as AnyProvider, { token: 'tok-1', count: 3 }, key);
    expect(redactSecrets(fake as AnyProvider, stored)).toEqual({ token: REDACTED, count: 3 });
  });

  it('an update that sends back ••••••  keeps the stored secret; a new value replaces it', () => {
    const first = prepareSettingsUpdate(fake as AnyProvider, { token: 'tok-1', api_key: 'k-1' }, undefined, key);
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const kept = prepareSettingsUpdate(fake as AnyProvider, { ...redactSecrets(fake as AnyProvider, first.value), count: 7 }, first.value, key);
    if (!kept.ok) throw new Error(JSON.stringify(kept.errors));
    expect(unsealSecrets(fake as AnyProvider, kept.value, key)).toEqual({ token: 'tok-1', api_key: 'k-1', count: 7, region: 'eu' });
    const replaced = prepareSettingsUpdate(fake as AnyProvider, { token: 'tok-2' }, kept.value, key);
    if (!replaced.ok) throw new Error(JSON.stringify(replaced.errors));
    // Leaving a secret out removes it (the form sends •••••• to keep it).
    expect(unsealSecrets(fake as AnyProvider, replaced.value, key)).toEqual({ token: 'tok-2', count: 3, region: 'eu' });
  });

  it('•••••• without a stored secret is an error, not a password', () => {
    expect(prepareSettingsUpdate(fake as AnyProvider, { token: REDACTED }, undefined, key)).toEqual({
      ok: false,
      errors: [{ field: 'settings.token', message: 'has no stored value to keep: enter the secret' }],
    });
  });

  it('loadSettings opens secrets and types the settings', () => {
    const saved = prepareSettingsUpdate(fake as AnyProvider, { token: 'tok-1' }, undefined, key);
    if (!saved.ok) throw new Error('invalid');
    expect(loadSettings(fake, saved.value, key)).toEqual({ token: 'tok-1', count: 3 });
  });
});

describe('fields marked secret (URLs and header lines that are credentials)', () => {
  const hooked: Provider<FakeSettings> = {
    ...fake,
    id: 'hooked',
    fields: [
      { name: 'token', label: 'Token', type: 'secret' },
      { name: 'webhook_url', label: 'Webhook URL', type: 'url', secret: true, required: true },
      { name: 'headers', label: 'Headers', type: 'string', secret: true, multiline: true },
    ],
  };
  const key = randomBytes(32);

  it('seals them, masks them and keeps them when •••••• comes back, still validating the URL', () => {
    const first = prepareSettingsUpdate(hooked, { webhook_url: 'https://hooks.example/T/B/secret', headers: 'X-Key: 1' }, undefined, key);
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    expect(JSON.stringify(first.value)).not.toContain('hooks.example');
    expect(redactSecrets(hooked, first.value)).toMatchObject({ webhook_url: REDACTED, headers: REDACTED });
    const kept = prepareSettingsUpdate(hooked, { webhook_url: REDACTED, headers: REDACTED }, first.value, key);
    if (!kept.ok) throw new Error(JSON.stringify(kept.errors));
    expect(unsealSecrets(hooked, kept.value, key)).toMatchObject({ webhook_url: 'https://hooks.example/T/B/secret', headers: 'X-Key: 1' });
    expect(prepareSettingsUpdate(hooked, { webhook_url: 'not a url' }, undefined, key)).toMatchObject({ ok: false, errors: [{ field: 'settings.webhook_url' }] });
  });

  it('reads a value stored in clear before the field became secret', () => {
    expect(unsealSecrets(hooked, { webhook_url: 'https://hooks.example/legacy' }, key)).toMatchObject({ webhook_url: 'https://hooks.example/legacy' });
  });

  it('refuses the secret mark on fields that are not url or string', () => {
    expect(() => createRegistry([{ ...fake, id: 'bad', fields: [{ name: 'count', label: 'Count', type: 'number', secret: true }] }])).toThrow(/only url and string fields/);
  });

  it('marks the credential fields of the built-in providers', () => {
    const registry = createRegistry(BUILTIN_PROVIDERS);
    const secretOf = (id: string, name: string) => registry.get(id)?.fields.find((f) => f.name === name)?.secret;
    expect([secretOf('slack', 'webhook_url'), secretOf('feishu', 'webhook_url'), secretOf('dingtalk', 'webhook_url'), secretOf('webhook', 'headers')]).toEqual([true, true, true, true]);
  });
});
