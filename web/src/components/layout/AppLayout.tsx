import { useTranslation } from 'react-i18next';
import { AppShell, Burger, Group, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet } from 'react-router';
import { useSystemInfo } from '../../api/system';
import { useLiveUpdates } from '../../api/live';
import { BrandMark } from '../BrandMark';
import { ColorSchemeToggle } from '../ColorSchemeToggle';
import { NavMenu } from './NavMenu';
import { UserMenu } from './UserMenu';

/** The signed-in frame: header, sidebar (a drawer on phones), and the page. */
export function AppLayout() {
  const [navOpened, { toggle, close }] = useDisclosure(false);
  const system = useSystemInfo();
  const { t } = useTranslation('layout');
  useLiveUpdates();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={navOpened ? t('closeNavigation') : t('openNavigation')} />
            <UnstyledButton component={Link} to="/" aria-label={t('home')}>
              <BrandMark />
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <NavMenu onNavigate={close} />
        </AppShell.Section>
        {system.data && (
          <AppShell.Section pt="sm">
            <Text size="xs" c="dimmed" px="sm">
              Tocsin {system.data.version} · {system.data.database}
              {system.data.dev_mode ? ` · ${t('devMode')}` : ''}
            </Text>
          </AppShell.Section>
        )}
      </AppShell.Navbar>

      <AppShell.Main>
        <div style={{ maxWidth: 1200, margin: '0 auto' }}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
