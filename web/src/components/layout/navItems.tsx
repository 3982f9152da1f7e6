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

export interface NavItem {
  label: string;
  to: string;
  icon: Icon;
  children?: ReadonlyArray<{ label: string; to: string; adminOnly?: boolean }>;
}

/** The sidebar, in the order a responder reaches for things: incidents first, settings last. */
export const NAV_ITEMS: ReadonlyArray<NavItem> = [
  { label: 'Incidents', to: '/incidents', icon: IconAlertTriangle },
  { label: 'Channels', to: '/channels', icon: IconBroadcast },
  { label: 'Integrations', to: '/integrations', icon: IconPlugConnected },
  { label: 'Schedules', to: '/schedules', icon: IconCalendarTime },
  { label: 'Teams', to: '/teams', icon: IconUsersGroup },
  { label: 'People', to: '/people', icon: IconUser },
  { label: 'Analytics', to: '/analytics', icon: IconChartBar },
  { label: 'Webhooks', to: '/webhooks', icon: IconWebhook },
  {
    label: 'Settings',
    to: '/settings',
    icon: IconSettings,
    children: [
      { label: 'Notification providers', to: '/settings/providers' },
      { label: 'Audit log', to: '/settings/audit', adminOnly: true },
      { label: 'Custom fields', to: '/settings/custom-fields' },
      { label: 'Import', to: '/settings/import', adminOnly: true },
    ],
  },
];
