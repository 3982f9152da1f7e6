import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLogout } from '../../api/session';
import { LOGIN_PATH, useCurrentUser } from '../../app/guards';
import { ROLE_LABELS } from '../Badges';

/** Initials for the avatar: "Ada Lovelace" → "AL". */
function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?';
}

export function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const signOut = () => logout.mutate(undefined, { onSettled: () => void navigate(LOGIN_PATH, { replace: true }) });

  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <UnstyledButton title={t('userMenu.label', { name: me.name })} data-testid="user-menu" style={{ borderRadius: 999 }}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="ember" radius="xl" size={32} aria-hidden>
              {initials(me.name)}
            </Avatar>
            {/* The button's name is the person's name: hidden from sight on phones, still read out. */}
            <Text size="sm" fw={500} maw={160} truncate className="tocsin-hidden-below-sm">
              {me.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {me.email} · {ROLE_LABELS[me.role]}
        </Menu.Label>
        <Menu.Item component={Link} to="/me" leftSection={<IconUserCircle size={16} />}>
          {t('userMenu.personalCenter')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={signOut} data-testid="sign-out">
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
