import { i18next } from '../i18n';
import { useTranslation } from 'react-i18next';
import { Badge } from '@mantine/core';
import { IconLock, IconWorld } from '@tabler/icons-react';
import type { PersonStatus, Role } from '../api/types';

export function AccessBadge({ isPrivate }: { isPrivate: boolean }) {
  const { t } = useTranslation();
  return isPrivate ? (
    <Badge variant="light" color="grape" leftSection={<IconLock size={12} />}>
      {t('access.private')}
    </Badge>
  ) : (
    <Badge variant="light" color="blue" leftSection={<IconWorld size={12} />}>
      {t('access.public')}
    </Badge>
  );
}

export function EnabledBadge({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  return disabled ? (
    <Badge variant="dot" color="gray">
      {t('states.disabled')}
    </Badge>
  ) : (
    <Badge variant="dot" color="teal">
      {t('states.enabled')}
    </Badge>
  );
}

const ROLE_COLORS: Record<Role, string> = { admin: 'ember', responder: 'blue', viewer: 'gray' };

/** Read at render time (getters), so the labels follow the console's language. */
export const ROLE_LABELS: Record<Role, string> = {
  get admin() {
    return i18next.t('common:roles.admin');
  },
  get responder() {
    return i18next.t('common:roles.responder');
  },
  get viewer() {
    return i18next.t('common:roles.viewer');
  },
};

function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLE_LABELS, value);
}

/** Takes any string: some endpoints (team members) type the role loosely. */
export function RoleBadge({ role }: { role: string }) {
  useTranslation(); // re-render in the new language
  return (
    <Badge variant="light" color={isRole(role) ? ROLE_COLORS[role] : 'gray'}>
      {isRole(role) ? ROLE_LABELS[role] : role}
    </Badge>
  );
}

export function PersonStatusBadge({ status }: { status: PersonStatus }) {
  return <EnabledBadge disabled={status === 'disabled'} />;
}

export function VerifiedBadge({ verified }: { verified: boolean }) {
  const { t } = useTranslation();
  return verified ? (
    <Badge variant="light" color="teal">
      {t('states.verified')}
    </Badge>
  ) : (
    <Badge variant="light" color="yellow">
      {t('states.notVerified')}
    </Badge>
  );
}
