import { Alert, Anchor, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowLeft, IconInfoCircle, IconLockQuestion, IconPlus, IconStack2 } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/http';
import { LAYERS_MAX, SCHEDULE_NAME_MAX, useCreateSchedule, usePersonNames, useSchedule, useUpdateSchedule, type Schedule } from '../../api/schedules';
import { useTeams } from '../../api/teams';
import { NewTeamLink } from '../../components/NewTeamLink';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { notifyError, notifySuccess } from '../../lib/notify';
import { LayerEditor } from './LayerEditor';
import { SchedulePreview } from './SchedulePreview';
import {
  emptyScheduleForm,
  formToScheduleBody,
  newLayer,
  scheduleFormRules,
  scheduleToForm,
  serverFieldErrors,
  type ScheduleFormValues,
} from './scheduleFormModel';

const FORM_ID = 'schedule-form';

/** Brings the first invalid input into view, so an error far down the page is not missed. */
function revealFirstError() {
  window.requestAnimationFrame(() => {
    const invalid = document.querySelector<HTMLElement>(`#${FORM_ID} [aria-invalid="true"], #${FORM_ID} [data-field-error]`);
    invalid?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (invalid instanceof HTMLInputElement || invalid instanceof HTMLTextAreaElement) invalid.focus({ preventScroll: true });
  });
}

/** Team options: your own teams first, since only they (or admins) can own a schedule you manage. */
function useTeamOptions() {
  const me = useCurrentUser();
  const teams = useTeams();
  const myTeamIds = new Set(me.teams.map((team) => team.id));
  const toOption = (team: { id: string; name: string }) => ({ value: team.id, label: team.name });
  const mine = teams.items.filter((team) => myTeamIds.has(team.id)).map(toOption);
  const others = isAdmin(me) ? teams.items.filter((team) => !myTeamIds.has(team.id)).map(toOption) : [];
  return {
    data: [...(mine.length ? [{ group: 'Your teams', items: mine }] : []), ...(others.length ? [{ group: 'Other teams', items: others }] : [])],
    loading: teams.isPending,
  };
}

const backToSchedules = (
  <Anchor component={Link} to="/schedules" size="sm" c="dimmed">
    <Group gap={4}>
      <IconArrowLeft size={14} /> Schedules
    </Group>
  </Anchor>
);

/** `/schedules/new` */
export function ScheduleCreatePage() {
  const me = useCurrentUser();
  const initial = useMemo(() => emptyScheduleForm(me.teams.length === 1 ? (me.teams[0]?.id ?? null) : null, me.time_zone || 'UTC'), [me]);
  return <ScheduleEditor initial={initial} />;
}

/** `/schedules/:scheduleId/edit` */
export function ScheduleEditPage() {
  const { scheduleId = '' } = useParams();
  const schedule = useSchedule(scheduleId);

  if (schedule.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={90} />
        <Skeleton height={30} width={280} />
        <Skeleton height={260} mt="md" />
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
          />
        </>
      );
    }
    return <ErrorState error={schedule.error} onRetry={() => void schedule.refetch()} />;
  }
  if (!schedule.data.can_manage) {
    return (
      <>
        <PageHeader title={`Edit ${schedule.data.name}`} breadcrumb={backToSchedules} />
        <EmptyState
          icon={<IconLockQuestion size={28} />}
          title="Only the owning team can change this schedule"
          description={`Ask a member of ${schedule.data.team_name} or an admin.`}
          action={
            <Button component={Link} to={`/schedules/${schedule.data.id}`} variant="light">
              Back to the schedule
            </Button>
          }
        />
      </>
    );
  }
  return <ScheduleEditor key={schedule.data.id} schedule={schedule.data} initial={scheduleToForm(schedule.data)} />;
}

interface ScheduleEditorProps {
  initial: ScheduleFormValues;
  /** The schedule being edited; absent when creating one. */
  schedule?: Schedule;
}

