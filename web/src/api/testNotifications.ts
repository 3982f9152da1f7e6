import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { i18next } from '../i18n';
import { methodLabel } from '../lib/methods';
import { api, call } from './http';
import type { ResponseOf } from './types';

export type TestResult = ResponseOf<'/api/v1/notification-providers/{id}/test', 'post'>;

/** Shows what a test send did: where it went and what the provider answered. */
export function showTestResult(result: TestResult): void {
  notifications.show({
    color: result.status === 'sent' ? 'teal' : 'red',
    title: i18next.t(result.status === 'sent' ? 'common:testNotification.sent' : 'common:testNotification.failed', { provider: result.provider_name }),
    message:
      result.status === 'sent'
        ? i18next.t('common:testNotification.sentTo', { method: methodLabel(result.method), to: result.to })
        : i18next.t('common:testNotification.failedTo', { method: methodLabel(result.method), to: result.to, error: result.error ?? i18next.t('common:testNotification.unknownError') }),
    autoClose: result.status === 'sent' ? 5000 : 12_000,
  });
}

/** Sends a test through one provider: its group chat, or my own verified address. */
export function useTestProvider() {
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/notification-providers/{id}/test', { params: { path: { id } }, body: {} })),
    onSuccess: showTestResult,
  });
}

/** Sends a test to a person through each of their verified methods. */
export function useTestPerson() {
  return useMutation({
    mutationFn: (personId: string) => call(api.POST('/api/v1/users/{id}/test-notification', { params: { path: { id: personId } } })),
    onSuccess: (page) => page.data.forEach(showTestResult),
  });
}
