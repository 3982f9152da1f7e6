import type { UseFormReturnType } from '@mantine/form';
import { isApiError } from '../api/http';
import { errorMessage, notifyError } from './notify';
import { i18next } from '../i18n';
import { translateRule } from '../i18n/serverErrors';

/** The server names fields by their JSON path; `body.name` and `name` both mean the `name` input. */
export function formFieldFromServer(field: string): string {
  return field.replace(/^body\./, '');
}

/**
 * Puts a server error under the input it concerns, or in a toast when it concerns no input
 * on this form. `aliases` maps server field names to form field names where they differ.
 */
export function showServerError<Values extends Record<string, unknown>>(
  form: UseFormReturnType<Values>,
  error: unknown,
  aliases: Record<string, keyof Values & string> = {},
): void {
  if (isApiError(error) && error.field) {
    const serverField = formFieldFromServer(error.field);
    const topLevel = serverField.split(/[.[]/)[0] ?? serverField;
    const formField = aliases[serverField] ?? aliases[topLevel] ?? topLevel;
    if (Object.prototype.hasOwnProperty.call(form.getValues(), formField)) {
      form.setFieldError(formField, errorMessage(error));
      return;
    }
  }
  notifyError(error);
}

/**
 * Every field error of a 400, keyed by dotted field (`grouping.window.minutes`). The server names
 * the first field in `error.field` and lists all of them in the message ("a: rule; b: rule").
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.status !== 400) return {};
  const out: Record<string, string> = {};
  for (const part of error.message.split('; ')) {
    const m = /^([\w.[\]-]+): (.+)$/s.exec(part);
    if (m?.[1] && m[2]) {
      const rule = translateRule(m[2], i18next.t) ?? m[2];
      out[formFieldFromServer(m[1])] = rule.charAt(0).toUpperCase() + rule.slice(1);
    }
  }
  if (error.field && Object.keys(out).length === 0) out[formFieldFromServer(error.field)] = errorMessage(error);
  return out;
}

/** The first error at `field` or below it (`grouping.by` also shows `grouping.by[2]`). */
export function errorAt(errors: Record<string, string>, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`) || k.startsWith(`${field}[`));
  return key ? errors[key] : undefined;
}
