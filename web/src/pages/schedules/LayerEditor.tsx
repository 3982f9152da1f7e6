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
import { ROTATION_COUNT_MAX, ROTATION_UNITS, WINDOWS_MAX, type RestrictionKind, type RotationUnit } from '../../api/schedules';
import { FirstShiftNote } from './FirstShiftNote';
import { MembersEditor } from './MembersEditor';
import {
  UNIT_LABELS,
  WEEKDAY_LABELS,
  WEEKDAY_OPTIONS,
  errorUnder,
  newWindow,
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

const ROLE_OPTIONS = [
  { value: 'primary', label: 'Primary — paged first' },
  { value: 'backup', label: 'Backup — paged when escalating' },
  { value: 'custom', label: 'Custom role…' },
];

const UNIT_OPTIONS = ROTATION_UNITS.map((unit) => ({ value: unit, label: UNIT_LABELS[unit].many.replace(/^./, (c) => c.toUpperCase()) }));

/** One sentence saying what the rotation settings mean. */
export function rotationSummary(layer: LayerValues): string {
  const { unit, count, handoff_time: time, weekday } = layer.rotation;
  const n = Number(count) || 1;
  const length = `${n} ${n === 1 ? UNIT_LABELS[unit].one : UNIT_LABELS[unit].many}`;
  const slots = layer.members.length;
  const who = slots <= 1 ? 'The member is on call' : 'Each slot is on call';
  switch (unit) {
    case 'hour':
      return `${who} for ${length}, in turns counted from ${time || '--:--'} on the start day. Hourly turns keep their length across daylight-saving changes, so the local handoff time can move (by 30 minutes in zones such as Lord Howe).`;
    case 'day':
      return `${who} for ${length}, handing over at ${time || '--:--'}.`;
    case 'week':
      return `${who} for ${length}, handing over on ${WEEKDAY_LABELS[weekday]}s at ${time || '--:--'}.`;
    case 'month':
      return `${who} for ${length}, handing over on the start date's day of the month at ${time || '--:--'}.`;
  }
}

const SERVER_ONLY_FIELDS = ['name', 'role', 'members', 'rotation', 'start', 'end', 'restrictions'];

/** One layer of the schedule: who rotates, how often, from when, and when it is active. */
export function LayerEditor({ form, index, count, names, zone, onDuplicate }: LayerEditorProps) {
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
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="layer-editor" data-layer-index={index} role="group" aria-label={`Layer ${index + 1}`}>
      <Group justify="space-between" mb="sm" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text fw={650}>Layer {index + 1}</Text>
          {count > 1 && index === count - 1 && (
            <Badge size="sm" variant="light" color="ember">
              Highest priority
            </Badge>
          )}
          {count > 1 && index === 0 && (
            <Badge size="sm" variant="light" color="gray">
              Lowest priority
            </Badge>
          )}
        </Group>
        <Group gap={2} wrap="nowrap">
          <Tooltip label="Move up: lower priority">
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === 0}
              onClick={() => form.reorderListItem('layers', { from: index, to: index - 1 })}
              aria-label={`Move layer ${index + 1} up (lower priority)`}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Move down: higher priority">
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === count - 1}
              onClick={() => form.reorderListItem('layers', { from: index, to: index + 1 })}
              aria-label={`Move layer ${index + 1} down (higher priority)`}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Duplicate layer">
            <ActionIcon variant="subtle" color="gray" onClick={onDuplicate} aria-label={`Duplicate layer ${index + 1}`}>
              <IconCopy size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Remove layer">
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={() => form.removeListItem('layers', index)}
              aria-label={`Remove layer ${index + 1}`}
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
          <TextInput label="Layer name" required maxLength={100} data-testid={`${prefix}-name`} {...form.getInputProps(`${path}.name`)} />
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <Select
              label="Role"
              data={ROLE_OPTIONS}
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
                label="Role name"
                placeholder="e.g. dba"
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

        <Input.Wrapper label="Rotation" description={rotationSummary(layer)} labelElement="div">
          <SimpleGrid cols={{ base: 2, sm: layer.rotation.unit === 'week' ? 4 : 3 }} mt={6} spacing="sm">
            <NumberInput
              aria-label="Rotation length"
              label="Every"
              min={1}
              max={ROTATION_COUNT_MAX}
              clampBehavior="strict"
              allowDecimal={false}
              allowNegative={false}
              data-testid={`${prefix}-rotation-count`}
              {...form.getInputProps(`${path}.rotation.count`)}
            />
            <Select
              label="Unit"
              data={UNIT_OPTIONS}
              allowDeselect={false}
              data-testid={`${prefix}-rotation-unit`}
              {...form.getInputProps(`${path}.rotation.unit`)}
              onChange={(value) => form.setFieldValue(`${path}.rotation.unit`, (value ?? 'week') as RotationUnit)}
            />
            <TextInput
              label={layer.rotation.unit === 'hour' ? 'Counted from' : 'Handoff time'}
              type="time"
              required
              data-testid={`${prefix}-handoff-time`}
              {...form.getInputProps(`${path}.rotation.handoff_time`)}
            />
            {layer.rotation.unit === 'week' && (
              <Select
                label="Handoff day"
                data={WEEKDAY_OPTIONS}
                allowDeselect={false}
                data-testid={`${prefix}-weekday`}
                {...form.getInputProps(`${path}.rotation.weekday`)}
              />
            )}
          </SimpleGrid>
        </Input.Wrapper>

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Starts"
            description={`In ${zone}.`}
            type="datetime-local"
            required
            data-testid={`${prefix}-start`}
            {...form.getInputProps(`${path}.start`)}
          />
          <TextInput
            label="Ends"
            description={`In ${zone}. Optional; leave empty to rotate forever.`}
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

