/**
 * Email integrations (SPEC §3.1 "Email"): a parsed email plus the integration's `source_options` →
 * normalized events. Pure: the SMTP listener parses the message and supplies the clock.
 *
 * Options (all snake_case, validated on save by {@link validateEmailOptions}):
 * - `mode: "per_email"` (default) — every email is one new alert, keyed by its Message-ID so a
 *   re-delivered email is deduplicated rather than opening a second incident.
 * - `mode: "rules"` — `trigger_subject` and `recover_subject` regexes classify an email by its
 *   subject; `alert_key` (one capture group, or a named group `key`) extracts the alert key from the
 *   subject so a recovery email finds the alert its problem email opened. An email matching neither
 *   is ignored (accepted with 250 and nothing opened), or triggers when `unmatched: "trigger"`.
 * - `severity` — severity of triggered alerts (Critical, Warning, Info; default Warning).
 *
 * Regexes are JavaScript, unanchored (write `^…$` to anchor), a leading `(?i)` makes them
 * case-insensitive; they are guarded like every other user regex (core/filter `compileSafeRegex`).
 */
import { ownValue } from '../../core/lookup.js';
import { createHash } from 'node:crypto';
import type { FieldError } from '../../core/errors.js';
import { compileSafeRegex, type Compiled } from '../../core/filter.js';
import type { SafeRegex } from '../../core/regex.js';
import { SourceError, type NormalizedEvent, type Severity } from '../model.js';
import { charLength, labelsOf, truncate } from '../sources/read.js';

/** An email as the listener hands it over, after MIME parsing. */
export interface InboundEmail {
  /** Decoded Subject header ('' when absent). */
  readonly subject: string;
  /** The text/plain body ('' when the message has none). */
  readonly text: string;
  /** The text/html body, used when there is no text part. */
  readonly html?: string | undefined;
  /** Sender address (From header, else the envelope sender; '' when unknown). */
  readonly from: string;
  /** Addresses of the To header. */
  readonly to: readonly string[];
  /** Message-ID header, angle brackets included as sent. */
  readonly messageId?: string | undefined;
  /** Date header, unix milliseconds. */
  readonly date?: number | undefined;
  /** Single-valued headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What the listener knows besides the email: the integration address it arrived at, and the time. */
export interface EmailContext {
  /** `<prefix>@<inbound domain>`, recorded as the `to` label. */
  readonly address: string;
  /** Unix milliseconds (mappers never read the clock). */
  readonly now: number;
}

/** Maps one email to events (none when a rules-mode email is ignored), or throws a SourceError. */
export type EmailMapper = (email: InboundEmail, context: EmailContext) => NormalizedEvent[];

/** Bodies longer than this many characters are cut and labelled `body_cut=true` (SPEC: 32 KB). */
export const BODY_MAX = 32 * 1024;
const TITLE_MAX = 512;
/** Regexes look at no more of the subject than a filter looks at of any value. */
const SUBJECT_MATCH_MAX = 2048;
const SEVERITIES: readonly Severity[] = ['Critical', 'Warning', 'Info'];
const OPTIONS = ['mode', 'trigger_subject', 'recover_subject', 'alert_key', 'severity', 'unmatched'] as const;
const RULES_ONLY: readonly string[] = ['trigger_subject', 'recover_subject', 'alert_key', 'unmatched'];
const FIELD = 'settings.source_options';

interface EmailRules {
  readonly mode: 'per_email' | 'rules';
  readonly trigger: SafeRegex | undefined;
  readonly recover: SafeRegex | undefined;
  readonly key: SafeRegex | undefined;
  readonly severity: Severity;
  readonly unmatchedTriggers: boolean;
}

/** True when a regex can capture something: a named group `key` or at least one numbered group. */
function hasCaptureGroup(re: SafeRegex): boolean {
  return re.groupCount > 0;
}

function compileRegexOption(options: Readonly<Record<string, unknown>>, key: string, errors: FieldError[]): SafeRegex | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push({ field: `${FIELD}.${key}`, message: 'must be a regular expression (a string)' });
    return undefined;
  }
  const compiled = compileSafeRegex(value, '', `${FIELD}.${key}`);
  if (!compiled.ok) {
    errors.push(...compiled.errors);
    return undefined;
  }
  return compiled.value;
}

