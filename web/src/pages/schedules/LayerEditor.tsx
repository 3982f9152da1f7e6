import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Input,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { ROTATION_COUNT_MAX, ROTATION_UNITS, WINDOWS_MAX, type RestrictionKind, type RotationUnit } from '../../api/schedules';
import { FirstShiftNote } from './FirstShiftNote';
import { MembersEditor } from './MembersEditor';
import {
  errorUnder,
  newWindow,
  rotationLength,
  unitName,
  weekdayLabel,
  weekdayOptions,
  type LayerValues,
  type MemberSlot,
  type ScheduleFormValues,
  type WindowValues,
} from './scheduleFormModel';

interface LayerEditorProps {
  form: UseFormReturnType<ScheduleFormValues>;
  index: number;
  count: number;
  names: Map<string, string | null>;
  /** The schedule's zone, in which start and end are read. */
  zone: string;
  onDuplicate: () => void;
}

const ROLE_OPTIONS = ['primary', 'backup', 'custom'] as const;

/** One sentence saying what the rotation settings mean, in the person's language. */
export function rotationSummary(layer: LayerValues): string {
  const { unit, count, handoff_time: time, weekday } = layer.rotation;
  const n = Number(count) || 1;
  const who = i18next.t(layer.members.length <= 1 ? 'schedules:layer.summary.whoOne' : 'schedules:layer.summary.whoSlots');
  return i18next.t(`schedules:layer.summary.${unit}`, { who, length: rotationLength(unit, n), time: time || '--:--', weekday: weekdayLabel(weekday) });
}

const SERVER_ONLY_FIELDS = ['name', 'role', 'members', 'rotation', 'start', 'end', 'restrictions'];

