import { ActionIcon, Anchor, Button, Group, Menu, Paper, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconArrowLeft, IconDots, IconEdit, IconHandGrab, IconLockQuestion, IconReplace, IconTrash, IconUserShare } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/http';
import {
  useDeleteSchedule,
  useRegenerateScheduleFeed,
  useSchedule,
  useScheduleFeed,
  useScheduleTimeline,
  type Schedule,
} from '../../api/schedules';
import { useCurrentUser } from '../../app/guards';
import { AccessBadge } from '../../components/Badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { CalendarFeed } from '../../components/schedules/CalendarFeed';
import { OnCallNow } from '../../components/schedules/OnCallNow';
import { Timeline, type TimelineBar } from '../../components/schedules/Timeline';
import { TimelineToolbar } from '../../components/schedules/TimelineToolbar';
import { isTimelineView, rangeFor, rangeTitle, stepAnchor, type TimelineView } from '../../components/schedules/timelineRange';
import { fromLocalInput, toLocalInput, zoneOffsetLabel } from '../../components/schedules/zonedTime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { OverrideModal, type OverrideDraft } from './OverrideModal';
import { DeleteOverrideDialog, OverridesSection } from './OverridesSection';

const backToSchedules = (
  <Anchor component={Link} to="/schedules" size="sm" c="dimmed">
    <Group gap={4}>
      <IconArrowLeft size={14} /> Schedules
    </Group>
  </Anchor>
);

/** `/schedules/:scheduleId`: who is on call now, the timeline, overrides and the calendar feed. */
export function ScheduleDetailPage() {
  const { scheduleId = '' } = useParams();
  const schedule = useSchedule(scheduleId);

  if (schedule.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={90} />
        <Skeleton height={30} width={280} />
        <Skeleton height={90} mt="md" />
        <Skeleton height={320} />
      </Stack>
    );
  }
  if (schedule.isError) {
    if (isApiError(schedule.error, 404)) {
      return (
        <>
          <PageHeader title="Schedule not found" breadcrumb={backToSchedules} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title="Schedule not found or you have no access"
            description="It may have been deleted, or it is a private schedule of a team you are not in."
            action={
              <Button component={Link} to="/schedules" variant="light">
                Back to schedules
              </Button>
            }
          />
        </>
      );
    }
    return <ErrorState error={schedule.error} onRetry={() => void schedule.refetch()} />;
  }
  return <ScheduleView schedule={schedule.data} />;
}

function ScheduleView({ schedule }: { schedule: Schedule }) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [overrideDraft, setOverrideDraft] = useState<OverrideDraft | null>(null);
  const [overrideToDelete, setOverrideToDelete] = useState<{ id: string; label: string } | null>(null);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const deleteSchedule = useDeleteSchedule(schedule.id);
  const zone = schedule.time_zone;

  const confirmDelete = () =>
    deleteSchedule.mutate(undefined, {
      onSuccess: () => {
        notifySuccess(`Schedule “${schedule.name}” deleted`);
        void navigate('/schedules', { replace: true });
      },
      onError: (error) => {
        deleteDialog.close();
        notifyError(error);
      },
    });

  const actions = schedule.can_manage ? (
    <>
      <Button variant="light" leftSection={<IconReplace size={16} />} onClick={() => setOverrideDraft({ personId: null })} data-testid="add-override-button">
        Add override
      </Button>
      <Button variant="default" component={Link} to={`/schedules/${schedule.id}/edit`} leftSection={<IconEdit size={16} />} data-testid="edit-schedule-button">
        Edit
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size={36} aria-label="More schedule actions" data-testid="schedule-more-actions">
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={deleteDialog.open} data-testid="delete-schedule">
            Delete schedule
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader
        title={schedule.name}
        breadcrumb={backToSchedules}
        badges={<AccessBadge isPrivate={schedule.private} />}
        description={
          <>
            Owned by{' '}
            <Text span fw={500} inherit>
              {schedule.team_name}
            </Text>{' '}
            · {zone} ({zoneOffsetLabel(zone)}){schedule.description ? ` · ${schedule.description}` : ''}
          </>
        }
        actions={actions}
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="On call now">
          <Text size="sm" fw={600} mb="sm">
            On call now
          </Text>
          <OnCallNow scheduleId={schedule.id} variant="full" meId={me.id} />
        </Paper>

        <ScheduleTimelineCard
          schedule={schedule}
          onTakeShift={(bar, personId) =>
            setOverrideDraft({ personId, start: bar.start, end: bar.end, role: bar.role, takeShift: personId === me.id })
          }
          onDeleteOverride={setOverrideToDelete}
        />

        <OverridesSection schedule={schedule} onDelete={setOverrideToDelete} />

        {schedule.can_manage && <ScheduleFeedCard schedule={schedule} />}
      </Stack>

      {schedule.can_manage && <OverrideModal schedule={schedule} draft={overrideDraft} onClose={() => setOverrideDraft(null)} />}
      <DeleteOverrideDialog scheduleId={schedule.id} target={overrideToDelete} onClose={() => setOverrideToDelete(null)} />
      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title="Delete schedule?"
        message={`“${schedule.name}”, its layers, overrides and calendar feed will be deleted. Escalation rules that page this schedule will no longer find anyone on call through it.`}
        confirmLabel="Delete schedule"
        loading={deleteSchedule.isPending}
        onConfirm={confirmDelete}
      />
    </>
  );
}