/** Checks and compiles the options once; every broken rule is reported, keyed by field. */
function compileEmailOptions(options: Readonly<Record<string, unknown>>): Compiled<EmailRules> {
  const errors: FieldError[] = [];
  for (const key of Object.keys(options)) {
    if (!(OPTIONS as readonly string[]).includes(key)) errors.push({ field: `${FIELD}.${key}`, message: `is not an option of email integrations (${OPTIONS.join(', ')})` });
  }
  const mode = options.mode ?? 'per_email';
  if (mode !== 'per_email' && mode !== 'rules') errors.push({ field: `${FIELD}.mode`, message: 'must be per_email or rules' });
  const severity = options.severity ?? 'Warning';
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) errors.push({ field: `${FIELD}.severity`, message: 'must be Critical, Warning or Info' });
  const unmatched = options.unmatched ?? 'ignore';
  if (unmatched !== 'ignore' && unmatched !== 'trigger') errors.push({ field: `${FIELD}.unmatched`, message: 'must be ignore or trigger' });

  const trigger = compileRegexOption(options, 'trigger_subject', errors);
  const recover = compileRegexOption(options, 'recover_subject', errors);
  const key = compileRegexOption(options, 'alert_key', errors);
  if (key && !hasCaptureGroup(key)) errors.push({ field: `${FIELD}.alert_key`, message: 'needs one capture group or a named group key, such as ^\\[(?:PROBLEM|RECOVERY)\\] (.+)$' });

  if (mode === 'rules') {
    if (options.alert_key === undefined) errors.push({ field: `${FIELD}.alert_key`, message: 'is required in rules mode (it ties a recovery email to its problem email)' });
    if (options.trigger_subject === undefined && unmatched !== 'trigger') {
      errors.push({ field: `${FIELD}.trigger_subject`, message: 'is required in rules mode unless unmatched is trigger' });
    }
  } else if (mode === 'per_email') {
    for (const name of RULES_ONLY) if (options[name] !== undefined) errors.push({ field: `${FIELD}.${name}`, message: 'applies only when mode is rules' });
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { mode: mode === 'rules' ? 'rules' : 'per_email', trigger, recover, key, severity: severity as Severity, unmatchedTriggers: unmatched === 'trigger' },
  };
}

