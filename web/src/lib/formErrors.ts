import type { UseFormReturnType } from '@mantine/form';
import { isApiError } from '../api/http';
import { errorMessage, notifyError } from './notify';

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
