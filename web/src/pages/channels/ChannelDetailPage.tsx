import { useTranslation } from 'react-i18next';
import { Anchor, Button, Group, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconFilter,
  IconLockQuestion,
  IconPlugConnected,
  IconSettings,
  IconStairsUp,
  IconTemplate,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useChannel } from '../../api/channels';
import { isApiError } from '../../api/http';
import { AccessBadge, EnabledBadge } from '../../components/Badges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import type { Channel } from '../../api/types';
import { EscalationRulesTab } from '../escalation/EscalationRulesTab';
import { IncidentList } from '../incidents/IncidentList';
import { ChannelIntegrationsTab } from '../integrations/ChannelIntegrationsTab';
import { NoiseReductionTab } from '../noise/NoiseReductionTab';
import { ChannelSettingsTab } from './ChannelSettingsTab';
import { ChannelTemplatesTab } from './ChannelTemplatesTab';

interface TabDefinition {
  value: string;
  /** Key in the `channels` namespace. */
  labelKey: string;
  icon: ReactNode;
  /** What the tab will hold; shown until the server supports it. */
  upcoming?: { title: string; description: string };
  render?: (channel: Channel) => ReactNode;
}

const TABS: ReadonlyArray<TabDefinition> = [
  {
    value: 'incidents',
    labelKey: 'tabs.incidents',
    icon: <IconAlertTriangle size={16} />,
    render: (channel) => <IncidentList channelId={channel.id} />,
  },
  {
    value: 'integrations',
    labelKey: 'tabs.integrations',
    icon: <IconPlugConnected size={16} />,
    render: (channel) => <ChannelIntegrationsTab channel={channel} />,
  },
  {
    value: 'escalation',
    labelKey: 'tabs.escalation',
    icon: <IconStairsUp size={16} />,
    render: (channel) => <EscalationRulesTab channel={channel} />,
  },
  {
    value: 'noise',
    labelKey: 'tabs.noise',
    icon: <IconFilter size={16} />,
    render: (channel) => <NoiseReductionTab channel={channel} />,
  },
  { value: 'templates', labelKey: 'tabs.templates', icon: <IconTemplate size={16} />, render: (channel) => <ChannelTemplatesTab channel={channel} /> },
  { value: 'settings', labelKey: 'tabs.settings', icon: <IconSettings size={16} />, render: (channel) => <ChannelSettingsTab channel={channel} /> },
];

const DEFAULT_TAB = 'incidents';

function BackToChannels() {
  const { t } = useTranslation('channels');
  return (
    <Anchor component={Link} to="/channels" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {t('list.title')}
      </Group>
    </Anchor>
  );
}
const backToChannels = <BackToChannels />;

/** One channel, with a tab per area; the tab is part of the URL so it can be linked to. */
export function ChannelDetailPage() {
  const { channelId = '', tab } = useParams();
  const navigate = useNavigate();
  const channel = useChannel(channelId);
  const { t: tr } = useTranslation('channels');
  const activeTab = TABS.some((t) => t.value === tab) ? (tab ?? DEFAULT_TAB) : DEFAULT_TAB;

  if (channel.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={90} />
        <Skeleton height={30} width={280} />
        <Skeleton height={36} mt="md" />
        <Skeleton height={220} />
      </Stack>
    );
  }
  if (channel.isError) {
    if (isApiError(channel.error, 404)) {
      return (
        <>
          <PageHeader title={tr('detail.notFound')} breadcrumb={backToChannels} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title={tr('detail.notFoundTitle')}
            description={tr('detail.notFoundDescription')}
            action={
              <Button component={Link} to="/channels" variant="light">
                {tr('detail.back')}
              </Button>
            }
          />
        </>
      );
    }
    return <ErrorState error={channel.error} onRetry={() => void channel.refetch()} />;
  }

  const data = channel.data;
  return (
    <>
      <PageHeader
        title={data.name}
        breadcrumb={backToChannels}
        description={
          <>
            {tr('detail.managedBy')} <Text span fw={500} inherit>{data.team_name}</Text>
            {data.description ? ` · ${data.description}` : ''}
          </>
        }
        badges={
          <>
            <AccessBadge isPrivate={data.private} />
            <EnabledBadge disabled={data.disabled} />
          </>
        }
      />
      <Tabs
        value={activeTab}
        onChange={(value) => void navigate(`/channels/${channelId}/${value ?? DEFAULT_TAB}`, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon} data-testid={`channel-tab-${t.value}`} style={{ flexShrink: 0 }}>
              {tr(t.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="lg">
            {t.render ? t.render(data) : t.upcoming && <EmptyState icon={t.icon} title={t.upcoming.title} description={t.upcoming.description} />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
