import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/http';
import { i18next } from '../i18n';
import { translateServerMessage } from '../i18n/serverErrors';

/**
 * Human text for any thrown value, in the console's language (see i18n/serverErrors.ts). API
 * messages start with the field they concern ("name: already taken"), useful in logs but noise to
 * a person reading it in the console.
 */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    const field = error.field?.replace(/^body\./, '');
    const single = field && error.message.startsWith(`${field}: `) && !error.message.includes('; ');
    const message = translateServerMessage(error.code, single ? error.message.slice(field.length + 2) : error.message, i18next.t, i18next.language);
    return message.charAt(0).toUpperCase() + message.slice(1);
  }
  if (error instanceof Error && error.message) return error.message;
  return i18next.t('common:errors.generic');
}

/** Shows an error in a toast, with the request id when there is one so support can find it. */
export function notifyError(error: unknown, title = i18next.t('common:errors.requestFailed')): void {
  const requestId = isApiError(error) ? error.requestId : undefined;
  notifications.show({
    color: 'red',
    title,
    message: requestId ? i18next.t('common:errors.withRequestId', { message: errorMessage(error), requestId }) : errorMessage(error),
    autoClose: 8000,
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 3000 });
}
