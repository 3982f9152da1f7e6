import { Alert, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconInfoCircle, IconLockQuestion, IconPlus, IconStack2 } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
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
import { BackToSchedules } from './BackToSchedules';
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
  const { t } = useTranslation('schedules');
  const me = useCurrentUser();
  const teams = useTeams();
  const myTeamIds = new Set(me.teams.map((team) => team.id));
  const toOption = (team: { id: string; name: string }) => ({ value: team.id, label: team.name });
  const mine = teams.items.filter((team) => myTeamIds.has(team.id)).map(toOption);
  const others = isAdmin(me) ? teams.items.filter((team) => !myTeamIds.has(team.id)).map(toOption) : [];
  return {
    data: [...(mine.length ? [{ group: t('form.yourTeams'), items: mine }] : []), ...(others.length ? [{ group: t('form.otherTeams'), items: others }] : [])],
    loading: teams.isPending,
  };
}


/** `/schedules/new` */
export function ScheduleCreatePage() {
  const me = useCurrentUser();
  const initial = useMemo(() => emptyScheduleForm(me.teams.length === 1 ? (me.teams[0]?.id ?? null) : null, me.time_zone || 'UTC'), [me]);
  return <ScheduleEditor initial={initial} />;
}

/** `/schedules/:scheduleId/edit` */
export function ScheduleEditPage() {
  const { t } = useTranslation('schedules');
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
          <PageHeader title={t('detail.notFound')} breadcrumb={<BackToSchedules />} />
          <EmptyState
            icon={<IconLockQuestion size={28} />}
            title={t('detail.notFoundTitle')}
            description={t('detail.notFoundHelp')}
          />
        </>
      );
    }
    return <ErrorState error={schedule.error} onRetry={() => void schedule.refetch()} />;
  }
  if (!schedule.data.can_manage) {
    return (
      <>
        <PageHeader title={t('form.editTitle', { name: schedule.data.name })} breadcrumb={<BackToSchedules />} />
        <EmptyState
          icon={<IconLockQuestion size={28} />}
          title={t('form.readOnlyTitle')}
          description={t('form.readOnlyHelp', { team: schedule.data.team_name })}
          action={
            <Button component={Link} to={`/schedules/${schedule.data.id}`} variant="light">
              {t('form.backToSchedule')}
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
  const { t } = useTranslation('schedules');
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
  const title = schedule ? t('form.editTitle', { name: schedule.name }) : t('form.newTitle');

  const onServerError = (error: unknown) => {
    // 400 for broken rules, 409 for a name already taken: both name the field.
    if (isApiError(error) && (error.status === 400 || error.status === 409) && error.field) {
      const errors = serverFieldErrors(error.message, error.field);
      const shown = Object.keys(errors).filter((path) => /^(name|description|team_id|time_zone|private|layers)(\.|$)/.test(path));
      if (shown.length > 0) {
        form.setErrors(Object.fromEntries(shown.map((path) => [path, errors[path]])));
        notifyError(error, t('form.checkFields'));
        revealFirstError();
        return;
      }
    }
    notifyError(error, schedule ? t('form.saveFailed') : t('form.createFailed'));
  };

  const submit = form.onSubmit(
    (formValues) => {
      const body = formToScheduleBody(formValues);
      if (schedule) {
        updateSchedule.mutate(body, {
          onSuccess: (updated) => {
            notifySuccess(t('form.saved', { name: updated.name }));
            void navigate(`/schedules/${updated.id}`);
          },
          onError: onServerError,
        });
      } else {
        createSchedule.mutate(body, {
          onSuccess: (created) => {
            notifySuccess(t('form.created', { name: created.name }));
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
    copy.name = t('form.copyName', { name: source.name }).slice(0, 100);
    copy.members = copy.members.map((slot) => ({ ...slot, key: randomId() }));
    copy.restrictions.windows = copy.restrictions.windows.map((w) => ({ ...w, key: randomId() }));
    form.insertListItem('layers', copy, index + 1);
  };

  const actions = (testId: string) => (
    <>
      <Button variant="default" component={Link} to={backTo}>
        {t('common:actions.cancel')}
      </Button>
      <Button type="submit" form={FORM_ID} loading={saving} data-testid={testId}>
        {schedule ? t('form.save') : t('list.create')}
      </Button>
    </>
  );

  return (
    <>
      <PageHeader
        title={title}
        breadcrumb={<BackToSchedules />}
        description={t('form.description')}
        actions={actions('schedule-save')}
      />
      <Stack gap="lg">
        <form id={FORM_ID} onSubmit={submit} noValidate aria-label={title} data-testid="schedule-form">
          <Stack gap="lg">
            <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('form.details')}>
              <Title order={3} fz="lg" mb="md">
                {t('form.details')}
              </Title>
              <Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('list.columns.name')}
                    placeholder={t('form.namePlaceholder')}
                    required
                    maxLength={SCHEDULE_NAME_MAX}
                    autoFocus={!schedule}
                    data-testid="schedule-name-input"
                    {...form.getInputProps('name')}
                  />
                  <Select
                    label={t('form.team')}
                    description={
                      <>
                        {t('form.teamHelp')}{' '}
                        <NewTeamLink emphasise={!teams.loading && teams.data.length === 0} onCreated={(team) => form.setFieldValue('team_id', team.id)} />
                      </>
                    }
                    placeholder={teams.loading ? t('form.loadingTeams') : teams.data.length === 0 ? t('form.noTeams') : t('form.chooseTeam')}
                    data={teams.data}
                    searchable
                    required
                    allowDeselect={false}
                    nothingFoundMessage={t('form.noTeamMatch')}
                    data-testid="schedule-team-select"
                    {...form.getInputProps('team_id')}
                  />
                </SimpleGrid>
                <Textarea
                  label={t('form.descriptionLabel')}
                  placeholder={t('form.descriptionPlaceholder')}
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
                    description={t('form.timeZoneHelp')}
                    data-testid="schedule-time-zone-select"
                    {...form.getInputProps('time_zone')}
                  />
                </SimpleGrid>
                <Switch
                  label={t('form.private')}
                  description={t('form.privateHelp')}
                  data-testid="schedule-private-switch"
                  {...form.getInputProps('private', { type: 'checkbox' })}
                />
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('form.layers')}>
              <Group justify="space-between" align="flex-start" mb="sm" gap="xs">
                <Stack gap={2} style={{ flex: '1 1 300px' }}>
                  <Title order={3} fz="lg">
                    {t('form.layers')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('form.layersHelp')}
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
                    title={t('form.noLayers')}
                    description={t('form.noLayersHelp')}
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
                    {t('form.addLayer')}
                  </Button>
                  {values.layers.length > 1 && (
                    <Group gap={6} wrap="nowrap">
                      <IconInfoCircle size={16} color="var(--mantine-color-dimmed)" />
                      <Text size="xs" c="dimmed">
                        {t('form.topLayerWins', { n: values.layers.length })}
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