const RESTRICTION_HELP: Record<RestrictionKind, string> = {
  none: 'The layer is active around the clock.',
  daily: 'The layer is active only inside these windows every day; outside them lower layers show through. A window whose end is before its start runs past midnight.',
  weekly: 'The layer is active only inside these windows each week, e.g. Monday 09:00 to Friday 18:00. The rotation keeps its own calendar.',
};

function RestrictionsEditor({ form, index, kind, windows, onKindChange, error }: RestrictionsEditorProps) {
  const path = `layers.${index}.restrictions.windows`;
  const prefix = `layer-${index}`;
  return (
    <Input.Wrapper label="Active" description={RESTRICTION_HELP[kind]} error={error} labelElement="div">
      <Stack gap="xs" mt={6}>
        <SegmentedControl
          value={kind}
          onChange={(value) => onKindChange(value as RestrictionKind)}
          data={[
            { value: 'none', label: <span data-testid={`${prefix}-restriction-none`}>Always</span> },
            { value: 'daily', label: <span data-testid={`${prefix}-restriction-daily`}>Daily windows</span> },
            { value: 'weekly', label: <span data-testid={`${prefix}-restriction-weekly`}>Weekly windows</span> },
          ]}
          aria-label={`Layer ${index + 1} restrictions`}
          style={{ alignSelf: 'flex-start' }}
        />
        {kind !== 'none' &&
          windows.map((window, w) => (
            <Group key={window.key} gap="xs" align="flex-start" wrap="wrap" data-testid={`${prefix}-window`}>
              {kind === 'weekly' && (
                <Select
                  aria-label={`Window ${w + 1} start day`}
                  data={WEEKDAY_OPTIONS}
                  allowDeselect={false}
                  w={130}
                  {...form.getInputProps(`${path}.${w}.start_day`)}
                />
              )}
              <TextInput
                aria-label={`Window ${w + 1} start`}
                type="time"
                w={120}
                data-testid={`${prefix}-window-${w}-start`}
                {...form.getInputProps(`${path}.${w}.start`)}
              />
              <Text size="sm" c="dimmed" pt={8}>
                to
              </Text>
              {kind === 'weekly' && (
                <Select aria-label={`Window ${w + 1} end day`} data={WEEKDAY_OPTIONS} allowDeselect={false} w={130} {...form.getInputProps(`${path}.${w}.end_day`)} />
              )}
              <TextInput aria-label={`Window ${w + 1} end`} type="time" w={120} data-testid={`${prefix}-window-${w}-end`} {...form.getInputProps(`${path}.${w}.end`)} />
              <Tooltip label="Remove window">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mt={4}
                  disabled={windows.length === 1}
                  onClick={() => form.removeListItem(path, w)}
                  aria-label={`Remove window ${w + 1}`}
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
            Add window
          </Button>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
