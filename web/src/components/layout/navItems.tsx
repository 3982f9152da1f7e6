import {
  IconAlertTriangle,
  IconBroadcast,
  IconCalendarTime,
  IconChartBar,
  IconPlugConnected,
  IconSettings,
  IconUser,
  IconUsersGroup,
  IconWebhook,
  type Icon,
} from '@tabler/icons-react';

/** `labelKey` is a key of the `layout` namespace (nav.*). */
export interface NavItem {
  labelKey: string;
  to: string;
  icon: Icon;
  children?: ReadonlyArray<{ labelKey: string; to: string; adminOnly?: boolean }>;
}

/** The sidebar, in the order a responder reaches for things: incidents first, settings last. */
export const NAV_ITEMS: ReadonlyArray<NavItem> = [
  { labelKey: 'nav.incidents', to: '/incidents', icon: IconAlertTriangle },
  { labelKey: 'nav.channels', to: '/channels', icon: IconBroadcast },
  { labelKey: 'nav.integrations', to: '/integrations', icon: IconPlugConnected },
  { labelKey: 'nav.schedules', to: '/schedules', icon: IconCalendarTime },
  { labelKey: 'nav.teams', to: '/teams', icon: IconUsersGroup },
  { labelKey: 'nav.people', to: '/people', icon: IconUser },
  { labelKey: 'nav.analytics', to: '/analytics', icon: IconChartBar },
  { labelKey: 'nav.webhooks', to: '/webhooks', icon: IconWebhook },
  {
    labelKey: 'nav.settings',
    to: '/settings',
    icon: IconSettings,
    children: [
      { labelKey: 'nav.providers', to: '/settings/providers' },
      { labelKey: 'nav.audit', to: '/settings/audit', adminOnly: true },
      { labelKey: 'nav.customFields', to: '/settings/custom-fields' },
      { labelKey: 'nav.import', to: '/settings/import', adminOnly: true },
    ],
  },
];
