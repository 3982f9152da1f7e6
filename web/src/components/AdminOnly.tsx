import { IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isAdmin, useCurrentUser } from '../app/guards';
import { EmptyState } from './EmptyState';

/** Shows its children to admins and an explanation to everyone else. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  if (isAdmin(me)) return children;
  return (
    <EmptyState
      icon={<IconShieldLock size={28} />}
      title="Admins only"
      description="Ask an administrator of this Tocsin instance if you need access to this page."
    />
  );
}
