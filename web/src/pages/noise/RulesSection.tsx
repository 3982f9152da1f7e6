import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Chip,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertCircle, IconBellOff, IconDropletOff, IconPencil, IconPlus, IconShieldOff, IconTrash, type Icon } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { useCreateRule, useDeleteRule, useRules, useUpdateRule } from '../../api/noise';
import {
  asDropSpec,
  asInhibitSpec,
  asSilenceSpec,
  type DropSpec,
  type InhibitSpec,
  type RuleKind,
  type SilenceSpec,
  type WeeklyWindow,
} from '../../api/specs';
import type { Channel, Rule } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { describeFilter, FilterEditor } from '../../components/FilterEditor';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { errorAt, fieldErrors } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { browserTimeZone } from '../../lib/timeZones';
import { describeSilenceTime, fromLocalInput, silencePhase, toLocalInput, WEEKDAY_NUMBERS, weekdayName } from './silenceTime';

/** Texts are `noise:kinds.<kind>.{title,add,edit,description,empty}`. */
const KIND_ICONS: Record<RuleKind, Icon> = { silence: IconBellOff, inhibit: IconShieldOff, drop: IconDropletOff };

/** One kind of rule of a channel: list, enable switch, editor, delete. */
export function RulesSection({ channel, kind }: { channel: Channel; kind: RuleKind }) {
  const { t } = useTranslation('noise');
  const rules = useRules(channel.id, kind);
  const Icon = KIND_ICONS[kind];
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const readOnly = !channel.can_manage;

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} data-testid={`rules-${kind}`}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap" align="flex-start" style={{ flex: '1 1 300px' }}>
            <Icon size={22} style={{ marginTop: 2, flexShrink: 0 }} />
            <div>
              <Title order={4}>{t(`kinds.${kind}.title`)}</Title>
              <Text size="sm" c="dimmed">
                {t(`kinds.${kind}.description`)}
              </Text>
            </div>
          </Group>
          {!readOnly && (
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid={`add-rule-${kind}`}>
              {t(`kinds.${kind}.add`)}
            </Button>
          )}
        </Group>
        {rules.isPending ? (
          <Skeleton height={48} />
        ) : rules.isError ? (
          <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
        ) : rules.data.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">
            {t(`kinds.${kind}.empty`)}
          </Text>
        ) : (
          <Stack gap="xs">
            {rules.data.map((rule) => (
              <RuleRow key={rule.id} channel={channel} kind={kind} rule={rule} readOnly={readOnly} onEdit={() => setEditing(rule)} />
            ))}
          </Stack>
        )}
      </Stack>
      <ResponsiveModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t(`kinds.${kind}.add`) : t(`kinds.${kind}.edit`)}
        size="xl"
      >
        {editing !== null && <RuleEditor channel={channel} kind={kind} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </ResponsiveModal>
    </Paper>
  );
}

function ruleSummary(kind: RuleKind, rule: Rule): string {
  if (kind === 'silence') {
    const spec = asSilenceSpec(rule.spec);
    return `${describeFilter(spec.filter)} · ${describeSilenceTime(spec.time)}${spec.action === 'discard' ? ` · ${i18next.t('noise:rules.discard')}` : ''}`;
  }
  if (kind === 'inhibit') {
    const spec = asInhibitSpec(rule.spec);
    const text = i18next.t('noise:rules.inhibits', { source: describeFilter(spec.source), target: describeFilter(spec.target) });
    return spec.equal.length ? i18next.t('noise:rules.withEqual', { text, labels: spec.equal.join(', ') }) : text;
  }
  return describeFilter(asDropSpec(rule.spec).filter);
}

