import { ActionIcon, Anchor, Button, Menu, Paper, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconDots, IconEdit, IconHandGrab, IconLockQuestion, IconReplace, IconTrash, IconUserShare } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
import { BackToSchedules } from './BackToSchedules';
import { OverrideModal, type OverrideDraft } from './OverrideModal';
import { DeleteOverrideDialog, OverridesSection } from './OverridesSection';


/** `/schedules/:scheduleId`: who is on call now, the timeline, overrides and the calendar feed. */
export function ScheduleDetailPage() {
  const { t } = useTranslation('schedules');
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
          <PageHeader title={t('detail.notFound')} breadcrumb={<BackToSchedules />} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title={t('detail.notFoundTitle')}
            description={t('detail.notFoundHelp')}
            action={
              <Button component={Link} to="/schedules" variant="light">
                {t('detail.backToSchedules')}
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
  const { t } = useTranslation('schedules');
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
        notifySuccess(t('detail.deleted', { name: schedule.name }));
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
        {t('override.add')}
      </Button>
      <Button variant="default" component={Link} to={`/schedules/${schedule.id}/edit`} leftSection={<IconEdit size={16} />} data-testid="edit-schedule-button">
        {t('common:actions.edit')}
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size={36} aria-label={t('detail.moreActions')} data-testid="schedule-more-actions">
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={deleteDialog.open} data-testid="delete-schedule">
            {t('detail.delete')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader
        title={schedule.name}
        breadcrumb={<BackToSchedules />}
        badges={<AccessBadge isPrivate={schedule.private} />}
        description={
          <>
            {t('detail.ownedBy')}{' '}
            <Text span fw={500} inherit>
              {schedule.team_name}
            </Text>{' '}
            · {zone} ({zoneOffsetLabel(zone)}){schedule.description ? ` · ${schedule.description}` : ''}
          </>
        }
        actions={actions}
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('list.columns.onCallNow')}>
          <Text size="sm" fw={600} mb="sm">
            {t('list.columns.onCallNow')}
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
        title={t('detail.deleteTitle')}
        message={t('detail.deleteMessage', { name: schedule.name })}
        confirmLabel={t('detail.delete')}
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
  const { t } = useTranslation('schedules');
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
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => bar.overrideId && onDeleteOverride({ id: bar.overrideId, label: t('detail.thisOverride') })}>
            {t('overrides.delete')}
          </Menu.Item>
        );
      }
      return (
        <>
          {!bar.personIds.includes(me.id) && (
            <Menu.Item leftSection={<IconHandGrab size={14} />} onClick={() => onTakeShift(bar, me.id)} data-testid="take-shift">
              {t('override.takeThisShift')}
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconUserShare size={14} />} onClick={() => onTakeShift(bar, null)} data-testid="override-shift">
            {t('detail.overrideWithSomeone')}
          </Menu.Item>
        </>
      );
    },
    [schedule.can_manage, me.id, onTakeShift, onDeleteOverride, t],
  );

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('detail.timeline')} data-testid="schedule-timeline-card">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={3} fz="lg">
            {t('detail.timeline')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('detail.timelineHelp', { zone, offset: zoneOffsetLabel(zone, range.start) })}
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
            label={t('detail.highlightMine')}
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
            {t('detail.noLayers')}{' '}
            {schedule.can_manage && (
              <Anchor component={Link} to={`/schedules/${schedule.id}/edit`} size="sm">
                {t('detail.addLayer')}
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
  const { t } = useTranslation('schedules');
  const feed = useScheduleFeed(schedule.id, true);
  const regenerate = useRegenerateScheduleFeed(schedule.id);
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('feed.title')}>
      <Stack gap={2} mb="md">
        <Title order={3} fz="lg">
          {t('feed.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('feed.scheduleHelp')}
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
            onSuccess: () => notifySuccess(t('feed.regenerated')),
            onError: (error) => notifyError(error),
            onSettled: done,
          })
        }
        whose="schedule"
        testId="schedule-feed"
      />
    </Paper>
  );
}
