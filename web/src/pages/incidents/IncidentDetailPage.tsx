import { useTranslation } from 'react-i18next';
import { Anchor, Badge, Button, Group, Menu, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconBellOff, IconCheck, IconChevronDown, IconCircleCheck, IconFileText, IconLockQuestion, IconListDetails, IconSend, IconTimeline } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useChannel } from '../../api/channels';
import { isApiError } from '../../api/http';
import { useAcknowledgeIncident, useIncident, useQuickSilence, useResolveIncident } from '../../api/incidents';
import type { Incident } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { IncidentStatusBadge, SeverityBadge, severityColor } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { notifyError, notifySuccess } from '../../lib/notify';
import { IncidentAlerts } from './IncidentAlerts';
import { IncidentDeliveries } from './IncidentDeliveries';
import { IncidentTimeline } from './IncidentTimeline';
import { IncidentActionsMenu, IncidentPeopleAndFields } from './IncidentActions';
import { IncidentPostmortem, RecentChanges } from './IncidentPostmortem';

/** Quick silence lengths; labels are `incidents:detail.silenceFor.<mins>`. */
const QUICK_SILENCES = [30, 120, 1440, 10080];

const TABS = ['timeline', 'alerts', 'deliveries', 'postmortem'] as const;

function BackLink() {
  const { t } = useTranslation('incidents');
  return (
    <Anchor component={Link} to="/incidents" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {t('list.title')}
      </Group>
    </Anchor>
  );
}
const backLink = <BackLink />;