interface ScheduleTimelineCardProps {
  schedule: Schedule;
  onTakeShift: (bar: TimelineBar, personId: string | null) => void;
  onDeleteOverride: (target: { id: string; label: string }) => void;
}

/** The timeline with its range in the URL (`?view=week&date=2026-03-02`), so a view can be shared. */
function ScheduleTimelineCard({ schedule, onTakeShift, onDeleteOverride }: ScheduleTimelineCardProps) {
  const me = useCurrentUser();
  const zone = schedule.time_zone;
  const [params, setParams] = useSearchParams();
  const [highlightMine, setHighlightMine] = useLocalStorage({ key: 'tocsin.schedules.highlight-mine', defaultValue: false });
  const viewParam = params.get('view');
  const view: TimelineView = isTimelineView(viewParam) ? viewParam : 'week';
  const dateParam = params.get('date');
  // Without a date the view shows "today", as of when the page opened.
  const [openedAt] = useState(() => Date.now());
  const anchor = (dateParam && fromLocalInput(`${dateParam}T12:00`, zone)) || openedAt;
  const range = useMemo(() => rangeFor(view, anchor, zone), [view, anchor, zone]);
  const timeline = useScheduleTimeline(schedule.id, range);
  const colorOrder = useMemo(() => schedule.layers.flatMap((layer) => layer.members.flat()), [schedule.layers]);

  const setView = (next: { view?: TimelineView; anchor?: number | null }) =>
    setParams(
      (current) => {
        const out = new URLSearchParams(current);
        if (next.view) out.set('view', next.view);
        if (next.anchor === null) out.delete('date');
        else if (next.anchor !== undefined) out.set('date', toLocalInput(next.anchor, zone).slice(0, 10));
        return out;
      },
      { replace: true },
    );

  const barMenu = useCallback(
    (bar: TimelineBar) => {
      if (!schedule.can_manage) return null;
      if (bar.kind === 'override') {
        return (
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => bar.overrideId && onDeleteOverride({ id: bar.overrideId, label: 'This override' })}>
            Delete override
          </Menu.Item>
        );
      }
      return (
        <>
          {!bar.personIds.includes(me.id) && (
            <Menu.Item leftSection={<IconHandGrab size={14} />} onClick={() => onTakeShift(bar, me.id)} data-testid="take-shift">
              Take this shift
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconUserShare size={14} />} onClick={() => onTakeShift(bar, null)} data-testid="override-shift">
            Override with someone else…
          </Menu.Item>
        </>
      );
    },
    [schedule.can_manage, me.id, onTakeShift, onDeleteOverride],
  );

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="Timeline" data-testid="schedule-timeline-card">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={3} fz="lg">
            Timeline
          </Title>
          <Text size="sm" c="dimmed">
            Later layers win where they overlap; overrides win over every layer. Times in {zone} ({zoneOffsetLabel(zone, range.start)}).
          </Text>
        </Stack>
        <TimelineToolbar
          view={view}
          onViewChange={(next) => setView({ view: next })}
          onStep={(direction) => setView({ anchor: stepAnchor(view, anchor, direction, zone) })}
          onToday={() => setView({ anchor: null })}
          title={rangeTitle(view, range, zone)}
          refreshing={timeline.isFetching && timeline.isPlaceholderData}
        >
          <Switch
            label="Highlight my shifts"
            checked={highlightMine}
            onChange={(event) => setHighlightMine(event.currentTarget.checked)}
            data-testid="highlight-my-shifts"
          />
        </TimelineToolbar>
        {timeline.isError ? (
          <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
        ) : (
          <Timeline
            timeline={timeline.data}
            range={range}
            timeZone={zone}
            loading={timeline.isPending}
            highlightPersonId={highlightMine ? me.id : null}
            colorOrder={colorOrder}
            barMenu={schedule.can_manage ? barMenu : undefined}
          />
        )}
        {schedule.layers.length === 0 && (
          <Text size="sm" c="dimmed">
            This schedule has no layers yet, so only overrides put anyone on call.{' '}
            {schedule.can_manage && (
              <Anchor component={Link} to={`/schedules/${schedule.id}/edit`} size="sm">
                Add a layer
              </Anchor>
            )}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The schedule's calendar feed (managers only: the URL lets anyone read the shifts). */
function ScheduleFeedCard({ schedule }: { schedule: Schedule }) {
  const feed = useScheduleFeed(schedule.id, true);
  const regenerate = useRegenerateScheduleFeed(schedule.id);
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="Calendar feed">
      <Stack gap={2} mb="md">
        <Title order={3} fz="lg">
          Calendar feed
        </Title>
        <Text size="sm" c="dimmed">
          The final schedule as an iCalendar feed, 7 days back to 60 days ahead, for a team calendar. Everyone also has a personal feed of their
          own shifts in their personal center.
        </Text>
      </Stack>
      <CalendarFeed
        urls={feed.data}
        loading={feed.isPending}
        error={feed.error}
        onRetry={() => void feed.refetch()}
        regenerating={regenerate.isPending}
        onRegenerate={(done) =>
          regenerate.mutate(undefined, {
            onSuccess: () => notifySuccess('New feed URL created; the old one no longer works'),
            onError: (error) => notifyError(error),
            onSettled: done,
          })
        }
        whose="Existing"
        testId="schedule-feed"
      />
    </Paper>
  );
}
