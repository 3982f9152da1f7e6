import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/http';

/**
 * Human text for any thrown value. API messages start with the field they concern
 * ("name: already taken"), useful in logs but noise to a person reading it in the console.
 */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    const field = error.field?.replace(/^body\./, '');
    const message = field && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
    return message.charAt(0).toUpperCase() + message.slice(1);
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** Shows an error in a toast, with the request id when there is one so support can find it. */
export function notifyError(error: unknown, title = 'Could not complete the request'): void {
  const requestId = isApiError(error) ? error.requestId : undefined;
  notifications.show({
    color: 'red',
    title,
    message: requestId ? `${errorMessage(error)} (request ${requestId})` : errorMessage(error),
    autoClose: 8000,
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 3000 });
}
