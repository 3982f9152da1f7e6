import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS } from '../../src/notify/registry.js';

/**
 * Every notification provider's settings form is declared by the server in English; the console
 * translates it from web/src/locales/<language>/providerFields.json. A field added to a provider without
 * its translations would show English in the Chinese console, so each label, help text and select
 * option of every registered provider must be in both files, and the files must name nothing that no
 * longer exists.
 */
const root = join(import.meta.dirname, '../../web/src/locales');
type FieldTexts = { label?: unknown; help?: unknown; options?: Record<string, unknown> };
const load = (language: string) => JSON.parse(readFileSync(join(root, language, 'providerFields.json'), 'utf8')) as Record<string, Record<string, FieldTexts>>;
const files = { en: load('en'), 'zh-CN': load('zh-CN') };

/** The keys a provider's declaration needs, e.g. `twilio_sms.account_sid.label`. */
function neededKeys(): string[] {
  const keys: string[] = [];
  for (const provider of BUILTIN_PROVIDERS) {
    for (const field of provider.fields) {
      keys.push(`${provider.id}.${field.name}.label`);
      if (field.help !== undefined) keys.push(`${provider.id}.${field.name}.help`);
      for (const option of field.options ?? []) keys.push(`${provider.id}.${field.name}.options.${option}`);
    }
  }
  return keys;
}

function lookup(tree: Record<string, Record<string, FieldTexts>>, key: string): unknown {
  const [providerId, fieldName, part, option] = splitKey(key);
  const field = tree[providerId]?.[fieldName];
  if (!field) return undefined;
  return part === 'options' ? field.options?.[option ?? ''] : field[part as 'label' | 'help'];
}

/** `<provider>.<field>.<part>[.<option>]`; an option value may itself hold dots or dashes (zh-CN). */
function splitKey(key: string): [string, string, string, string | undefined] {
  const [providerId = '', fieldName = '', part = '', ...rest] = key.split('.');
  return [providerId, fieldName, part, rest.length > 0 ? rest.join('.') : undefined];
}

function flattenKeys(tree: Record<string, Record<string, FieldTexts>>): string[] {
  const keys: string[] = [];
  for (const [providerId, fields] of Object.entries(tree)) {
    for (const [fieldName, texts] of Object.entries(fields)) {
      for (const [part, value] of Object.entries(texts)) {
        if (part === 'options' && value && typeof value === 'object') for (const option of Object.keys(value)) keys.push(`${providerId}.${fieldName}.options.${option}`);
        else keys.push(`${providerId}.${fieldName}.${part}`);
      }
    }
  }
  return keys;
}

describe('provider settings forms in every console language', () => {
  it('covers real providers (the registry is not empty)', () => {
    expect(BUILTIN_PROVIDERS.length).toBeGreaterThan(10);
    expect(neededKeys()).toContain('twilio_sms.account_sid.label');
  });

  for (const [language, tree] of Object.entries(files)) {
    it(`${language}: every label, help text and option of every provider is translated`, () => {
      const missing = neededKeys().filter((key) => {
        const text = lookup(tree, key);
        return typeof text !== 'string' || text.trim() === '';
      });
      expect(missing).toEqual([]);
    });

    it(`${language}: names no provider, field, help text or option the server does not declare`, () => {
      const needed = new Set(neededKeys());
      expect(flattenKeys(tree).filter((key) => !needed.has(key))).toEqual([]);
    });
  }

  it('the English file says what the server says (labels and help texts), so both stay in step', () => {
    const drift: string[] = [];
    for (const provider of BUILTIN_PROVIDERS) {
      for (const field of provider.fields) {
        const texts = files.en[provider.id]?.[field.name];
        if (texts?.label !== field.label) drift.push(`${provider.id}.${field.name}.label`);
        if (field.help !== undefined && texts?.help !== field.help) drift.push(`${provider.id}.${field.name}.help`);
      }
    }
    expect(drift).toEqual([]);
  });

  it('names every provider type in both languages (settings:providers.types)', () => {
    for (const language of ['en', 'zh-CN']) {
      const settings = JSON.parse(readFileSync(join(root, language, 'settings.json'), 'utf8')) as { providers: { types: Record<string, unknown> } };
      const unnamed = BUILTIN_PROVIDERS.filter((p) => typeof settings.providers.types[p.id] !== 'string').map((p) => `${language}: ${p.id}`);
      expect(unnamed).toEqual([]);
    }
  });

  it('Chinese labels are Chinese: a label identical to the English is a forgotten translation unless it is a product or credential name', () => {
    const sameAsEnglish = neededKeys()
      .filter((key) => key.endsWith('.label'))
      .filter((key) => lookup(files['zh-CN'], key) === lookup(files.en, key))
      .map((key) => lookup(files.en, key) as string)
      // Vendor credential and product names are spelled as in the vendor's own (Chinese) console.
      .filter((label) => !/^(URL|Webhook URL|Account SID|Messaging Service SID|AccessKey ID|SecretId|SecretKey|SmsSdkAppId|VoiceSdkAppid|App ID|AgentId)$/.test(label));
    expect(sameAsEnglish).toEqual([]);
  });
});