/** One layer of the schedule: who rotates, how often, from when, and when it is active. */
export function LayerEditor({ form, index, count, names, zone, onDuplicate }: LayerEditorProps) {
  const { t } = useTranslation('schedules');
  const path = `layers.${index}`;
  const layer = form.getValues().layers[index];
  if (!layer) return null;
  const prefix = `layer-${index}`;
  const roleMode = layer.role === 'primary' || layer.role === 'backup' ? layer.role : 'custom';
  const restrictionKind = layer.restrictions.kind;
  // Errors the server reported somewhere in this layer that no input below shows.
  const stray = Object.entries(form.errors).find(
    ([key]) => key.startsWith(`${path}.`) && !SERVER_ONLY_FIELDS.some((field) => key.startsWith(`${path}.${field}`)),
  );

  const setKind = (kind: RestrictionKind) => {
    form.setFieldValue(`${path}.restrictions`, {
      kind,
      windows: kind === 'none' ? [] : kind === restrictionKind ? layer.restrictions.windows : [newWindow(kind)],
    });
  };

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="layer-editor" data-layer-index={index} role="group" aria-label={t('timeline.layerN', { n: index + 1 })}>
      <Group justify="space-between" mb="sm" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text fw={650}>{t('timeline.layerN', { n: index + 1 })}</Text>
          {count > 1 && index === count - 1 && (
            <Badge size="sm" variant="light" color="ember">
              {t('layer.highest')}
            </Badge>
          )}
          {count > 1 && index === 0 && (
            <Badge size="sm" variant="light" color="gray">
              {t('layer.lowest')}
            </Badge>
          )}
        </Group>
        <Group gap={2} wrap="nowrap">
          <Tooltip label={t('layer.moveUpTip')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === 0}
              onClick={() => form.reorderListItem('layers', { from: index, to: index - 1 })}
              aria-label={t('layer.moveUp', { n: index + 1 })}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('layer.moveDownTip')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === count - 1}
              onClick={() => form.reorderListItem('layers', { from: index, to: index + 1 })}
              aria-label={t('layer.moveDown', { n: index + 1 })}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('layer.duplicateTip')}>
            <ActionIcon variant="subtle" color="gray" onClick={onDuplicate} aria-label={t('layer.duplicate', { n: index + 1 })}>
              <IconCopy size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('layer.removeTip')}>
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={() => form.removeListItem('layers', index)}
              aria-label={t('layer.remove', { n: index + 1 })}
              data-testid={`${prefix}-remove`}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      <Stack gap="md">
        {stray && (
          <Alert color="red" variant="light" p="xs">
            {String(stray[1])}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('layer.name')} required maxLength={100} data-testid={`${prefix}-name`} {...form.getInputProps(`${path}.name`)} />
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <Select
              label={t('layer.role')}
              data={ROLE_OPTIONS.map((value) => ({ value, label: t(`layer.roleOptions.${value}`) }))}
              value={roleMode}
              allowDeselect={false}
              onChange={(value) => form.setFieldValue(`${path}.role`, value === 'custom' ? '' : (value ?? 'primary'))}
              error={roleMode === 'custom' ? undefined : form.errors[`${path}.role`]}
              style={{ flex: 1, minWidth: 0 }}
              data-testid={`${prefix}-role`}
              comboboxProps={{ withinPortal: true }}
            />
            {roleMode === 'custom' && (
              <TextInput
                label={t('layer.roleName')}
                placeholder={t('layer.roleNamePlaceholder')}
                required
                style={{ flex: 1, minWidth: 0 }}
                data-testid={`${prefix}-role-name`}
                {...form.getInputProps(`${path}.role`)}
              />
            )}
          </Group>
        </SimpleGrid>

        <MembersEditor
          layerIndex={index}
          slots={layer.members}
          names={names}
          onChange={(slots: MemberSlot[]) => {
            form.setFieldValue(`${path}.members`, slots);
            form.clearFieldError(`${path}.members`);
          }}
          slotError={(slot) => errorUnder(form.errors, `${path}.members.${slot}`)}
          error={typeof form.errors[`${path}.members`] === 'string' ? String(form.errors[`${path}.members`]) : undefined}
        />

        <Input.Wrapper label={t('layer.rotation')} description={rotationSummary(layer)} labelElement="div">
          <SimpleGrid cols={{ base: 2, sm: layer.rotation.unit === 'week' ? 4 : 3 }} mt={6} spacing="sm">
            <NumberInput
              aria-label={t('layer.rotationLength')}
              label={t('layer.every')}
              min={1}
              max={ROTATION_COUNT_MAX}
              clampBehavior="strict"
              allowDecimal={false}
              allowNegative={false}
              data-testid={`${prefix}-rotation-count`}
              {...form.getInputProps(`${path}.rotation.count`)}
            />
            <Select
              label={t('layer.unit')}
              data={ROTATION_UNITS.map((unit) => ({ value: unit, label: unitName(unit) }))}
              allowDeselect={false}
              data-testid={`${prefix}-rotation-unit`}
              {...form.getInputProps(`${path}.rotation.unit`)}
              onChange={(value) => form.setFieldValue(`${path}.rotation.unit`, (value ?? 'week') as RotationUnit)}
            />
            <TextInput
              label={layer.rotation.unit === 'hour' ? t('layer.countedFrom') : t('layer.handoffTime')}
              type="time"
              required
              data-testid={`${prefix}-handoff-time`}
              {...form.getInputProps(`${path}.rotation.handoff_time`)}
            />
            {layer.rotation.unit === 'week' && (
              <Select
                label={t('layer.handoffDay')}
                data={weekdayOptions()}
                allowDeselect={false}
                data-testid={`${prefix}-weekday`}
                {...form.getInputProps(`${path}.rotation.weekday`)}
              />
            )}
          </SimpleGrid>
        </Input.Wrapper>

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('layer.starts')}
            description={t('layer.startsHelp', { zone })}
            type="datetime-local"
            required
            data-testid={`${prefix}-start`}
            {...form.getInputProps(`${path}.start`)}
          />
          <TextInput
            label={t('layer.ends')}
            description={t('layer.endsHelp', { zone })}
            type="datetime-local"
            data-testid={`${prefix}-end`}
            {...form.getInputProps(`${path}.end`)}
          />
        </SimpleGrid>
        <FirstShiftNote layer={layer} testId={`${prefix}-first-shift`} />

        <RestrictionsEditor
          form={form}
          index={index}
          kind={restrictionKind}
          windows={layer.restrictions.windows}
          onKindChange={setKind}
          error={errorUnder(form.errors, `${path}.restrictions.kind`) ?? (typeof form.errors[`${path}.restrictions.windows`] === 'string' ? String(form.errors[`${path}.restrictions.windows`]) : undefined)}
        />
      </Stack>
    </Paper>
  );
}

