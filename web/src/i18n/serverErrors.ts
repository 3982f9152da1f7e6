import type { TFunction } from 'i18next';

/**
 * Server messages in the reader's language. The API answers in English, in the SPEC error envelope:
 * a stable `code`, and for field errors a message made of "field: rule" parts joined by "; ". The
 * console translates what it can recognise — the code, and each rule by pattern (namespace `errors`)
 * — and keeps the server's English for anything else, so a new server rule is never hidden.
 */
interface RulePattern {
  pattern: RegExp;
  key: string;
  /** Names for the pattern's capture groups, passed to the translation as values. */
  names?: readonly string[];
}

const RULES: readonly RulePattern[] = [
  { pattern: /^is required$/, key: 'required' },
  { pattern: /^must not be empty$/, key: 'notEmpty' },
  { pattern: /^is not a known field$/, key: 'unknownField' },
  { pattern: /^is not valid JSON$/, key: 'notJson' },
  { pattern: /^is too large$/, key: 'tooLarge' },
  { pattern: /^must be at most (\d+) characters$/, key: 'maxLength', names: ['count'] },
  { pattern: /^must be at least (\d+) characters$/, key: 'minLength', names: ['count'] },
  { pattern: /^must NOT have more than (\d+) characters$/, key: 'maxLength', names: ['count'] },
  { pattern: /^must NOT have fewer than (\d+) characters?$/, key: 'minLength', names: ['count'] },
  { pattern: /^must be >= (-?[\d.]+)$/, key: 'min', names: ['limit'] },
  { pattern: /^must be <= (-?[\d.]+)$/, key: 'max', names: ['limit'] },
  { pattern: /^must be array$/, key: 'array' },
  { pattern: /^must be 1–(\d+) characters$/, key: 'lengthRange', names: ['count'] },
  { pattern: /^must be (?:a )?string$/, key: 'string' },
  { pattern: /^must be (?:an )?object$/, key: 'object' },
  { pattern: /^must be (?:a )?number$/, key: 'number' },
  { pattern: /^must be integer$/, key: 'integer' },
  { pattern: /^must be boolean$|^must be true or false$/, key: 'boolean' },
  { pattern: /^must be an integer from (-?\d+) to (-?\d+)(?: \(.*\))?$/, key: 'integerRange', names: ['min', 'max'] },
  { pattern: /^must be an email address$|^must match format "email"$/, key: 'email' },
  { pattern: /^must be an E\.164 phone number.*$/, key: 'phone' },
  { pattern: /^must be an http:\/\/ or https:\/\/ URL$/, key: 'url' },
  { pattern: /^must be an IANA time zone.*$/, key: 'timeZone' },
  { pattern: /^must be Critical, Warning or Info$/, key: 'severity' },
  { pattern: /^must be one of (.+)$/, key: 'oneOf', names: ['values'] },
  { pattern: /^must be equal to one of the allowed values$/, key: 'allowedValue' },
  { pattern: /^must be after start$/, key: 'afterStart' },
  { pattern: /^must differ from start$/, key: 'differFromStart' },
  { pattern: /^must be before to$/, key: 'beforeTo' },
  { pattern: /^must be in the future$/, key: 'future' },
  { pattern: /^must have at least 1 item$/, key: 'atLeastOne' },
  { pattern: /^must not repeat a choice$/, key: 'noRepeat' },
  { pattern: /^no team with this id$/, key: 'noTeam' },
  { pattern: /^no person with this id$/, key: 'noPerson' },
  { pattern: /^no such channel$/, key: 'noChannel' },
  { pattern: /^you must be a member of the (?:owning|management) team$/, key: 'teamMember' },
  { pattern: /^a person with this email already exists$/, key: 'emailTaken' },
  { pattern: /^is already a member of this team$/, key: 'alreadyMember' },
  { pattern: /^another custom field has this name$/, key: 'customFieldTaken' },
  { pattern: /^does not match the code we sent$/, key: 'codeMismatch' },
  { pattern: /^has expired or was never sent; request a new code$/, key: 'codeExpired' },
  { pattern: /^too many wrong attempts; request a new code$/, key: 'codeAttempts' },
  { pattern: /^was sent to a previous (email|phone); request a new code$/, key: 'codeStale' },
  { pattern: /^add a phone number to your profile first$/, key: 'addPhoneFirst' },
  { pattern: /^no verified contact method with a configured provider; verify an email or phone first$/, key: 'noVerifiedContact' },
  { pattern: /^a closed incident cannot be acknowledged; reopen it first$/, key: 'closedAck' },
  { pattern: /^a closed incident cannot be escalated; reopen it first$/, key: 'closedEscalate' },
  { pattern: /^a closed incident cannot be snoozed$/, key: 'closedSnooze' },
  { pattern: /^only a closed incident can be reopened$/, key: 'reopenOnlyClosed' },
  { pattern: /^the incident is not snoozed$/, key: 'notSnoozed' },
  { pattern: /^wrong email or password$/, key: 'wrongPassword' },
  { pattern: /^is not your current password$/, key: 'wrongCurrentPassword' },
  // Provider settings and rule forms (shown under the field they concern).
  { pattern: /^use either an incoming webhook URL or a bot token, not both$/, key: 'webhookOrBotNotBoth' },
  { pattern: /^enter an incoming webhook URL or a bot token$/, key: 'webhookOrBot' },
  { pattern: /^enter a From number or a Messaging Service SID$/, key: 'fromOrService' },
  { pattern: /^is required for interactive buttons \(or choose link buttons\)$/, key: 'signingSecretForButtons' },
  { pattern: /^has no stored value to keep: enter the secret$/, key: 'secretNotStored' },
  { pattern: /^is required with a password$/, key: 'requiredWithPassword' },
  { pattern: /^must be a robot webhook URL …\/robot\/send\?access_token=<token> \(without timestamp or sign\)$/, key: 'dingtalkWebhook' },
  { pattern: /^must be a custom bot webhook URL ending in \/open-apis\/bot\/v2\/hook\/<token>$/, key: 'feishuWebhook' },
  { pattern: /^WeCom markdown cannot @ by mobile: choose message type "text" or @ by user id$/, key: 'wecomMarkdownMobile' },
  { pattern: /^must be (?:a time )?HH:(?:MM|mm) from 00:00 to (\d\d:\d\d)$/, key: 'clockTime', names: ['last'] },
  { pattern: /^must be 1–40 characters: a lower-case letter, then letters, digits or _$/, key: 'fieldName' },
  { pattern: /^must be a unix time in milliseconds$/, key: 'unixMillis' },
  { pattern: /^must be a number from (-?[\d.]+) to (-?[\d.]+)$/, key: 'numberRange', names: ['min', 'max'] },
  { pattern: /^must list ISO weekdays 1 \(Monday\) to 7 \(Sunday\)$/, key: 'isoWeekdays' },
  { pattern: /^must be a label name of 1–128 characters$/, key: 'labelName' },
  { pattern: /^must be a non-empty list of conditions$/, key: 'conditions' },
  { pattern: /^must be a regular expression \(a string\)$/, key: 'regexString' },
  { pattern: /^needs at least one named group such as \(\?<host>\[\^ \]\+\)$/, key: 'namedGroup' },
  { pattern: /^value is too long to match exactly$/, key: 'valueTooLong' },
  { pattern: /^the incident has no labels to silence by$/, key: 'noLabelsToSilence' },
  { pattern: /^must list the label names to look up$/, key: 'labelNamesToLookUp' },
  { pattern: /^signature does not verify$/, key: 'signatureInvalid' },
  { pattern: /^must be a group robot webhook URL …\/cgi-bin\/webhook\/send\?key=<key>$/, key: 'wecomWebhook' },
  { pattern: /^must be a Discord webhook URL …\/api\/webhooks\/<id>\/<token> without a query$/, key: 'discordWebhook' },
  { pattern: /^must be a Workflows trigger URL …\/workflows\/<id>\/triggers\/manual\/paths\/invoke\?…&sig=…$/, key: 'teamsWorkflow' },
  { pattern: /^an incoming webhook posts to its own channel; leave empty$/, key: 'incomingWebhookChannel' },
  { pattern: /^at most (\d+) headers$/, key: 'maxHeaders', names: ['count'] },
  { pattern: /^line (\d+) must look like "Name: value"$/, key: 'headerLine', names: ['line'] },
  { pattern: /^line (\d+): ([\w-]+) is set by Tocsin$/, key: 'headerSetByTocsin', names: ['line', 'header'] },
  { pattern: /^line (\d+): the value has control characters$/, key: 'headerControl', names: ['line'] },
  { pattern: /^is required with a username$/, key: 'requiredWithUsername' },
  { pattern: /^is not the private key of the VAPID public key$/, key: 'vapidPair' },
  { pattern: /^must match (.+)$/, key: 'pattern', names: ['pattern'] },
  { pattern: /^is not a setting of (.+)$/, key: 'notASetting', names: ['provider'] },
];

