import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Table, Tabs, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconActivity, IconArrowLeft, IconLockQuestion, IconPlugConnected, IconPlus, IconRoute, IconSettings, IconTerminal2 } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/http';
import { useIntegration, useSharedIntegrations } from '../../api/integrations';
import { asRouting } from '../../api/specs';
import { useTeams } from '../../api/teams';
import type { Integration } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { SourceIcon } from '../../components/SourceIcon';
import { TableSkeleton } from '../../components/TableSkeleton';
import { sourceInfo } from '../../lib/sources';
import { AddIntegrationModal } from './AddIntegrationModal';
import { IntegrationActivitySection, IntegrationSettingsSection, IntegrationSetup } from './IntegrationParts';
import { RoutingEditor } from './RoutingEditor';

const COLUMNS = ['Name', 'Owning team', 'Routing', 'Latest event'];
const DESKTOP_ONLY = new Set(['Owning team', 'Routing']);

function useTeamNames() {
  const teams = useTeams();
  return useMemo(() => new Map(teams.items.map((t) => [t.id, t.name])), [teams.items]);
}

function routingSummary(integration: Integration): string {
  const routing = asRouting(integration.settings.routing);
  const cases = routing.cases?.length ?? 0;
  const parts = [`${cases} ${cases === 1 ? 'case' : 'cases'}`];
  if (routing.default?.length) parts.push(`default → ${routing.default.length}`);
  if (routing.name_mapping) parts.push(`by label ${routing.name_mapping.label}`);
  return parts.join(' · ');
}

/** `/integrations`: shared integrations, whose routing rules pick the channels. */
export function IntegrationCenterPage() {
  const integrations = useSharedIntegrations();
  const teamNames = useTeamNames();
  const navigate = useNavigate();
  const [createOpened, createModal] = useDisclosure(false);
  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-shared-integration">
      New shared integration
    </Button>
  );
  const isEmpty = integrations.isSuccess && integrations.data.length === 0;

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Shared integrations take alerts from one source — a central Alertmanager, a Zabbix server — and route each alert to one or more channels."
        actions={isEmpty ? undefined : createButton}
      />
      {isEmpty ? (
        <EmptyState
          icon={<IconPlugConnected size={28} />}
          title="No shared integrations yet"
          description="Use a shared integration when one monitoring system serves many teams: routing rules send each alert to the right channel by its labels. For a single channel, add a dedicated integration in the channel instead."
          action={createButton}
        />
      ) : integrations.isError ? (
        <ErrorState error={integrations.error} onRetry={() => void integrations.refetch()} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320} type="native">
            <Table data-testid="shared-integrations-table">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((c) => (
                    <Table.Th key={c} visibleFrom={DESKTOP_ONLY.has(c) ? 'sm' : undefined}>
                      {c}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              {integrations.isPending ? (
                <TableSkeleton columns={COLUMNS.length} rows={3} />
              ) : (
                <Table.Tbody>
                  {integrations.data.map((integration) => {
                    const href = `/integrations/${integration.id}`;
                    return (
                      <Table.Tr
                        key={integration.id}
                        className="tocsin-row-link"
                        data-testid="shared-integration-row"
                        onClick={(event) => {
                          if (!(event.target instanceof HTMLElement && event.target.closest('a'))) void navigate(href);
                        }}
                      >
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <SourceIcon source={integration.source} size={30} />
                            <div style={{ minWidth: 0 }}>
                              <Group gap={6}>
                                <Anchor component={Link} to={href} fw={600} size="sm">
                                  {integration.name}
                                </Anchor>
                                {integration.disabled && (
                                  <Badge variant="dot" color="gray" size="sm">
                                    Disabled
                                  </Badge>
                                )}
                              </Group>
                              <Text size="xs" c="dimmed">
                                {sourceInfo(integration.source).label}
                              </Text>
                            </div>
                          </Group>
                        </Table.Td>
                        <Table.Td visibleFrom="sm">
                          <Text size="sm">{(integration.team_id && teamNames.get(integration.team_id)) ?? '—'}</Text>
                        </Table.Td>
                        <Table.Td visibleFrom="sm">
                          <Text size="sm">{routingSummary(integration)}</Text>
                        </Table.Td>
                        <Table.Td>
                          {integration.last_event_at ? (
                            <RelativeTime ms={integration.last_event_at} />
                          ) : (
                            <Text size="sm" c="dimmed">
                              No events yet
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              )}
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <AddIntegrationModal
        opened={createOpened}
        onClose={createModal.close}
        target={{ kind: 'shared' }}
        onDone={(created) => void navigate(`/integrations/${created.id}`)}
      />
    </>
  );
}

const TABS = [
  { value: 'routing', label: 'Routing', icon: <IconRoute size={16} /> },
  { value: 'setup', label: 'Setup', icon: <IconTerminal2 size={16} /> },
  { value: 'activity', label: 'Activity', icon: <IconActivity size={16} /> },
  { value: 'settings', label: 'Settings', icon: <IconSettings size={16} /> },
];

const backLink = (
  <Anchor component={Link} to="/integrations" size="sm" c="dimmed">
    <Group gap={4}>
      <IconArrowLeft size={14} /> Integrations
    </Group>
  </Anchor>
);

/** `/integrations/:integrationId/:tab?`: one shared integration. */
export function SharedIntegrationPage() {
  const { integrationId = '', tab } = useParams();
  const navigate = useNavigate();
  const integration = useIntegration(integrationId);
  const teamNames = useTeamNames();
  const active = TABS.some((t) => t.value === tab) ? (tab ?? 'routing') : 'routing';

  if (integration.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={90} />
        <Skeleton height={30} width={280} />
        <Skeleton height={36} mt="md" />
        <Skeleton height={260} />
      </Stack>
    );
  }
  if (integration.isError) {
    if (isApiError(integration.error, 404)) {
      return (
        <>
          <PageHeader title="Integration not found" breadcrumb={backLink} />
          <EmptyState icon={<IconLockQuestion size={28} />} title="Integration not found" description="It may have been deleted, or you have no access to it." />
        </>
      );
    }
    return <ErrorState error={integration.error} onRetry={() => void integration.refetch()} />;
  }
  const data = integration.data;
  const teamName = data.team_id ? teamNames.get(data.team_id) : undefined;

  return (
    <>
      <PageHeader
        title={data.name}
        breadcrumb={backLink}
        description={
          <>
            {sourceInfo(data.source).label} · shared integration{teamName ? ` owned by ${teamName}` : ''}
          </>
        }
        badges={
          data.disabled ? (
            <Badge variant="dot" color="gray">
              Disabled
            </Badge>
          ) : undefined
        }
      />
      <Tabs value={active} onChange={(value) => void navigate(`/integrations/${integrationId}/${value ?? 'routing'}`, { replace: true })} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon} style={{ flexShrink: 0 }} data-testid={`integration-page-tab-${t.value}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="routing" pt="lg">
          <RoutingEditor integration={data} />
        </Tabs.Panel>
        <Tabs.Panel value="setup" pt="lg">
          <Stack maw={820}>
            <IntegrationSetup integration={data} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="activity" pt="lg">
          <Stack maw={820}>
            <IntegrationActivitySection integration={data} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="lg">
          <Stack maw={720}>
            <IntegrationSettingsSection integration={data} onDeleted={() => void navigate('/integrations', { replace: true })} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
