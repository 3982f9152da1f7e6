import { useTranslation } from 'react-i18next';
import { Badge, Button, Drawer, Group, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconActivity, IconPlugConnected, IconPlus, IconSettings, IconTerminal2 } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useChannelIntegrations, useIntegration, useIntegrationActivity } from '../../api/integrations';
import type { Channel, Integration } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { SourceIcon } from '../../components/SourceIcon';
import { sourceInfo } from '../../lib/sources';
import { AddIntegrationModal } from './AddIntegrationModal';
import { ActivityStats, IntegrationActivitySection, IntegrationSettingsSection, IntegrationSetup } from './IntegrationParts';

const OPEN_PARAM = 'integration';

/** The channel's dedicated integrations as cards; one opens in a drawer (`?integration=<id>`). */
export function ChannelIntegrationsTab({ channel }: { channel: Channel }) {
  const integrations = useChannelIntegrations(channel.id);
  const [addOpened, addModal] = useDisclosure(false);
  const { t } = useTranslation('integrations');
  const [params, setParams] = useSearchParams();
  const openId = params.get(OPEN_PARAM);
  const open = (id: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set(OPEN_PARAM, id);
        else next.delete(OPEN_PARAM);
        return next;
      },
      { replace: true },
    );

  const addButton = channel.can_manage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={addModal.open} data-testid="add-integration-button">
      {t('add.title')}
    </Button>
  ) : null;

  let body;
  if (integrations.isPending) {
    body = (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" aria-busy="true">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={150} radius="md" />
        ))}
      </SimpleGrid>
    );
  } else if (integrations.isError) {
    body = <ErrorState error={integrations.error} onRetry={() => void integrations.refetch()} />;
  } else if (integrations.data.length === 0) {
    body = (
      <EmptyState
        icon={<IconPlugConnected size={28} />}
        title={t('channelTab.emptyTitle')}
        description={t('channelTab.emptyDescription')}
        action={addButton}
      />
    );
  } else {
    body = (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid="integration-cards">
        {integrations.data.map((integration) => (
          <IntegrationCard key={integration.id} integration={integration} onOpen={() => open(integration.id)} />
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" style={{ flex: '1 1 300px' }}>
          {t('channelTab.intro')}
        </Text>
        {integrations.isSuccess && integrations.data.length > 0 && addButton}
      </Group>
      {body}
      <AddIntegrationModal opened={addOpened} onClose={addModal.close} target={{ kind: 'channel', channelId: channel.id }} />
      <IntegrationDrawer integrationId={openId} onClose={() => open(null)} />
    </Stack>
  );
}

/** Source, latest event time, 24 h counters; the whole card opens the drawer. */
function IntegrationCard({ integration, onOpen }: { integration: Integration; onOpen: () => void }) {
  const activity = useIntegrationActivity(integration.id);
  const info = sourceInfo(integration.source);
  const { t } = useTranslation('integrations');
  // The list polls too: when it sees a newer event than the counters do, refresh the counters now.
  const { refetch } = activity;
  const activitySeen = activity.data?.last_event_at ?? null;
  useEffect(() => {
    if (integration.last_event_at !== null && integration.last_event_at !== activitySeen) void refetch();
  }, [integration.last_event_at, activitySeen, refetch]);
  const lastEvent = activity.data?.last_event_at ?? integration.last_event_at;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      className="tocsin-card-link"
      component="button"
      type="button"
      onClick={onOpen}
      style={{ textAlign: 'left', width: '100%', font: 'inherit', color: 'inherit', opacity: integration.disabled ? 0.7 : 1 }}
      data-testid="integration-card"
      data-integration-id={integration.id}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" justify="space-between" align="flex-start">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <SourceIcon source={integration.source} />
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate>
                {integration.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {info.label}
              </Text>
            </div>
          </Group>
          {integration.disabled && (
            <Badge variant="dot" color="gray" style={{ flexShrink: 0 }}>
              {t('common:states.disabled')}
            </Badge>
          )}
        </Group>
        <Text size="sm" component="div" data-testid="integration-last-event">
          {lastEvent ? (
            <Group gap={4}>
              <Text span size="sm" c="dimmed">
                {t('card.latestEvent')}
              </Text>
              <RelativeTime ms={lastEvent} />
            </Group>
          ) : (
            <Text span size="sm" c="dimmed">
              {t('card.noEvents')}
            </Text>
          )}
        </Text>
        <ActivityStats counts={activity.data?.counts} compact />
      </Stack>
    </Paper>
  );
}

/** An integration's setup, activity and settings in a side drawer (full screen on phones). */
export function IntegrationDrawer({ integrationId, onClose }: { integrationId: string | null; onClose: () => void }) {
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;
  const { t } = useTranslation('integrations');
  return (
    <Drawer
      opened={integrationId !== null}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 'xl'}
      title={<Title order={4}>{t('drawer.title')}</Title>}
      data-testid="integration-drawer"
    >
      {integrationId && <IntegrationDrawerBody id={integrationId} onClose={onClose} />}
    </Drawer>
  );
}

function IntegrationDrawerBody({ id, onClose }: { id: string; onClose: () => void }) {
  const integration = useIntegration(id);
  const { t } = useTranslation('integrations');
  if (integration.isPending) {
    return (
      <Stack>
        <Skeleton height={40} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (integration.isError) return <ErrorState error={integration.error} onRetry={() => void integration.refetch()} />;
  const data = integration.data;
  return (
    <Stack gap="md">
      <Group gap="sm" wrap="nowrap">
        <SourceIcon source={data.source} size={44} />
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={700} size="lg" data-testid="integration-drawer-name">
              {data.name}
            </Text>
            {data.disabled && (
              <Badge variant="dot" color="gray">
                {t('common:states.disabled')}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {sourceInfo(data.source).label}
          </Text>
        </div>
      </Group>
      <Tabs defaultValue="setup" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="setup" leftSection={<IconTerminal2 size={16} />}>
            {t('drawer.setup')}
          </Tabs.Tab>
          <Tabs.Tab value="activity" leftSection={<IconActivity size={16} />} data-testid="integration-tab-activity">
            {t('drawer.activity')}
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconSettings size={16} />} data-testid="integration-tab-settings">
            {t('drawer.settings')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="setup" pt="md">
          <IntegrationSetup integration={data} />
        </Tabs.Panel>
        <Tabs.Panel value="activity" pt="md">
          <IntegrationActivitySection integration={data} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <IntegrationSettingsSection integration={data} onDeleted={onClose} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