/** `/incidents/:incidentId/:tab?`: one incident, its actions, timeline and alerts. */
export function IncidentDetailPage() {
  const { incidentId = '', tab } = useParams();
  const navigate = useNavigate();
  const incident = useIncident(incidentId);
  const { t: tr } = useTranslation('incidents');
  const activeTab = TABS.find((t) => t === tab) ?? 'timeline';

  if (incident.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={90} />
        <Skeleton height={30} width={360} />
        <Skeleton height={80} mt="md" />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (incident.isError) {
    if (isApiError(incident.error, 404)) {
      return (
        <>
          <PageHeader title={tr('detail.notFound')} breadcrumb={backLink} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title={tr('detail.notFoundTitle')}
            description={tr('detail.notFoundDescription')}
          />
        </>
      );
    }
    return <ErrorState error={incident.error} onRetry={() => void incident.refetch()} />;
  }
  const data = incident.data;

  return (
    <>
      <IncidentHeader incident={data} />
      <Tabs value={activeTab} onChange={(value) => void navigate(`/incidents/${incidentId}/${value ?? 'timeline'}`, { replace: true })} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          <Tabs.Tab value="timeline" leftSection={<IconTimeline size={16} />} data-testid="incident-tab-timeline">
            {tr('detail.tabs.timeline')}
          </Tabs.Tab>
          <Tabs.Tab value="alerts" leftSection={<IconListDetails size={16} />} data-testid="incident-tab-alerts">
            {tr('detail.tabs.alerts')}
            <Badge size="xs" variant="light" ml={6} color="gray">
              {data.alert_count}
            </Badge>
          </Tabs.Tab>
          <Tabs.Tab value="deliveries" leftSection={<IconSend size={16} />} data-testid="incident-tab-deliveries">
            {tr('detail.tabs.deliveries')}
          </Tabs.Tab>
          <Tabs.Tab value="postmortem" leftSection={<IconFileText size={16} />} data-testid="incident-tab-postmortem">
            {tr('detail.tabs.postmortem')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="lg">
          <RecentChanges incidentId={data.id} />
          <IncidentTimeline incidentId={data.id} />
        </Tabs.Panel>
        <Tabs.Panel value="alerts" pt="lg">
          <IncidentAlerts incidentId={data.id} />
        </Tabs.Panel>
        <Tabs.Panel value="deliveries" pt="lg">
          <IncidentDeliveries incidentId={data.id} />
        </Tabs.Panel>
        <Tabs.Panel value="postmortem" pt="lg">
          <IncidentPostmortem incidentId={data.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function IncidentHeader({ incident }: { incident: Incident }) {
  const channel = useChannel(incident.channel_id);
  const ack = useAcknowledgeIncident(incident.id);
  const silence = useQuickSilence(incident);
  const [resolveOpened, resolveDialog] = useDisclosure(false);
  const closed = incident.status === 'closed';
  const { t } = useTranslation('incidents');

  const acknowledge = () =>
    ack.mutate(undefined, {
      onSuccess: () => notifySuccess(t('detail.acknowledged', { number: incident.number })),
      onError: (error) => notifyError(error),
    });

  const quickSilence = (mins: number, label: string) =>
    silence.mutate(mins, {
      onSuccess: () => notifySuccess(t('detail.silenced', { duration: label })),
      onError: (error) => notifyError(error, t('detail.silenceFailed')),
    });

  const actions = (
    <Group gap="xs" wrap="wrap">
      {incident.status === 'triggered' && (
        <Button leftSection={<IconCheck size={16} />} onClick={acknowledge} loading={ack.isPending} data-testid="incident-ack">
          {t('actions.ack')}
        </Button>
      )}
      {!closed && (
        <Button
          variant={incident.status === 'triggered' ? 'default' : 'filled'}
          color="teal"
          leftSection={<IconCircleCheck size={16} />}
          onClick={resolveDialog.open}
          data-testid="incident-resolve"
        >
          {t('actions.resolve')}
        </Button>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconBellOff size={16} />} rightSection={<IconChevronDown size={14} />} loading={silence.isPending} data-testid="incident-quick-silence">
            {t('detail.silence')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('detail.silenceMenu')}</Menu.Label>
          {QUICK_SILENCES.map((mins) => (
            <Menu.Item key={mins} onClick={() => quickSilence(mins, t(`detail.silenceFor.${mins}`))} data-testid={`quick-silence-${mins}`}>
              {t(`detail.silenceFor.${mins}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <IncidentActionsMenu incident={incident} />
    </Group>
  );

  return (
    <>
      <PageHeader
        title={incident.title}
        breadcrumb={backLink}
        badges={
          <>
            <SeverityBadge severity={incident.severity} size="md" />
            <IncidentStatusBadge status={incident.status} size="md" />
          </>
        }
        description={
          <>
            <Text span ff="monospace" inherit>
              #{incident.number}
            </Text>{' '}
            {t('detail.inChannel')}{' '}
            <Anchor component={Link} to={`/channels/${incident.channel_id}/incidents`} inherit>
              {channel.data?.name ?? t('detail.itsChannel')}
            </Anchor>
          </>
        }
        actions={actions}
      />
      <Paper
        withBorder
        radius="md"
        p="md"
        mb="lg"
        style={{ borderLeft: `4px solid var(--mantine-color-${severityColor(incident.severity)}-6)` }}
        data-testid="incident-summary"
      >
        <Stack gap="md">
          {incident.description && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {incident.description}
            </Text>
          )}
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
            <Fact label={t('detail.facts.alerts')}>
              {t('detail.facts.activeOf', { active: incident.active_alert_count, total: incident.alert_count })}
            </Fact>
            <Fact label={t('detail.facts.triggered')}>
              <RelativeTime ms={incident.created_at} />
            </Fact>
            <Fact label={t('detail.facts.acknowledged')}>{incident.acknowledged_at ? <RelativeTime ms={incident.acknowledged_at} /> : '—'}</Fact>
            <Fact label={t('detail.facts.closed')}>{incident.closed_at ? <RelativeTime ms={incident.closed_at} /> : '—'}</Fact>
          </SimpleGrid>
          <IncidentPeopleAndFields incident={incident} />
          {incident.merged_into && (
            <Text size="sm">
              {t('detail.mergedInto')}{' '}
              <Anchor component={Link} to={`/incidents/${incident.merged_into}`} inherit>
                {t('detail.anotherIncident')}
              </Anchor>
            </Text>
          )}
          {Object.keys(incident.labels).length > 0 && (
            <Group gap={6}>
              {Object.entries(incident.labels).map(([k, v]) => (
                <Badge key={k} variant="default" radius="sm" tt="none" fw={500} style={{ maxWidth: '100%' }}>
                  {`${k}=${v}`}
                </Badge>
              ))}
            </Group>
          )}
          {(incident.root_cause || incident.resolution) && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {incident.root_cause && <Fact label={t('resolve.rootCause')}>{incident.root_cause}</Fact>}
              {incident.resolution && <Fact label={t('resolve.resolution')}>{incident.resolution}</Fact>}
            </SimpleGrid>
          )}
        </Stack>
      </Paper>
      <ResolveDialog incident={incident} opened={resolveOpened} onClose={resolveDialog.close} />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </div>
  );
}

function ResolveDialog({ incident, opened, onClose }: { incident: Incident; opened: boolean; onClose: () => void }) {
  const resolve = useResolveIncident(incident.id);
  const [rootCause, setRootCause] = useState('');
  const [resolution, setResolution] = useState('');
  const { t } = useTranslation('incidents');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate(
      { ...(rootCause.trim() && { root_cause: rootCause.trim() }), ...(resolution.trim() && { resolution: resolution.trim() }) },
      {
        onSuccess: () => {
          notifySuccess(t('resolve.resolved', { number: incident.number }));
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={<Title order={4}>{t('resolve.title', { number: incident.number })}</Title>} size="lg">
      <form onSubmit={submit} aria-label={t('resolve.submit')} data-testid="resolve-form">
        <Stack>
          <Text size="sm" c="dimmed">
            {t('resolve.hint')}
          </Text>
          <Textarea label={t('resolve.rootCause')} placeholder={t('resolve.rootCausePlaceholder')} autosize minRows={2} maxRows={8} value={rootCause} onChange={(e) => setRootCause(e.currentTarget.value)} data-autofocus data-testid="resolve-root-cause" />
          <Textarea label={t('resolve.resolution')} placeholder={t('resolve.resolutionPlaceholder')} autosize minRows={2} maxRows={8} value={resolution} onChange={(e) => setResolution(e.currentTarget.value)} data-testid="resolve-resolution" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" color="teal" loading={resolve.isPending} data-testid="resolve-submit">
              {t('resolve.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
