import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The Chinese walks only see what they open; a tooltip, a toast or an empty state they never reach can
 * still hold English typed straight into the JSX. This lists, in the console's source, literal English in
 * JSX text and in the props people read (label, title, placeholder, aria-label, description, tooltip),
 * and literal messages given to the toast helpers. Brand and technical names, URLs and acronyms are fine.
 */
const WEB = join(import.meta.dirname, '../../web/src');

/** Words that are the same in every language of the console. */
const ALLOWED = new Set(['tocsin', 'authorization', 'bearer', 'key', 'webhook', 'slack', 'twilio', 'prometheus', 'grafana', 'json', 'markdown', 'curl']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx$/.test(name) && !/\.test\./.test(name) ? [path] : [];
  });
}

/** True when `text` holds a word a Chinese reader would have to read in English. */
export function englishUiText(text: string): boolean {
  const rest = text.replace(/\bhttps?:\/\/\S+/g, ' ').replace(/&[a-z]+;/g, ' ').replace(/\S*[\d_./#@=:{}<>[\]]\S*/g, ' ');
  return (rest.match(/[A-Za-z][a-z]{2,}/g) ?? []).some((word) => !ALLOWED.has(word.toLowerCase()));
}

const PROP = /\b(label|title|placeholder|aria-label|description|tooltip)=(?:"([^"]*)"|\{'([^']*)'\}|\{`([^`$]*)`\})/g;
const INLINE_TEXT = />\s*([A-Za-z][^<>{}=;()]*?)\s*</g;
const TEXT_LINE = /^\s*([A-Z][a-z]+(?: [A-Za-z’',.!?-]+)+)\s*$/;
/** A literal given straight to a toast helper: notifySuccess('…') or notifyError(error, '…'), not t('…'). */
const TOAST = /\bnotify(?:Success|Error|Info)\((?:[\w.?]+,\s*)?(['"`])([^'"`]*)\1/g;

function literals(where: string, source: string): string[] {
  const found: string[] = [];
  source
    .split('\n')
    .forEach((line, index) => {
      const at = `${where}:${index + 1}`;
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments
      for (const m of line.matchAll(PROP)) {
        const text = m[2] ?? m[3] ?? m[4] ?? '';
        if (englishUiText(text)) found.push(`${at} ${m[1]}="${text}"`);
      }
      for (const m of line.matchAll(INLINE_TEXT)) if (englishUiText(m[1] ?? '') && !/\b(void|Record|Promise|string|number)\b/.test(m[1] ?? '')) found.push(`${at} text "${m[1]}"`);
      const whole = TEXT_LINE.exec(line);
      if (whole && englishUiText(whole[1] ?? '')) found.push(`${at} text "${whole[1]}"`);
      for (const m of line.matchAll(TOAST)) if (englishUiText(m[2] ?? '')) found.push(`${at} toast "${m[2]}"`);
    });
  return found;
}

describe('no English typed straight into the console', () => {
  it('recognises English UI text and leaves names, URLs and acronyms alone', () => {
    expect(englishUiText('Save changes')).toBe(true);
    expect(englishUiText('No incidents yet')).toBe(true);
    expect(englishUiText('MTTA')).toBe(false);
    expect(englishUiText('https://example.com/tocsin-events')).toBe(false);
    expect(englishUiText('Authorization: Bearer &lt;key&gt;')).toBe(false);
    const sample = ['<Tooltip label="Copy the key">', "  notifySuccess('Saved');", '        No channels yet', '<Text>{t(\'empty\')}</Text>', "notifyError(error, t('failed'));"].join('\n');
    expect(literals('sample.tsx', sample)).toEqual(['sample.tsx:1 label="Copy the key"', 'sample.tsx:2 toast "Saved"', 'sample.tsx:3 text "No channels yet"']);
  });

  it('finds none in web/src (every UI string goes through t())', () => {
    const files = sourceFiles(WEB);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => literals(relative(WEB, file), readFileSync(file, 'utf8')))).toEqual([]);
  });
});
