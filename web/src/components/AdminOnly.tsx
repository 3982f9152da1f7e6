import { useTranslation } from 'react-i18next';
import { IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isAdmin, useCurrentUser } from '../app/guards';
import { EmptyState } from './EmptyState';

/** Shows its children to admins and an explanation to everyone else. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  const { t } = useTranslation();
  if (isAdmin(me)) return children;
  return (
    <EmptyState
      icon={<IconShieldLock size={28} />}
      title={t('adminOnly.title')}
      description={t('adminOnly.description')}
    />
  );
}
