import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The console's translations (web/src/locales/<language>/<namespace>.json) must say the same things in
 * every language: a key in one and not the other shows a raw key or an English string to a Chinese
 * reader, and a placeholder missing from one side drops a name or a number from the sentence.
 */
const root = join(import.meta.dirname, '../../web/src/locales');
const languages = readdirSync(root).sort();

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') {
    out.set(prefix, value);
    return out;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${prefix}: only strings and objects are allowed`);
  for (const [key, child] of Object.entries(value)) {
    for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

function load(language: string): Map<string, Map<string, string>> {
  const namespaces = new Map<string, Map<string, string>>();
  for (const file of readdirSync(join(root, language)).filter((f) => f.endsWith('.json'))) {
    namespaces.set(file.replace(/\.json$/, ''), flatten(JSON.parse(readFileSync(join(root, language, file), 'utf8'))));
  }
  return namespaces;
}

/** i18next plural forms differ by language (English: _one/_other; Chinese: _other only). */
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

describe('console translations', () => {
  it('has English and Simplified Chinese', () => {
    expect(languages).toEqual(['en', 'zh-CN']);
  });

  const english = load('en');
  const chinese = load('zh-CN');

  it('has the same namespaces in every language', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  for (const [namespace, en] of english) {
    it(`${namespace}: every key exists in both languages with the same placeholders`, () => {
      const zh = chinese.get(namespace) ?? new Map<string, string>();
      const enKeys = new Set([...en.keys()].map(baseKey));
      const zhKeys = new Set([...zh.keys()].map(baseKey));
      expect([...enKeys].filter((k) => !zhKeys.has(k)), 'missing in zh-CN').toEqual([]);
      expect([...zhKeys].filter((k) => !enKeys.has(k)), 'missing in en').toEqual([]);
      for (const [key, text] of en) {
        expect(text.trim(), `${namespace}:${key} is empty in en`).not.toBe('');
        const zhText = zh.get(key) ?? zh.get(`${baseKey(key)}_other`) ?? '';
        expect(zhText.trim(), `${namespace}:${key} is empty in zh-CN`).not.toBe('');
        expect(placeholders(zhText), `${namespace}:${key} placeholders`).toEqual(placeholders(text));
      }
    });
  }
});
