import { Badge } from '@mantine/core';
import { IconLock, IconWorld } from '@tabler/icons-react';
import type { PersonStatus, Role } from '../api/types';

export function AccessBadge({ isPrivate }: { isPrivate: boolean }) {
  return isPrivate ? (
    <Badge variant="light" color="grape" leftSection={<IconLock size={12} />}>
      Private
    </Badge>
  ) : (
    <Badge variant="light" color="blue" leftSection={<IconWorld size={12} />}>
      Public
    </Badge>
  );
}

export function EnabledBadge({ disabled }: { disabled: boolean }) {
  return disabled ? (
    <Badge variant="dot" color="gray">
      Disabled
    </Badge>
  ) : (
    <Badge variant="dot" color="teal">
      Enabled
    </Badge>
  );
}

const ROLE_COLORS: Record<Role, string> = { admin: 'ember', responder: 'blue', viewer: 'gray' };

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', responder: 'Responder', viewer: 'Viewer' };

function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLE_LABELS, value);
}

/** Takes any string: some endpoints (team members) type the role loosely. */
export function RoleBadge({ role }: { role: string }) {
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
  return verified ? (
    <Badge variant="light" color="teal">
      Verified
    </Badge>
  ) : (
    <Badge variant="light" color="yellow">
      Not verified
    </Badge>
  );
}
