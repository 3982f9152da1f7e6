import { i18next } from '../i18n';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { onUnauthorized } from '../api/http';
import { queryKeys } from '../api/queryKeys';

/**
 * Turns any 401 from the API into "signed out": RequireAuth then sends the user to /login and
 * remembers where they were.
 */
export function SessionExpiryWatcher() {
  const queryClient = useQueryClient();
  useEffect(() => {
    onUnauthorized(() => {
      if (queryClient.getQueryData(queryKeys.me) === null) return;
      queryClient.setQueryData(queryKeys.me, null);
      notifications.show({
        id: 'session-expired',
        color: 'yellow',
        title: i18next.t('layout:sessionExpired.title'),
        message: i18next.t('layout:sessionExpired.message'),
      });
    });
    return () => onUnauthorized(null);
  }, [queryClient]);
  return null;
}
