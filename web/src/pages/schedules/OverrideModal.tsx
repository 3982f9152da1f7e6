import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCreateOverride, type Schedule } from '../../api/schedules';
import type { UnixMs } from '../../api/types';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { PersonSelect } from '../../components/schedules/PersonSelect';
import { roleLabel } from '../../components/schedules/roleLabel';
import { addDays, formatRangeInZone, fromLocalInput, startOfDay, toLocalInput, zoneOffsetLabel } from '../../components/schedules/zonedTime';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';

/** What the dialog opens with: a bar's interval ("Take this shift") or nothing (today). */
export interface OverrideDraft {
  personId: string | null;
  start?: UnixMs;
  end?: UnixMs;
  role?: string;
  /** "Take this shift": the title says so. */
  takeShift?: boolean;
}

interface OverrideModalProps {
  schedule: Schedule;
  draft: OverrideDraft | null;
  onClose: () => void;
}

/** Puts one person on call instead of whoever the layers say, for an interval. */
export function OverrideModal({ schedule, draft, onClose }: OverrideModalProps) {
  const { t } = useTranslation('schedules');
  return (
    <ResponsiveModal opened={draft !== null} onClose={onClose} title={draft?.takeShift ? t('override.takeThisShift') : t('override.add')} size="lg">
      {/* Mounted only while open, so every opening starts from its own draft. */}
      {draft && <OverrideForm schedule={schedule} draft={draft} onClose={onClose} />}
    </ResponsiveModal>
  );
}

type OverrideValues = { person_id: string | null; role: string; start: string; end: string };

function OverrideForm({ schedule, draft, onClose }: { schedule: Schedule; draft: OverrideDraft; onClose: () => void }) {
  const { t } = useTranslation('schedules');
  const zone = schedule.time_zone;
  const createOverride = useCreateOverride(schedule.id);
  const today = startOfDay(Date.now(), zone);
  const roles = [...new Set(['primary', ...schedule.layers.map((layer) => layer.role), ...(draft.role ? [draft.role] : [])])];
  const form = useForm<OverrideValues>({
    initialValues: {
      person_id: draft.personId,
      role: draft.role ?? 'primary',
      start: toLocalInput(draft.start ?? today, zone),
      end: toLocalInput(draft.end ?? addDays(today, 1, zone), zone),
    },
    validate: {
      person_id: (value) => (value ? null : t('override.errors.person')),
      start: (value) => (fromLocalInput(value, zone) === null ? t('override.errors.start') : null),
      end: (value, values) => {
        const end = fromLocalInput(value, zone);
        const start = fromLocalInput(values.start, zone);
        if (end === null) return t('override.errors.end');
        return start !== null && end <= start ? t('override.errors.endAfterStart') : null;
      },
    },
  });
  const values = form.getValues();
  const start = fromLocalInput(values.start, zone);
  const end = fromLocalInput(values.end, zone);

  const submit = form.onSubmit((v) =>
    createOverride.mutate(
      { person_id: v.person_id ?? '', role: v.role, start: fromLocalInput(v.start, zone) ?? 0, end: fromLocalInput(v.end, zone) ?? 0 },
      {
        onSuccess: (created) => {
          notifySuccess(t('override.added', { range: formatRangeInZone(created.start, created.end, zone) }));
          onClose();
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate aria-label={t('override.formLabel')} data-testid="override-form">
      <Stack>
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} p="sm">
          {t('override.explain')}
        </Alert>
        <PersonSelect
          label={t('override.who')}
          required
          data-autofocus={draft.personId ? undefined : true}
          data-testid="override-person-select"
          value={values.person_id}
          onChange={(id) => form.setFieldValue('person_id', id)}
          error={form.errors.person_id}
        />
        {roles.length > 1 && (
          <Select
            label={t('override.role')}
            data={roles.map((role) => ({ value: role, label: roleLabel(role) }))}
            allowDeselect={false} data-testid="override-role-select" {...form.getInputProps('role')} />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('override.from')} type="datetime-local" required data-testid="override-start" {...form.getInputProps('start')} />
          <TextInput label={t('override.until')} type="datetime-local" required data-testid="override-end" {...form.getInputProps('end')} />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('override.timesIn', { zone, offset: zoneOffsetLabel(zone, start ?? Date.now()) })}
          {start !== null && end !== null && end > start ? ` ${formatRangeInZone(start, end, zone)}.` : ''}
        </Text>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={createOverride.isPending} data-testid="override-submit">
            {draft.takeShift ? t('override.takeShift') : t('override.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
