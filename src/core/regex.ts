import { RE2JS } from 're2js';
import type { FieldError } from './errors.js';

/**
 * Every regular expression a user writes (filter `/re/` values, enrichment `extract`, email rules,
 * routing, provider field patterns) runs on RE2 (`re2js`, pure JavaScript): matching time is linear
 * in the text, whatever the pattern, so no pattern can stall the event loop (ADR 0025).
 *
 * RE2 has no look-around and no back-references; such patterns are refused at save time with a
 * message naming the field. A match scans at most {@link MAX_SCANNED_TEXT} characters of its subject:
 * ingest bounds titles, descriptions and label values well below that, and an email body is the only
 * longer subject (its tail is not searched).
 */

export const MAX_REGEX_LENGTH = 512;
/** Characters of a subject a match looks at. */
export const MAX_SCANNED_TEXT = 8192;

/** The part of a match a caller can use: the whole match, numbered groups and named groups. */
export interface RegexMatch {
  readonly match: string;
  /** Group 1..n; `undefined` where a group did not take part. */
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>>;
}

/** A compiled user regex: linear-time, unanchored (like grep), with a bounded subject. */
export interface SafeRegex {
  readonly source: string;
  readonly ignoreCase: boolean;
  readonly groupCount: number;
  readonly groupNames: readonly string[];
  test(text: string): boolean;
  exec(text: string): RegexMatch | undefined;
}

export type CompiledRegex = { readonly ok: true; readonly value: SafeRegex } | { readonly ok: false; readonly errors: FieldError[] };

/** Compiles `source` (a leading `(?i)` is the `i` flag) or explains, keyed by `field`, why it cannot. */
export function compileRegex(source: string, flags: '' | 'i', field: string): CompiledRegex {
  let src = source;
  let ignoreCase = flags === 'i';
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    ignoreCase = true;
  }
  if (src.length === 0) return refuse(field, 'empty regular expression');
  if (src.length > MAX_REGEX_LENGTH) return refuse(field, `regular expression must be at most ${MAX_REGEX_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(src, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : 'invalid';
    return refuse(field, `invalid regular expression (RE2 syntax: no look-around or back-references): ${detail.slice(0, 200)}`);
  }
  const groupNames = Object.keys(re.namedGroups());
  const groupCount = re.groupCount();
  const scan = (text: string) => (text.length > MAX_SCANNED_TEXT ? text.slice(0, MAX_SCANNED_TEXT) : text);
  return {
    ok: true,
    value: {
      source: src,
      ignoreCase,
      groupCount,
      groupNames,
      test: (text) => re.matcher(scan(text)).find(),
      exec(text) {
        const matcher = re.matcher(scan(text));
        if (!matcher.find()) return undefined;
        const groups: (string | undefined)[] = [];
        for (let i = 1; i <= groupCount; i += 1) groups.push(matcher.group(i) ?? undefined);
        const named: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
        for (const name of groupNames) named[name] = matcher.group(name) ?? undefined;
        return { match: matcher.group() ?? '', groups, named };
      },
    },
  };
}

function refuse(field: string, message: string): CompiledRegex {
  return { ok: false, errors: [{ field, message }] };
}
