/**
 * Title templates (SPEC §3 "Title templates"): a `title_rule` may reference labels as `$name`
 * (e.g. `$resource::$check`) or `{{ labels.name }}`. Pure: no I/O, no evaluation of code.
 */

// `$$` is a literal dollar; `$name` takes identifier characters only, so `$resource::$check` and
// `$host-down` read as the labels `resource`, `check` and `host`.
// `{{ labels.name }}` takes any non-space, non-brace characters, so `{{ labels.kubernetes.io/name }}` works.
const TOKEN = /\$\$|\$([A-Za-z_][A-Za-z0-9_]*)|\{\{\s*labels\.([^\s{}]+)\s*\}\}/g;

/**
 * Renders a title template against labels. A `$name` whose label is missing stays as written (titles
 * often contain prices and shell variables); a missing `{{ labels.x }}` renders as the empty string.
 */
export function renderTitle(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(TOKEN, (match: string, dollarName: string | undefined, braceName: string | undefined) => {
    if (match === '$$') return '$';
    if (dollarName !== undefined) return Object.hasOwn(labels, dollarName) ? (labels[dollarName] ?? '') : match;
    if (braceName !== undefined) return Object.hasOwn(labels, braceName) ? (labels[braceName] ?? '') : '';
    return match;
  });
}