function ScheduleEditor({ initial, schedule }: ScheduleEditorProps) {
  const navigate = useNavigate();
  const createSchedule = useCreateSchedule();
  const updateSchedule = useUpdateSchedule(schedule?.id ?? '');
  const teams = useTeamOptions();
  const form = useForm<ScheduleFormValues>({ initialValues: initial, validate: scheduleFormRules });
  const values = form.getValues();
  const memberIds = values.layers.flatMap((layer) => layer.members.flatMap((slot) => slot.ids));
  const { names } = usePersonNames(memberIds);
  const saving = createSchedule.isPending || updateSchedule.isPending;
  const backTo = schedule ? `/schedules/${schedule.id}` : '/schedules';
  const title = schedule ? `Edit ${schedule.name}` : 'New schedule';

  const onServerError = (error: unknown) => {
    // 400 for broken rules, 409 for a name already taken: both name the field.
    if (isApiError(error) && (error.status === 400 || error.status === 409) && error.field) {
      const errors = serverFieldErrors(error.message, error.field);
      const shown = Object.keys(errors).filter((path) => /^(name|description|team_id|time_zone|private|layers)(\.|$)/.test(path));
      if (shown.length > 0) {
        form.setErrors(Object.fromEntries(shown.map((path) => [path, errors[path]])));
        notifyError(error, 'Check the highlighted fields');
        revealFirstError();
        return;
      }
    }
    notifyError(error, schedule ? 'Could not save the schedule' : 'Could not create the schedule');
  };

  const submit = form.onSubmit(
    (formValues) => {
      const body = formToScheduleBody(formValues);
      if (schedule) {
        updateSchedule.mutate(body, {
          onSuccess: (updated) => {
            notifySuccess(`Schedule “${updated.name}” saved`);
            void navigate(`/schedules/${updated.id}`);
          },
          onError: onServerError,
        });
      } else {
        createSchedule.mutate(body, {
          onSuccess: (created) => {
            notifySuccess(`Schedule “${created.name}” created`);
            void navigate(`/schedules/${created.id}`);
          },
          onError: onServerError,
        });
      }
    },
    () => revealFirstError(),
  );

  const addLayer = () => form.insertListItem('layers', newLayer(values.layers.length, values.time_zone || 'UTC'));
  const duplicateLayer = (index: number) => {
    const source = values.layers[index];
    if (!source) return;
    const copy = structuredClone(source);
    copy.key = randomId();
    copy.name = `${source.name} (copy)`.slice(0, 100);
    copy.members = copy.members.map((slot) => ({ ...slot, key: randomId() }));
    copy.restrictions.windows = copy.restrictions.windows.map((w) => ({ ...w, key: randomId() }));
    form.insertListItem('layers', copy, index + 1);
  };

  const actions = (testId: string) => (
    <>
      <Button variant="default" component={Link} to={backTo}>
        Cancel
      </Button>
      <Button type="submit" form={FORM_ID} loading={saving} data-testid={testId}>
        {schedule ? 'Save schedule' : 'Create schedule'}
      </Button>
    </>
  );

  return (
    <>
      <PageHeader
        title={title}
        breadcrumb={backToSchedules}
        description="Who is on call, in which order, and when. Times are read in the schedule's time zone."
        actions={actions('schedule-save')}
      />
      <Stack gap="lg">
        <form id={FORM_ID} onSubmit={submit} noValidate aria-label={title} data-testid="schedule-form">
          <Stack gap="lg">
            <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="Details">
              <Title order={3} fz="lg" mb="md">
                Details
              </Title>
              <Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Name"
                    placeholder="e.g. Payments primary"
                    required
                    maxLength={SCHEDULE_NAME_MAX}
                    autoFocus={!schedule}
                    data-testid="schedule-name-input"
                    {...form.getInputProps('name')}
                  />
                  <Select
                    label="Owning team"
                    description={
                      <>
                        Its members (and admins) can change the schedule and add overrides.{' '}
                        <NewTeamLink emphasise={!teams.loading && teams.data.length === 0} onCreated={(team) => form.setFieldValue('team_id', team.id)} />
                      </>
                    }
                    placeholder={teams.loading ? 'Loading teams…' : teams.data.length === 0 ? 'No teams yet: create one first' : 'Choose a team'}
                    data={teams.data}
                    searchable
                    required
                    allowDeselect={false}
                    nothingFoundMessage="No team with that name"
                    data-testid="schedule-team-select"
                    {...form.getInputProps('team_id')}
                  />
                </SimpleGrid>
                <Textarea
                  label="Description"
                  placeholder="What this schedule covers and how handoffs work"
                  autosize
                  minRows={2}
                  maxRows={6}
                  data-testid="schedule-description-input"
                  {...form.getInputProps('description')}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TimeZoneSelect
                    required
                    allowDeselect={false}
                    description="Handoffs and restrictions are read in this zone, across daylight-saving changes."
                    data-testid="schedule-time-zone-select"
                    {...form.getInputProps('time_zone')}
                  />
                </SimpleGrid>
                <Switch
                  label="Private"
                  description="Only the owning team (and admins) can see a private schedule. People on it still see their own shifts."
                  data-testid="schedule-private-switch"
                  {...form.getInputProps('private', { type: 'checkbox' })}
                />
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="Layers">
              <Group justify="space-between" align="flex-start" mb="sm" gap="xs">
                <Stack gap={2} style={{ flex: '1 1 300px' }}>
                  <Title order={3} fz="lg">
                    Layers
                  </Title>
                  <Text size="sm" c="dimmed">
                    Each layer is a rotation. Layers stack: a layer further down this list has higher priority and replaces the ones above it
                    wherever it has someone on call; where it has nobody, the layers above show through.
                  </Text>
                </Stack>
              </Group>
              {form.errors.layers && (
                <Alert color="red" variant="light" mb="sm" data-field-error>
                  {String(form.errors.layers)}
                </Alert>
              )}
              <Stack gap="md">
                {values.layers.length === 0 && (
                  <EmptyState
                    icon={<IconStack2 size={28} />}
                    title="No layers"
                    description="A schedule without layers has nobody on call, except through overrides."
                  />
                )}
                {values.layers.map((layer, index) => (
                  <LayerEditor
                    key={layer.key}
                    form={form}
                    index={index}
                    count={values.layers.length}
                    names={names}
                    zone={values.time_zone || 'UTC'}
                    onDuplicate={() => duplicateLayer(index)}
                  />
                ))}
                <Group justify="space-between" gap="sm">
                  <Button
                    variant="light"
                    leftSection={<IconPlus size={16} />}
                    onClick={addLayer}
                    disabled={values.layers.length >= LAYERS_MAX}
                    data-testid="add-layer-button"
                  >
                    Add layer
                  </Button>
                  {values.layers.length > 1 && (
                    <Group gap={6} wrap="nowrap">
                      <IconInfoCircle size={16} color="var(--mantine-color-dimmed)" />
                      <Text size="xs" c="dimmed">
                        Layer {values.layers.length} wins over the others where they overlap.
                      </Text>
                    </Group>
                  )}
                </Group>
              </Stack>
            </Paper>
          </Stack>
        </form>

        <SchedulePreview values={values} />

        <Group justify="flex-end">{actions('schedule-save-bottom')}</Group>
      </Stack>
    </>
  );
}