/** Codes whose message is a sentence for the whole request rather than "field: rule" parts. */
const WHOLE_MESSAGE_CODES = new Set(['Unauthorized', 'AccessDenied', 'ResourceNotFound', 'RequestTooFrequently', 'InternalError', 'ServiceUnavailable', 'NetworkError', 'PayloadTooLarge', 'InvalidContentType', 'Unroutable']);

/** Translates one rule ("must not be empty"), or returns undefined when it is not a known one. */
export function translateRule(rule: string, t: TFunction): string | undefined {
  for (const { pattern, key, names = [] } of RULES) {
    const match = pattern.exec(rule.trim());
    if (!match) continue;
    const values: Record<string, string | number> = {};
    names.forEach((name, index) => {
      const raw = match[index + 1] ?? '';
      values[name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    });
    return t(`errors:rules.${key}`, values);
  }
  return undefined;
}

/** "name: must not be empty; team_id: is required" → each part translated, field names kept. */
function translateParts(message: string, t: TFunction): string | undefined {
  const parts = message.split('; ');
  let translatedAny = false;
  const out = parts.map((part) => {
    const m = /^([\w.[\]-]+): (.+)$/s.exec(part);
    const translated = translateRule(m ? (m[2] ?? '') : part, t);
    if (translated === undefined) return part;
    translatedAny = true;
    return m ? t('errors:fieldRule', { field: m[1], rule: translated }) : translated;
  });
  return translatedAny ? out.join(t('errors:separator')) : undefined;
}

/**
 * The text to show for an API error: a translated rule when the message is one the console knows,
 * the code's own sentence for whole-request errors in a language other than English, else the
 * server's English message as it is.
 */
export function translateServerMessage(code: string, message: string, t: TFunction, language: string): string {
  const byRule = translateParts(message, t);
  if (byRule !== undefined) return byRule;
  if (language !== 'en' && WHOLE_MESSAGE_CODES.has(code)) {
    const key = `errors:codes.${code}`;
    const translated = t(key, { defaultValue: '', detail: message });
    if (translated) return translated;
  }
  return message;
}