interface RestrictionsEditorProps {
  form: UseFormReturnType<ScheduleFormValues>;
  index: number;
  kind: RestrictionKind;
  windows: WindowValues[];
  onKindChange: (kind: RestrictionKind) => void;
  error?: string;
}

function RestrictionsEditor({ form, index, kind, windows, onKindChange, error }: RestrictionsEditorProps) {
  const { t } = useTranslation('schedules');
  const path = `layers.${index}.restrictions.windows`;
  const prefix = `layer-${index}`;
  const days = weekdayOptions();
  return (
    <Input.Wrapper
      label={t('restrictions.label')}
      description={t(`restrictions.help.${kind}`, { monday: weekdayLabel('monday'), friday: weekdayLabel('friday') })}
      error={error}
      labelElement="div"
    >
      <Stack gap="xs" mt={6}>
        <SegmentedControl
          value={kind}
          onChange={(value) => onKindChange(value as RestrictionKind)}
          data={[
            { value: 'none', label: <span data-testid={`${prefix}-restriction-none`}>{t('restrictions.always')}</span> },
            { value: 'daily', label: <span data-testid={`${prefix}-restriction-daily`}>{t('restrictions.daily')}</span> },
            { value: 'weekly', label: <span data-testid={`${prefix}-restriction-weekly`}>{t('restrictions.weekly')}</span> },
          ]}
          aria-label={t('restrictions.aria', { n: index + 1 })}
          style={{ alignSelf: 'flex-start' }}
        />
        {kind !== 'none' &&
          windows.map((window, w) => (
            <Group key={window.key} gap="xs" align="flex-start" wrap="wrap" data-testid={`${prefix}-window`}>
              {kind === 'weekly' && (
                <Select
                  aria-label={t('restrictions.startDay', { n: w + 1 })}
                  data={days}
                  allowDeselect={false}
                  w={130}
                  {...form.getInputProps(`${path}.${w}.start_day`)}
                />
              )}
              <TextInput
                aria-label={t('restrictions.start', { n: w + 1 })}
                type="time"
                w={120}
                data-testid={`${prefix}-window-${w}-start`}
                {...form.getInputProps(`${path}.${w}.start`)}
              />
              <Text size="sm" c="dimmed" pt={8}>
                {t('restrictions.to')}
              </Text>
              {kind === 'weekly' && (
                <Select aria-label={t('restrictions.endDay', { n: w + 1 })} data={days} allowDeselect={false} w={130} {...form.getInputProps(`${path}.${w}.end_day`)} />
              )}
              <TextInput aria-label={t('restrictions.end', { n: w + 1 })} type="time" w={120} data-testid={`${prefix}-window-${w}-end`} {...form.getInputProps(`${path}.${w}.end`)} />
              <Tooltip label={t('restrictions.removeTip')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mt={4}
                  disabled={windows.length === 1}
                  onClick={() => form.removeListItem(path, w)}
                  aria-label={t('restrictions.remove', { n: w + 1 })}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        {kind !== 'none' && (
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} />}
            style={{ alignSelf: 'flex-start' }}
            disabled={windows.length >= WINDOWS_MAX}
            onClick={() => form.insertListItem(path, newWindow(kind))}
          >
            {t('restrictions.add')}
          </Button>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
