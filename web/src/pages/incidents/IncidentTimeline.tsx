import { useTranslation } from 'react-i18next';
import { Skeleton, Stack, Text, Timeline } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowMerge,
  IconArrowsUpDown,
  IconBell,
  IconBolt,
  IconCircleCheck,
  IconCircleDot,
  IconEdit,
  IconGitCommit,
  IconHeartbeat,
  IconMessage,
  IconSend,
  IconStairsUp,
  IconUserCheck,
  IconUserPlus,
  IconWaveSine,
  type Icon,
} from '@tabler/icons-react';
import { useIncidentTimeline } from '../../api/incidents';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';

const KINDS: Record<string, { icon: Icon; color: string }> = {
  created: { icon: IconAlertTriangle, color: 'red' },
  alert_merged: { icon: IconArrowMerge, color: 'orange' },
  alert_recovered: { icon: IconHeartbeat, color: 'teal' },
  severity_changed: { icon: IconArrowsUpDown, color: 'grape' },
  storm: { icon: IconBolt, color: 'yellow' },
  flapping: { icon: IconWaveSine, color: 'pink' },
  acknowledged: { icon: IconUserCheck, color: 'blue' },
  resolved: { icon: IconCircleCheck, color: 'teal' },
  notified: { icon: IconBell, color: 'orange' },
  paged: { icon: IconBell, color: 'orange' },
  escalated: { icon: IconStairsUp, color: 'red' },
  escalated_manually: { icon: IconStairsUp, color: 'red' },
  notification_sent: { icon: IconSend, color: 'gray' },
  notification_failed: { icon: IconSend, color: 'red' },
  unreachable: { icon: IconSend, color: 'red' },
  merged: { icon: IconArrowMerge, color: 'violet' },
  merged_into: { icon: IconArrowMerge, color: 'violet' },
  field_changed: { icon: IconEdit, color: 'gray' },
  reassigned: { icon: IconUserPlus, color: 'blue' },
  responders_added: { icon: IconUserPlus, color: 'blue' },
  commented: { icon: IconMessage, color: 'gray' },
  change: { icon: IconGitCommit, color: 'cyan' },
};

/** Every change to the incident, oldest first, each a sentence from the server saying who did what and how. */
export function IncidentTimeline({ incidentId }: { incidentId: string }) {
  const timeline = useIncidentTimeline(incidentId);
  const { t } = useTranslation('incidents');
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
  if (timeline.items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('timeline.empty')}
      </Text>
    );
  }
  const entries = timeline.items;
  return (
    <Stack gap="sm" maw={760}>
      <Timeline bulletSize={28} lineWidth={2} active={entries.length - 1} color="gray" data-testid="incident-timeline">
        {entries.map((entry) => {
          const kind = KINDS[entry.kind] ?? { icon: IconCircleDot, color: 'gray' };
          const Icon = kind.icon;
          const markdown = entry.kind === 'commented' && typeof (entry.data as { markdown?: unknown }).markdown === 'string' ? (entry.data as { markdown: string }).markdown : null;
          return (
            <Timeline.Item
              key={entry.id}
              bullet={<Icon size={15} />}
              color={kind.color}
              title={
                <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {entry.text}
                </Text>
              }
              data-testid="timeline-entry"
              data-kind={entry.kind}
            >
              {markdown && (
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {markdown}
                </Text>
              )}
              <Text size="xs" c="dimmed" mt={2} component="div">
                <RelativeTime ms={entry.created_at} />
              </Text>
            </Timeline.Item>
          );
        })}
      </Timeline>
      <LoadMore hasMore={timeline.hasNextPage} loading={timeline.isFetchingNextPage} onLoadMore={() => void timeline.fetchNextPage()} />
    </Stack>
  );
}
