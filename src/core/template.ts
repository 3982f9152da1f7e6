import type { FieldError } from './errors.js';
import type { Compiled } from './filter.js';

/**
 * The label template sandbox: plain string substitution, never code. `{{ title }}`, `{{ description }}`,
 * `{{ severity }}` and `{{ labels.<name> }}` (spaces inside the braces optional). A missing label or
 * field renders as the empty string, so a template never fails at ingest time; every syntax problem is
 * found once, when the template is saved. Text outside `{{ }}` is copied as is (a lone `}}` included).
 */

export interface TemplateContext {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly severity?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export type Template = (context: TemplateContext) => string;

type Part = { readonly text: string } | { readonly field: 'title' | 'description' | 'severity' } | { readonly label: string };

export const TEMPLATE_MAX_LENGTH = 2048;
/** Rendering stops past this many UTF-16 units: every output (a label, a title, a description) is cut shorter. */
export const TEMPLATE_OUTPUT_MAX = 8192;

/** Parses a template once into literal and placeholder parts; reports unknown names and unclosed braces. */
export function compileTemplate(source: string, field: string): Compiled<Template> {
  if (typeof source !== 'string') return { ok: false, errors: [{ field, message: 'must be a string' }] };
  if (source.length > TEMPLATE_MAX_LENGTH) return { ok: false, errors: [{ field, message: `must be at most ${TEMPLATE_MAX_LENGTH} characters` }] };
  const parts: Part[] = [];
  const errors: FieldError[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) {
      errors.push({ field, message: `unclosed {{ at character ${open + 1}` });
      break;
    }
    const expr = source.slice(open + 2, close).trim();
    const part = placeholder(expr);
    if (part) parts.push(part);
    else errors.push({ field, message: `unknown placeholder {{ ${expr} }}: use title, description, severity or labels.<name>` });
    i = close + 2;
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: (ctx) => {
      let out = '';
      for (const part of parts) {
        out += render(part, ctx);
        if (out.length >= TEMPLATE_OUTPUT_MAX) return out.slice(0, TEMPLATE_OUTPUT_MAX);
      }
      return out;
    },
  };
}

function placeholder(expr: string): Part | undefined {
  if (expr === 'title' || expr === 'description' || expr === 'severity') return { field: expr };
  const m = /^labels\.(\S+)$/.exec(expr);
  return m?.[1] ? { label: m[1] } : undefined;
}

function render(part: Part, ctx: TemplateContext): string {
  if ('text' in part) return part.text;
  if ('field' in part) return ctx[part.field] ?? '';
  return Object.hasOwn(ctx.labels, part.label) ? (ctx.labels[part.label] ?? '') : '';
}
