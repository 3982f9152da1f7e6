/**
 * Title templates (SPEC §3 "Title templates"): a `title_rule` may reference labels as `$name`
 * (e.g. `$resource::$check`) or `{{ labels.name }}`. Pure: no I/O, no evaluation of code.
 */

// `$$` is a literal dollar; `$name` takes identifier characters only, so `$resource::$check` and
// `$host-down` read as the labels `resource`, `check` and `host`.
// `{{ labels.name }}` takes any non-space, non-brace characters, so `{{ labels.kubernetes.io/name }}` works.
const TOKEN = /\$\$|\$([A-Za-z_][A-Za-z0-9_]*)|\{\{\s*labels\.([^\s{}]+)\s*\}\}/g;

/** The part of a `title_rule` that is read; a longer rule could only produce a longer title. */
export const TITLE_RULE_SCAN_MAX = 16_384;

/**
 * Renders a title template against labels. A `$name` whose label is missing stays as written (titles
 * often contain prices and shell variables); a missing `{{ labels.x }}` renders as the empty string.
 * Rendering stops once the output holds `maxChars` characters (`"$a"` × 50 000 with a 2 KB label must
 * not build a 100 MB string to keep 512 characters of it); the caller truncates to exactly `maxChars`.
 */
export function renderTitle(template: string, labels: Readonly<Record<string, string>>, maxChars = Number.POSITIVE_INFINITY): string {
  const source = template.length > TITLE_RULE_SCAN_MAX ? template.slice(0, TITLE_RULE_SCAN_MAX) : template;
  // Two UTF-16 units per character is enough to hold maxChars characters, surrogate pairs included.
  const budget = maxChars * 2;
  const parts: string[] = [];
  let length = 0;
  let last = 0;
  const push = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match !== null && length < budget; match = TOKEN.exec(source)) {
    push(source.slice(last, match.index));
    last = match.index + match[0].length;
    const [token, dollarName, braceName] = match;
    if (token === '$$') push('$');
    else if (dollarName !== undefined) push(Object.hasOwn(labels, dollarName) ? (labels[dollarName] ?? '') : token);
    else if (braceName !== undefined) push(Object.hasOwn(labels, braceName) ? (labels[braceName] ?? '') : '');
  }
  if (length < budget) push(source.slice(last));
  const out = parts.join('');
  return out.length > budget ? out.slice(0, budget) : out;
}
