import { Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconArrowMerge,
  IconArrowsUpDown,
  IconBolt,
  IconCircleCheck,
  IconCircleDot,
  IconHeartbeat,
  IconUserCheck,
  IconWaveSine,
  type Icon,
} from '@tabler/icons-react';
import { api, call } from '../../api/http';
import { useIncidentTimeline } from '../../api/incidents';
import { queryKeys } from '../../api/queryKeys';
import type { TimelineEntry } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';

const KINDS: Record<string, { icon: Icon; color: string; label: string }> = {
  created: { icon: IconAlertTriangle, color: 'red', label: 'Incident triggered' },
  alert_merged: { icon: IconArrowMerge, color: 'orange', label: 'Alert merged' },
  alert_recovered: { icon: IconHeartbeat, color: 'teal', label: 'Alert recovered' },
  severity_changed: { icon: IconArrowsUpDown, color: 'grape', label: 'Severity changed' },
  storm: { icon: IconBolt, color: 'yellow', label: 'Alert storm' },
  flapping: { icon: IconWaveSine, color: 'pink', label: 'Alert flapping' },
  acknowledged: { icon: IconUserCheck, color: 'blue', label: 'Acknowledged' },
  resolved: { icon: IconCircleCheck, color: 'teal', label: 'Resolved' },
};

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** One sentence about an entry, from the `data` the server recorded with it. */
function describe(entry: TimelineEntry): string | null {
  const d = record(entry.data);
  switch (entry.kind) {
    case 'created':
      return [str(d.severity), str(d.title)].filter(Boolean).join(' · ') || null;
    case 'alert_merged': {
      const similarity = record(d.similarity);
      const score = typeof similarity.score === 'number' ? ` (similarity ${Math.round(similarity.score * 100)}%)` : '';
      return `${str(d.title) ?? 'An alert'}${str(d.severity) ? ` · ${str(d.severity)}` : ''}${score}`;
    }
    case 'alert_recovered':
      return str(d.title) ?? null;
    case 'severity_changed':
      return `${str(d.from) ?? '?'} → ${str(d.to) ?? '?'}`;
    case 'storm':
      return `${str(d.alert_count) ?? 'Many'} alerts (threshold ${str(d.threshold) ?? '?'})`;
    case 'flapping':
      return `${str(d.alert_key) ?? 'An alert'} keeps changing state${typeof d.muted_until === 'number' ? '; notifications muted' : ''}`;
    case 'acknowledged':
      return str(d.via) ? `via ${str(d.via)}` : null;
    case 'resolved':
      return str(d.reason) ? `${str(d.reason)}` : null;
    default:
      return null;
  }
}

function PersonName({ id }: { id: string }) {
  const person = useQuery({
    queryKey: queryKeys.user(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/users/{id}', { params: { path: { id } }, signal })),
    staleTime: 5 * 60_000,
  });
  return <>{person.data?.name ?? 'someone'}</>;
}

/** Every change to the incident, newest last, with an icon per kind. */
export function IncidentTimeline({ incidentId }: { incidentId: string }) {
  const timeline = useIncidentTimeline(incidentId);
  if (timeline.isPending) {
    return (
      <Stack gap="md" aria-busy="true">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={36} />
        ))}
      </Stack>
    );
  }
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />;
  if (timeline.data.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing recorded yet.
      </Text>
    );
  }
  const entries = [...timeline.data].sort((a, b) => a.created_at - b.created_at);
  return (
    <Timeline bulletSize={28} lineWidth={2} active={entries.length - 1} color="gray" data-testid="incident-timeline" maw={760}>
      {entries.map((entry) => {
        const kind = KINDS[entry.kind] ?? { icon: IconCircleDot, color: 'gray', label: entry.kind.replace(/_/g, ' ') };
        const Icon = kind.icon;
        const text = describe(entry);
        return (
          <Timeline.Item
            key={entry.id}
            bullet={<Icon size={15} />}
            color={kind.color}
            title={
              <Text fw={600} size="sm">
                {kind.label}
                {entry.actor_id && (
                  <Text span inherit fw={400} c="dimmed">
                    {' '}
                    by <PersonName id={entry.actor_id} />
                  </Text>
                )}
              </Text>
            }
            data-testid="timeline-entry"
            data-kind={entry.kind}
          >
            {text && (
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {text}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt={2} component="div">
              <RelativeTime ms={entry.created_at} />
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
