import { useTranslation } from 'react-i18next';
import { NavLink, Stack } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { NAV_ITEMS } from './navItems';

function isWithin(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}

/** The sidebar links; `onNavigate` lets the phone layout close the drawer after a tap. */
export function NavMenu({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const { t } = useTranslation('layout');
  return (
    <Stack gap={2} component="nav" aria-label={t('mainNavigation')}>
      {NAV_ITEMS.map((item) => {
        const Icon = item.icon;
        const icon = <Icon size={18} stroke={1.7} />;
        if (item.children) {
          const children = item.children.filter((child) => !child.adminOnly || isAdmin(me));
          return (
            <NavLink key={item.to} label={t(item.labelKey)} leftSection={icon} defaultOpened={isWithin(pathname, item.to)} childrenOffset={28}>
              {children.map((child) => (
                <NavLink
                  key={child.to}
                  component={Link}
                  to={child.to}
                  label={t(child.labelKey)}
                  active={isWithin(pathname, child.to)}
                  aria-current={isWithin(pathname, child.to) ? 'page' : undefined}
                  onClick={onNavigate}
                />
              ))}
            </NavLink>
          );
        }
        const active = isWithin(pathname, item.to);
        return (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.labelKey)}
            leftSection={icon}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        );
      })}
    </Stack>
  );
}
