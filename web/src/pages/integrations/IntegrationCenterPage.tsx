import { i18next } from '../../i18n';
import { useTranslation } from 'react-i18next';
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

const COLUMNS = ['name', 'team', 'routing', 'latestEvent'];
const DESKTOP_ONLY = new Set(['team', 'routing']);

function useTeamNames() {
  const teams = useTeams();
  return useMemo(() => new Map(teams.items.map((t) => [t.id, t.name])), [teams.items]);
}

function routingSummary(integration: Integration): string {
  const routing = asRouting(integration.settings.routing);
  const cases = routing.cases?.length ?? 0;
  const parts = [i18next.t('integrations:center.cases', { count: cases })];
  if (routing.default?.length) parts.push(i18next.t('integrations:center.defaultTo', { count: routing.default.length }));
  if (routing.name_mapping) parts.push(i18next.t('integrations:center.byLabel', { label: routing.name_mapping.label }));
  return parts.join(' · ');
}

/** `/integrations`: shared integrations, whose routing rules pick the channels. */
export function IntegrationCenterPage() {
  const integrations = useSharedIntegrations();
  const teamNames = useTeamNames();
  const navigate = useNavigate();
  const [createOpened, createModal] = useDisclosure(false);
  const { t } = useTranslation('integrations');
  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-shared-integration">
      {t('add.sharedTitle')}
    </Button>
  );
  const isEmpty = integrations.isSuccess && integrations.data.length === 0;

  return (
    <>
      <PageHeader
        title={t('center.title')}
        description={t('center.description')}
        actions={isEmpty ? undefined : createButton}
      />
      {isEmpty ? (
        <EmptyState
          icon={<IconPlugConnected size={28} />}
          title={t('center.emptyTitle')}
          description={t('center.emptyDescription')}
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
                      {t(`center.columns.${c}`)}
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
                                    {t('common:states.disabled')}
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
                              {t('card.noEvents')}
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

/** Tab labels are `integrations:sharedPage.tabs.<value>`. */
const TABS = [
  { value: 'routing', icon: <IconRoute size={16} /> },
  { value: 'setup', icon: <IconTerminal2 size={16} /> },
  { value: 'activity', icon: <IconActivity size={16} /> },
  { value: 'settings', icon: <IconSettings size={16} /> },
];

function BackLink() {
  const { t } = useTranslation('integrations');
  return (
    <Anchor component={Link} to="/integrations" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {t('center.title')}
      </Group>
    </Anchor>
  );
}
const backLink = <BackLink />;

/** `/integrations/:integrationId/:tab?`: one shared integration. */
export function SharedIntegrationPage() {
  const { integrationId = '', tab } = useParams();
  const navigate = useNavigate();
  const integration = useIntegration(integrationId);
  const teamNames = useTeamNames();
  const { t: tr } = useTranslation('integrations');
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
          <PageHeader title={tr('sharedPage.notFound')} breadcrumb={backLink} />
          <EmptyState icon={<IconLockQuestion size={28} />} title={tr('sharedPage.notFound')} description={tr('sharedPage.notFoundDescription')} />
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
            {sourceInfo(data.source).label} · {teamName ? tr('sharedPage.ownedBy', { team: teamName }) : tr('sharedPage.shared')}
          </>
        }
        badges={
          data.disabled ? (
            <Badge variant="dot" color="gray">
              {tr('common:states.disabled')}
            </Badge>
          ) : undefined
        }
      />
      <Tabs value={active} onChange={(value) => void navigate(`/integrations/${integrationId}/${value ?? 'routing'}`, { replace: true })} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon} style={{ flexShrink: 0 }} data-testid={`integration-page-tab-${t.value}`}>
              {tr(`sharedPage.tabs.${t.value}`)}
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