/** Every problem of an email integration's `source_options`, fields like `settings.source_options.alert_key`. */
export function validateEmailOptions(options: Readonly<Record<string, unknown>>): FieldError[] {
  const compiled = compileEmailOptions(options);
  return compiled.ok ? [] : compiled.errors;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(entity: string, name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return ownValue(ENTITIES, name.toLowerCase()) ?? entity;
}

const BLOCK_TAGS: ReadonlySet<string> = new Set(['p', 'div', 'tr', 'li', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'hr']);
const SKIPPED_TAGS: ReadonlySet<string> = new Set(['script', 'style', 'head', 'title']);

/**
 * Readable text of an HTML body, for emails without a text part: comments, scripts, styles and the
 * head go, block elements and `<br>` become line breaks, cells are tab-separated, other tags are
 * stripped and entities decoded. A single forward scan (no backtracking regex over the body), so a
 * hostile 5 MB body of unclosed tags costs linear time.
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      // A stray '<' with no tag after it is text.
      out += html.slice(lt);
      break;
    }
    const tag = /^<\/?\s*([a-zA-Z][a-zA-Z0-9]{0,15})/.exec(html.slice(lt, Math.min(gt, lt + 24)))?.[1]?.toLowerCase();
    const closing = html[lt + 1] === '/';
    i = gt + 1;
    if (tag === undefined) continue;
    if (!closing && SKIPPED_TAGS.has(tag)) {
      const close = new RegExp(`</${tag}\\s*>`, 'gi');
      close.lastIndex = i;
      const found = close.exec(html);
      i = found ? found.index + found[0].length : html.length;
    } else if (tag === 'br' || BLOCK_TAGS.has(tag)) {
      out += '\n';
    } else if (closing && (tag === 'td' || tag === 'th')) {
      out += '\t';
    }
  }
  return out
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, name: string) => decodeEntity(entity, name))
    .replace(/[ \t\u00a0\r]+/g, (run) => (run.includes('\t') ? '\t' : ' '))
    .replace(/[ \t]?\n[ \t]?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The body as description: the text part, else the HTML's text; leading blank lines and trailing space dropped. */
function bodyOf(email: InboundEmail): { text: string; cut: boolean } {
  const raw = email.text.trim() !== '' ? email.text : email.html ? htmlToText(email.html) : '';
  const text = raw.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
  if (charLength(text) <= BODY_MAX) return { text, cut: false };
  return { text: truncate(text, BODY_MAX), cut: true };
}

/** A stable key per email: the Message-ID when there is one, else what a re-delivery repeats. */
function perEmailKey(email: InboundEmail): string {
  const identity = email.messageId?.trim() ? ['message-id', email.messageId.trim()] : ['content', email.from, email.subject, email.date ?? null, email.text];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** The alert key the `alert_key` regex extracts from the subject, or undefined when it does not match. */
function keyFromSubject(key: SafeRegex, subject: string): string | undefined {
  const match = key.exec(subject);
  if (!match) return undefined;
  const captured = match.named.key ?? match.groups.find((g) => g !== undefined && g !== '');
  const trimmed = captured?.trim();
  return trimmed ? truncate(trimmed, 255) : undefined;
}

/** Builds the mapper of an email integration from its `source_options` (validated on save). */
export function createEmailMapper(options: Readonly<Record<string, unknown>>): EmailMapper {
  const compiled = compileEmailOptions(options);
  if (!compiled.ok) {
    const [first] = compiled.errors;
    // Settings are validated on save, so this only happens to rows written before a rule tightened.
    throw new SourceError(first?.field ?? FIELD, `${first?.message ?? 'is invalid'} (fix the integration settings)`);
  }
  const rules = compiled.value;

  return (email, context) => {
    const subject = email.subject.replace(/\s+/g, ' ').trim();
    const body = bodyOf(email);
    const messageId = email.messageId?.trim();
    const base = {
      title: truncate(subject || '(no subject)', TITLE_MAX),
      description: body.text,
      labels: labelsOf({ from: email.from.toLowerCase(), to: context.address, message_id: messageId, ...(body.cut && { body_cut: 'true' }) }),
      eventTime: email.date !== undefined && Number.isFinite(email.date) && email.date > 0 ? email.date : context.now,
    };
    const trigger = (alertKey: string): NormalizedEvent[] => [{ ...base, status: rules.severity, action: 'trigger', alertKey }];

    if (rules.mode === 'per_email') return trigger(perEmailKey(email));

    const probe = subject.slice(0, SUBJECT_MATCH_MAX);
    const keyOf = (kind: string): string => {
      const key = rules.key ? keyFromSubject(rules.key, probe) : undefined;
      if (key === undefined) throw new SourceError('subject', `matched ${kind} but the alert_key pattern /${rules.key?.source ?? ''}/ captured no key from "${truncate(probe, 200)}"`);
      return key;
    };
    // Recovery wins when both patterns match: a mis-written trigger pattern must not keep alerts open.
    if (rules.recover?.test(probe)) return [{ ...base, status: 'Ok', action: 'resolve', alertKey: keyOf('recover_subject') }];
    if (rules.trigger?.test(probe)) return trigger(keyOf('trigger_subject'));
    if (!rules.unmatchedTriggers) return [];
    const key = rules.key ? keyFromSubject(rules.key, probe) : undefined;
    return trigger(key ?? perEmailKey(email));
  };
}