function RuleRow({ channel, kind, rule, readOnly, onEdit }: { channel: Channel; kind: RuleKind; rule: Rule; readOnly: boolean; onEdit: () => void }) {
  const { t } = useTranslation('noise');
  const update = useUpdateRule(channel.id, kind);
  const remove = useDeleteRule(channel.id, kind);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const phase = kind === 'silence' ? silencePhase(asSilenceSpec(rule.spec).time, Date.now()) : null;

  return (
    <Paper withBorder radius="md" px="md" py="sm" data-testid="rule-row" bg={rule.enabled ? undefined : 'var(--mantine-color-default-hover)'}>
      <Group justify="space-between" wrap="nowrap" gap="sm" align="center">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <Switch
            checked={rule.enabled}
            disabled={readOnly || update.isPending}
            aria-label={rule.enabled ? t('rules.disable', { name: rule.name }) : t('rules.enable', { name: rule.name })}
            onChange={() =>
              update.mutate(
                { id: rule.id, body: { enabled: !rule.enabled } },
                { onSuccess: (r) => notifySuccess(r.enabled ? t('rules.enabled', { name: r.name }) : t('rules.disabled', { name: r.name })), onError: (e) => notifyError(e) },
              )
            }
          />
          <div style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                {rule.name}
              </Text>
              {rule.enabled && phase === 'active' && (
                <Badge color="teal" size="sm" variant="filled" data-testid="silence-active">
                  {t('rules.activeNow')}
                </Badge>
              )}
              {phase === 'scheduled' && (
                <Badge color="blue" size="sm" variant="light">
                  {t('rules.scheduled')}
                </Badge>
              )}
              {phase === 'expired' && (
                <Badge color="gray" size="sm" variant="light">
                  {t('rules.expired')}
                </Badge>
              )}
              {!rule.enabled && (
                <Badge color="gray" size="sm" variant="outline">
                  {t('rules.off')}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
              {ruleSummary(kind, rule)}
            </Text>
          </div>
        </Group>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={readOnly ? t('rules.view') : t('common:actions.edit')}>
            <ActionIcon variant="subtle" color="gray" onClick={onEdit} aria-label={t('rules.editNamed', { name: rule.name })}>
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          {!readOnly && (
            <Tooltip label={t('common:actions.delete')}>
              <ActionIcon variant="subtle" color="red" onClick={deleteDialog.open} aria-label={t('rules.deleteNamed', { name: rule.name })}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title={t('rules.deleteTitle')}
        message={t('rules.deleteMessage', { name: rule.name })}
        confirmLabel={t('rules.delete')}
        loading={remove.isPending}
        onConfirm={() =>
          remove.mutate(rule.id, {
            onSuccess: () => {
              deleteDialog.close();
              notifySuccess(t('rules.deleted', { name: rule.name }));
            },
            onError: (e) => {
              deleteDialog.close();
              notifyError(e);
            },
          })
        }
      />
    </Paper>
  );
}

const HOUR = 3_600_000;

function defaultSpec(kind: RuleKind): SilenceSpec | InhibitSpec | DropSpec {
  if (kind === 'silence') {
    const start = Math.ceil(Date.now() / 60_000) * 60_000;
    return { filter: [[{ key: 'labels.', op: 'in', values: [] }]], time: { kind: 'range', start, end: start + 2 * HOUR }, action: 'mark' };
  }
  if (kind === 'inhibit') {
    return {
      source: [[{ key: 'severity', op: 'in', values: ['Critical'] }]],
      target: [[{ key: 'severity', op: 'in', values: ['Warning', 'Info'] }]],
      equal: [],
    };
  }
  return { filter: [[{ key: 'labels.', op: 'in', values: [] }]] };
}

function RuleEditor({ channel, kind, rule, onClose }: { channel: Channel; kind: RuleKind; rule: Rule | null; onClose: () => void }) {
  const { t } = useTranslation('noise');
  const create = useCreateRule(channel.id, kind);
  const update = useUpdateRule(channel.id, kind);
  const readOnly = !channel.can_manage;
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [spec, setSpec] = useState<SilenceSpec | InhibitSpec | DropSpec>(() =>
    rule ? (kind === 'silence' ? asSilenceSpec(rule.spec) : kind === 'inhibit' ? asInhibitSpec(rule.spec) : asDropSpec(rule.spec)) : defaultSpec(kind),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pending = create.isPending || update.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: t('rules.nameRequired') });
    setErrors({});
    const onError = (error: unknown) => {
      const found = fieldErrors(error);
      if (Object.keys(found).length > 0) setErrors(found);
      else notifyError(error);
    };
    const onSuccess = () => {
      notifySuccess(rule ? t('rules.saved') : t('rules.created'));
      onClose();
    };
    if (rule) update.mutate({ id: rule.id, body: { name: name.trim(), enabled, spec } }, { onSuccess, onError });
    else create.mutate({ name: name.trim(), enabled, spec }, { onSuccess, onError });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('rules.rule')} data-testid="rule-editor">
      <Stack gap="md">
        <Group align="flex-end" wrap="wrap" gap="md">
          <TextInput
            label={t('rules.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            style={{ flex: '1 1 260px' }}
            maxLength={100}
            data-autofocus
            readOnly={readOnly}
            data-testid="rule-name"
          />
          <Switch label={t('rules.enabledLabel')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} mb={8} disabled={readOnly} />
        </Group>
        {kind === 'silence' && <SilenceFields spec={spec as SilenceSpec} onChange={setSpec} errors={errors} />}
        {kind === 'inhibit' && <InhibitFields spec={spec as InhibitSpec} onChange={setSpec} errors={errors} />}
        {kind === 'drop' && (
          <FilterEditor
            label={t('drop.filter')}
            value={(spec as DropSpec).filter}
            onChange={(filter) => setSpec({ filter })}
            error={errorAt(errors, 'spec.filter')}
            emptyText={t('drop.empty')}
            testId="drop-filter"
          />
        )}
        {Object.keys(errors).some((k) => k !== 'name') && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('settings.notSaved')}>
            {Object.entries(errors)
              .filter(([k]) => k !== 'name')
              .map(([field, message]) => (
                <Text key={field} size="sm">
                  <Text span ff="monospace" size="xs">
                    {field}
                  </Text>
                  : {message}
                </Text>
              ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {readOnly ? t('common:actions.close') : t('common:actions.cancel')}
          </Button>
          {!readOnly && (
            <Button type="submit" loading={pending} data-testid="rule-submit">
              {rule ? t('rules.save') : t('rules.create')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function SilenceFields({ spec, onChange, errors }: { spec: SilenceSpec; onChange: (s: SilenceSpec) => void; errors: Record<string, string> }) {
  const { t } = useTranslation('noise');
  const time = spec.time;
  const setKind = (kind: string) =>
    onChange({
      ...spec,
      time:
        kind === 'weekly'
          ? { kind: 'weekly', time_zone: browserTimeZone(), windows: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00' }] }
          : { kind: 'range', start: Date.now(), end: Date.now() + 2 * HOUR },
    });
  const setWindow = (index: number, w: WeeklyWindow) =>
    time.kind === 'weekly' && onChange({ ...spec, time: { ...time, windows: time.windows.map((x, i) => (i === index ? w : x)) } });

  return (
    <Stack gap="md">
      <FilterEditor
        label={t('silence.filter')}
        value={spec.filter}
        onChange={(filter) => onChange({ ...spec, filter })}
        error={errorAt(errors, 'spec.filter')}
        emptyText={t('silence.empty')}
        testId="silence-filter"
      />
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t('silence.when')}
        </Text>
        <SegmentedControl
          value={time.kind}
          onChange={setKind}
          data={[
            { value: 'range', label: t('silence.oneOff') },
            { value: 'weekly', label: t('silence.weekly') },
          ]}
          maw={320}
          data-testid="silence-time-kind"
        />
        {time.kind === 'range' ? (
          <Group gap="sm" wrap="wrap" align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('silence.from')}
              value={toLocalInput(time.start)}
              onChange={(e) => onChange({ ...spec, time: { ...time, start: fromLocalInput(e.currentTarget.value) } })}
              error={Number.isNaN(time.start) ? t('silence.pickStart') : undefined}
              data-testid="silence-start"
            />
            <TextInput
              type="datetime-local"
              label={t('silence.until')}
              value={Number.isNaN(time.end) ? '' : toLocalInput(time.end)}
              onChange={(e) => onChange({ ...spec, time: { ...time, end: fromLocalInput(e.currentTarget.value) } })}
              error={errorAt(errors, 'spec.time') ?? (time.end <= time.start ? t('silence.endAfterStart') : undefined)}
              data-testid="silence-end"
            />
          </Group>
        ) : (
          <Stack gap="sm">
            <TimeZoneSelect
              value={time.time_zone}
              onChange={(zone) => zone && onChange({ ...spec, time: { ...time, time_zone: zone } })}
              allowDeselect={false}
              maw={320}
              error={errorAt(errors, 'spec.time.time_zone')}
            />
            {time.windows.map((w, index) => (
              <Paper key={index} withBorder radius="md" p="sm" data-testid="silence-window">
                <Stack gap="xs">
                  <Chip.Group multiple value={w.days.map(String)} onChange={(days) => setWindow(index, { ...w, days: days.map(Number).sort() })}>
                    <Group gap={6}>
                      {WEEKDAY_NUMBERS.map((d) => (
                        <Chip key={d} value={String(d)} size="xs" aria-label={weekdayName(d, 'long')}>
                          {weekdayName(d)}
                        </Chip>
                      ))}
                    </Group>
                  </Chip.Group>
                  <Group gap="sm" align="flex-end" wrap="wrap">
                    <TextInput type="time" label={t('silence.from')} value={w.start} onChange={(e) => setWindow(index, { ...w, start: e.currentTarget.value })} w={130} />
                    <TextInput
                      type="time"
                      label={t('silence.until')}
                      value={w.end === '24:00' ? '00:00' : w.end}
                      onChange={(e) => setWindow(index, { ...w, end: e.currentTarget.value })}
                      w={130}
                    />
                    <Text size="xs" c="dimmed" mb={8}>
                      {w.end <= w.start ? t('silence.nextDay') : ''}
                    </Text>
                    {time.windows.length > 1 && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        mb={4}
                        aria-label={t('silence.removeWindow')}
                        onClick={() => onChange({ ...spec, time: { ...time, windows: time.windows.filter((_, i) => i !== index) } })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                  {errorAt(errors, `spec.time.windows[${index}]`) && (
                    <Text size="xs" c="red">
                      {errorAt(errors, `spec.time.windows[${index}]`)}
                    </Text>
                  )}
                </Stack>
              </Paper>
            ))}
            <Group>
              <Button
                size="compact-sm"
                variant="subtle"
                leftSection={<IconPlus size={14} />}
                onClick={() => onChange({ ...spec, time: { ...time, windows: [...time.windows, { days: [6, 7], start: '00:00', end: '24:00' }] } })}
              >
                {t('silence.addWindow')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('silence.action')}
        </Text>
        <SegmentedControl
          value={spec.action ?? 'mark'}
          onChange={(action) => onChange({ ...spec, action: action === 'discard' ? 'discard' : 'mark' })}
          data={[
            { value: 'mark', label: t('silence.mark') },
            { value: 'discard', label: t('silence.discard') },
          ]}
          maw={420}
          data-testid="silence-action"
        />
      </Stack>
    </Stack>
  );
}

function InhibitFields({ spec, onChange, errors }: { spec: InhibitSpec; onChange: (s: InhibitSpec) => void; errors: Record<string, string> }) {
  const { t } = useTranslation('noise');
  return (
    <Stack gap="md">
      <FilterEditor
        label={t('inhibit.source')}
        value={spec.source}
        onChange={(source) => onChange({ ...spec, source })}
        error={errorAt(errors, 'spec.source')}
        testId="inhibit-source"
      />
      <FilterEditor
        label={t('inhibit.target')}
        value={spec.target}
        onChange={(target) => onChange({ ...spec, target })}
        error={errorAt(errors, 'spec.target')}
        testId="inhibit-target"
      />
      <TagsInput
        label={t('inhibit.equal')}
        description={t('inhibit.equalHelp')}
        placeholder={spec.equal.length ? undefined : t('inhibit.equalPlaceholder')}
        value={spec.equal}
        onChange={(equal) => onChange({ ...spec, equal })}
        error={errorAt(errors, 'spec.equal')}
        data-testid="inhibit-equal"
      />
    </Stack>
  );
}
