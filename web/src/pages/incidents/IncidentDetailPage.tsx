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

const QUICK_SILENCES = [
  { label: '30 minutes', mins: 30 },
  { label: '2 hours', mins: 120 },
  { label: '1 day', mins: 1440 },
  { label: '1 week', mins: 10080 },
];

const TABS = ['timeline', 'alerts', 'deliveries', 'postmortem'] as const;

const backLink = (
  <Anchor component={Link} to="/incidents" size="sm" c="dimmed">
    <Group gap={4}>
      <IconArrowLeft size={14} /> Incidents
    </Group>
  </Anchor>
);

/** `/incidents/:incidentId/:tab?`: one incident, its actions, timeline and alerts. */
export function IncidentDetailPage() {
  const { incidentId = '', tab } = useParams();
  const navigate = useNavigate();
  const incident = useIncident(incidentId);
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
          <PageHeader title="Incident not found" breadcrumb={backLink} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title="Incident not found or you have no access"
            description="It may be in a private channel of a team you are not in."
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
            Timeline
          </Tabs.Tab>
          <Tabs.Tab value="alerts" leftSection={<IconListDetails size={16} />} data-testid="incident-tab-alerts">
            Alerts
            <Badge size="xs" variant="light" ml={6} color="gray">
              {data.alert_count}
            </Badge>
          </Tabs.Tab>
          <Tabs.Tab value="deliveries" leftSection={<IconSend size={16} />} data-testid="incident-tab-deliveries">
            Delivery log
          </Tabs.Tab>
          <Tabs.Tab value="postmortem" leftSection={<IconFileText size={16} />} data-testid="incident-tab-postmortem">
            Post-mortem
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

  const acknowledge = () =>
    ack.mutate(undefined, {
      onSuccess: () => notifySuccess(`#${incident.number} acknowledged`),
      onError: (error) => notifyError(error),
    });

  const quickSilence = (mins: number, label: string) =>
    silence.mutate(mins, {
      onSuccess: () => notifySuccess(`Alerts with this incident’s labels are silenced for ${label}`),
      onError: (error) => notifyError(error, 'Could not silence'),
    });

  const actions = (
    <Group gap="xs" wrap="wrap">
      {incident.status === 'triggered' && (
        <Button leftSection={<IconCheck size={16} />} onClick={acknowledge} loading={ack.isPending} data-testid="incident-ack">
          Acknowledge
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
          Resolve
        </Button>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconBellOff size={16} />} rightSection={<IconChevronDown size={14} />} loading={silence.isPending} data-testid="incident-quick-silence">
            Silence
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Silence alerts with these labels for</Menu.Label>
          {QUICK_SILENCES.map((option) => (
            <Menu.Item key={option.mins} onClick={() => quickSilence(option.mins, option.label)} data-testid={`quick-silence-${option.mins}`}>
              {option.label}
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
            in{' '}
            <Anchor component={Link} to={`/channels/${incident.channel_id}/incidents`} inherit>
              {channel.data?.name ?? 'its channel'}
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
            <Fact label="Alerts">
              {incident.active_alert_count} active / {incident.alert_count}
            </Fact>
            <Fact label="Triggered">
              <RelativeTime ms={incident.created_at} />
            </Fact>
            <Fact label="Acknowledged">{incident.acknowledged_at ? <RelativeTime ms={incident.acknowledged_at} /> : '—'}</Fact>
            <Fact label="Closed">{incident.closed_at ? <RelativeTime ms={incident.closed_at} /> : '—'}</Fact>
          </SimpleGrid>
          <IncidentPeopleAndFields incident={incident} />
          {incident.merged_into && (
            <Text size="sm">
              Merged into{' '}
              <Anchor component={Link} to={`/incidents/${incident.merged_into}`} inherit>
                another incident
              </Anchor>
            </Text>
          )}
          {Object.keys(incident.labels).length > 0 && (
            <Group gap={6}>
              {Object.entries(incident.labels).map(([k, v]) => (
                <Badge key={k} variant="default" radius="sm" tt="none" fw={500} style={{ maxWidth: '100%' }}>
                  {k}={v}
                </Badge>
              ))}
            </Group>
          )}
          {(incident.root_cause || incident.resolution) && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {incident.root_cause && <Fact label="Root cause">{incident.root_cause}</Fact>}
              {incident.resolution && <Fact label="Resolution">{incident.resolution}</Fact>}
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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate(
      { ...(rootCause.trim() && { root_cause: rootCause.trim() }), ...(resolution.trim() && { resolution: resolution.trim() }) },
      {
        onSuccess: () => {
          notifySuccess(`#${incident.number} resolved`);
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={<Title order={4}>Resolve #{incident.number}</Title>} size="lg">
      <form onSubmit={submit} aria-label="Resolve incident" data-testid="resolve-form">
        <Stack>
          <Text size="sm" c="dimmed">
            Closes the incident and all its alerts. Both fields are optional and help the next responder.
          </Text>
          <Textarea label="Root cause" placeholder="What broke, and why" autosize minRows={2} maxRows={8} value={rootCause} onChange={(e) => setRootCause(e.currentTarget.value)} data-autofocus data-testid="resolve-root-cause" />
          <Textarea label="Resolution" placeholder="What fixed it" autosize minRows={2} maxRows={8} value={resolution} onChange={(e) => setResolution(e.currentTarget.value)} data-testid="resolve-resolution" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="teal" loading={resolve.isPending} data-testid="resolve-submit">
              Resolve incident
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
