import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/http';

/** Human text for any thrown value; API errors carry a message meant for people already. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
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
