import {
  ActionIcon,
  Alert,
  Button,
  Chip,
  Divider,
  Group,
  Input,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Slider,
  Stack,
  Switch,
  TagsInput,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNoiseSettings, useUpdateNoiseSettings } from '../../api/noise';
import { asGrouping, type Filter, type GroupingWindow } from '../../api/specs';
import type { Channel, NoiseSettingsResponse } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { FilterEditor } from '../../components/FilterEditor';
import { formattingLocale } from '../../i18n';
import { errorAt, fieldErrors } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';

/** Alert fields grouping can compare; labelled by `noise:settings.dimensions.*`. */
const FIXED_DIMENSIONS = ['title', 'severity', 'integration'] as const;
const MAX_DIMENSIONS = 5;
type FlappingMode = 'off' | 'mark' | 'mute';

/** The whole form as one value; converted to and from the wire shape at the edges. */
interface NoiseForm {
  mode: 'none' | 'rules' | 'similarity';
  by: string[];
  cases: { if: Filter; by: string[] }[];
  strict: boolean;
  windowKind: 'off' | 'fixed' | 'sliding';
  windowMinutes: number;
  threshold: number;
  similarityLabels: string[];
  storm: string[];
  flappingMode: FlappingMode;
  maxChanges: number;
  inMins: number;
  muteMins: number;
  closeWhenRecovered: boolean;
  idleClose: boolean;
  idleMinutes: number;
}

function toForm(settings: NoiseSettingsResponse): NoiseForm {
  const grouping = asGrouping(settings.grouping);
  const window: GroupingWindow = (grouping.mode !== 'none' && grouping.window) || { kind: 'off' };
  const idle = settings.auto_close.after_idle_seconds;
  const mode = settings.flapping.mode;
  return {
    mode: grouping.mode,
    by: grouping.mode === 'rules' ? grouping.by : ['title'],
    cases: grouping.mode === 'rules' ? (grouping.cases ?? []) : [],
    strict: grouping.mode === 'rules' ? grouping.strict === true : false,
    windowKind: window.kind,
    windowMinutes: window.kind === 'off' ? 60 : window.minutes,
    threshold: grouping.mode === 'similarity' ? (grouping.threshold ?? 0.9) : 0.9,
    similarityLabels: grouping.mode === 'similarity' ? (grouping.labels ?? []) : [],
    storm: settings.storm_thresholds.map(String),
    flappingMode: mode === 'off' || mode === 'mute' ? mode : 'mark',
    maxChanges: settings.flapping.max_changes,
    inMins: settings.flapping.in_mins,
    muteMins: settings.flapping.mute_mins,
    closeWhenRecovered: settings.auto_close.when_all_recovered,
    idleClose: idle !== null,
    idleMinutes: idle !== null ? Math.max(1, Math.round(idle / 60)) : 1440,
  };
}

function toBody(form: NoiseForm) {
  const window: GroupingWindow = form.windowKind === 'off' ? { kind: 'off' } : { kind: form.windowKind, minutes: form.windowMinutes };
  const grouping =
    form.mode === 'rules'
      ? { mode: 'rules', by: form.by, ...(form.cases.length > 0 && { cases: form.cases }), strict: form.strict, window }
      : form.mode === 'similarity'
        ? { mode: 'similarity', threshold: form.threshold, labels: form.similarityLabels, window }
        : { mode: 'none' };
  return {
    grouping,
    storm_thresholds: form.storm.map(Number),
    flapping: { mode: form.flappingMode, max_changes: form.maxChanges, in_mins: form.inMins, mute_mins: form.muteMins },
    auto_close: { when_all_recovered: form.closeWhenRecovered, after_idle_seconds: form.idleClose ? form.idleMinutes * 60 : null },
  };
}

/** Dimensions split into the fixed chips and label names (`labels.cluster` ↔ `cluster`). */
function labelDims(by: string[]): string[] {
  return by.filter((d) => d.startsWith('labels.')).map((d) => d.slice('labels.'.length));
}

/** Grouping, storm thresholds, flapping and auto-close, saved together with one PUT. */
export function NoiseSettingsForm({ channel }: { channel: Channel }) {
  const settings = useNoiseSettings(channel.id);
  if (settings.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={180} radius="md" />
        <Skeleton height={120} radius="md" />
      </Stack>
    );
  }
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <LoadedForm channel={channel} settings={settings.data} />;
}

function LoadedForm({ channel, settings }: { channel: Channel; settings: NoiseSettingsResponse }) {
  const { t } = useTranslation('noise');
  const saved = useMemo(() => toForm(settings), [settings]);
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = useUpdateNoiseSettings(channel.id);
  const readOnly = !channel.can_manage;
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const set = <K extends keyof NoiseForm>(key: K, value: NoiseForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  useEffect(() => {
    if (!dirty) setForm(saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new saved value matters
  }, [saved]);

  const stormProblem = form.storm.some((v) => !/^\d+$/.test(v) || Number(v) < 2 || Number(v) > 5000) ? t('settings.stormProblem', { min: 2, max: 5000 }) : undefined;

  const save = () => {
    setErrors({});
    // The PUT is partial ("omitted parts keep their values"): send only the parts that changed, so
    // an untouched part can never be refused (e.g. auto_close with after_idle_seconds: null, which
    // the server currently rejects — reported).
    const next = toBody(form);
    const before = toBody(saved);
    const changed = Object.fromEntries(
      (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k])).map((k) => [k, next[k]]),
    );
    update.mutate(changed, {
      onSuccess: () => notifySuccess(t('settings.saved')),
      onError: (error) => {
        const found = fieldErrors(error);
        if (Object.keys(found).length > 0) setErrors(found);
        else notifyError(error);
      },
    });
  };

  const fixedBy = form.by.filter((d) => !d.startsWith('labels.'));
  const labelBy = labelDims(form.by);
  const setBy = (fixed: string[], labels: string[]) => set('by', [...fixed, ...labels.map((l) => `labels.${l}`)]);

  const windowFields = (
    <Input.Wrapper label={t('settings.window')} description={t('settings.windowHelp')} error={errorAt(errors, 'grouping.window')}>
      <Group gap="sm" mt={6} wrap="wrap" align="center">
        <SegmentedControl
          value={form.windowKind}
          onChange={(v) => set('windowKind', v as NoiseForm['windowKind'])}
          data={[
            { value: 'off', label: t('settings.windowOff') },
            { value: 'fixed', label: t('settings.windowFixed') },
            { value: 'sliding', label: t('settings.windowSliding') },
          ]}
          readOnly={readOnly}
          data-testid="noise-window-kind"
        />
        {form.windowKind !== 'off' && (
          <NumberInput
            aria-label={t('settings.windowMinutes')}
            value={form.windowMinutes}
            onChange={(v) => set('windowMinutes', Number(v) || 1)}
            min={1}
            max={1440}
            w={140}
            rightSection={<Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{t('settings.min')}</Text>}
            rightSectionWidth={52}
            readOnly={readOnly}
            data-testid="noise-window-minutes"
          />
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {form.windowKind === 'off'
          ? t('settings.windowOffHelp')
          : form.windowKind === 'fixed'
            ? t('settings.windowFixedHelp', { count: form.windowMinutes })
            : t('settings.windowSlidingHelp', { count: form.windowMinutes })}
      </Text>
    </Input.Wrapper>
  );

  return (
    <Stack gap="lg" data-testid="noise-settings">
      {readOnly && (
        <Alert variant="light" color="blue">
          {t('settings.readOnly')}
        </Alert>
      )}
      <Section title={t('settings.grouping')} description={t('settings.groupingHelp')}>
        <SegmentedControl
          value={form.mode}
          onChange={(v) => set('mode', v as NoiseForm['mode'])}
          data={[
            { value: 'none', label: t('settings.modeNone') },
            { value: 'rules', label: t('settings.modeRules') },
            { value: 'similarity', label: t('settings.modeSimilarity') },
          ]}
          readOnly={readOnly}
          fullWidth
          maw={480}
          data-testid="noise-grouping-mode"
        />
        {form.mode === 'none' && (
          <Text size="sm" c="dimmed">
            {t('settings.modeNoneHelp')}
          </Text>
        )}
        {form.mode === 'rules' && (
          <Stack gap="md">
            <Input.Wrapper
              label={t('settings.groupBy')}
              description={t('settings.groupByHelp', { max: MAX_DIMENSIONS })}
              error={errorAt(errors, 'grouping.by') ?? (form.by.length === 0 ? t('settings.pickDimension') : undefined)}
            >
              <Stack gap="xs" mt={6}>
                <Chip.Group multiple value={fixedBy} onChange={(v) => setBy(v, labelBy)}>
                  <Group gap="xs">
                    {FIXED_DIMENSIONS.map((d) => (
                      <Chip
                        key={d}
                        value={d}
                        disabled={readOnly || (!fixedBy.includes(d) && form.by.length >= MAX_DIMENSIONS)}
                        data-testid={`noise-dim-${d}`}
                      >
                        {t(`settings.dimensions.${d}`)}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
                <TagsInput
                  aria-label={t('settings.labelDimensions')}
                  placeholder={labelBy.length ? undefined : t('settings.labelDimensionsPlaceholder')}
                  value={labelBy}
                  onChange={(v) => setBy(fixedBy, v)}
                  maxTags={MAX_DIMENSIONS - fixedBy.length}
                  readOnly={readOnly}
                  leftSection={<Text size="xs" c="dimmed" pl={6}>labels.</Text>}
                  leftSectionWidth={52}
                  data-testid="noise-dim-labels"
                />
              </Stack>
            </Input.Wrapper>
            <Switch
              label={t('settings.strict')}
              checked={form.strict}
              onChange={(e) => set('strict', e.currentTarget.checked)}
              disabled={readOnly}
            />
            <GroupingCases form={form} set={set} readOnly={readOnly} errors={errors} />
            {windowFields}
          </Stack>
        )}
        {form.mode === 'similarity' && (
          <Stack gap="md">
            <Input.Wrapper
              label={t('settings.threshold', { percent: Math.round(form.threshold * 100) })}
              description={t('settings.thresholdHelp')}
              error={errorAt(errors, 'grouping.threshold')}
            >
              <Slider
                mt="sm"
                mb="lg"
                min={0.5}
                max={1}
                step={0.01}
                value={form.threshold}
                onChange={(v) => set('threshold', v)}
                label={(v) => `${Math.round(v * 100)}%`}
                marks={[
                  { value: 0.5, label: '50%' },
                  { value: 0.75, label: '75%' },
                  { value: 0.9, label: '90%' },
                  { value: 1, label: '100%' },
                ]}
                disabled={readOnly}
                maw={480}
                aria-label={t('settings.thresholdLabel')}
                data-testid="noise-threshold"
              />
            </Input.Wrapper>
            <TagsInput
              label={t('settings.similarityLabels')}
              description={t('settings.similarityLabelsHelp', { max: 10 })}
              placeholder={form.similarityLabels.length ? undefined : t('settings.similarityLabelsPlaceholder')}
              value={form.similarityLabels}
              onChange={(v) => set('similarityLabels', v)}
              maxTags={10}
              readOnly={readOnly}
              error={errorAt(errors, 'grouping.labels')}
              maw={480}
            />
            {windowFields}
          </Stack>
        )}
        {errorAt(errors, 'grouping') && !errorAt(errors, 'grouping.by') && !errorAt(errors, 'grouping.window') && (
          <Text size="sm" c="red">
            {errorAt(errors, 'grouping')}
          </Text>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Section title={t('settings.storm')} description={t('settings.stormHelp')}>
          <TagsInput
            aria-label={t('settings.stormThresholds')}
            placeholder={form.storm.length ? undefined : t('settings.stormPlaceholder')}
            value={form.storm}
            onChange={(v) => set('storm', v.map((x) => x.trim()))}
            maxTags={5}
            splitChars={[',', ' ']}
            readOnly={readOnly}
            error={errorAt(errors, 'storm_thresholds') ?? stormProblem}
            description={t('settings.stormLimits', { max: 5, from: 2, to: 5000 })}
            data-testid="noise-storm"
          />
        </Section>

        <Section title={t('settings.autoClose')} description={t('settings.autoCloseHelp')}>
          <Switch
            label={t('settings.closeRecovered')}
            checked={form.closeWhenRecovered}
            onChange={(e) => set('closeWhenRecovered', e.currentTarget.checked)}
            disabled={readOnly}
            data-testid="noise-close-recovered"
          />
          <Group gap="sm" align="center" wrap="wrap">
            <Switch
              label={t('settings.idleClose')}
              checked={form.idleClose}
              onChange={(e) => set('idleClose', e.currentTarget.checked)}
              disabled={readOnly}
              data-testid="noise-idle-close"
            />
            <NumberInput
              aria-label={t('settings.idleMinutes')}
              value={form.idleMinutes}
              onChange={(v) => set('idleMinutes', Number(v) || 1)}
              min={1}
              max={43_200}
              w={140}
              disabled={!form.idleClose}
              readOnly={readOnly}
              rightSection={<Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{t('settings.min')}</Text>}
              rightSectionWidth={52}
              error={errorAt(errors, 'auto_close.after_idle_seconds')}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('settings.idleMax', { minutes: (43_200).toLocaleString(formattingLocale()) })}
          </Text>
        </Section>
      </SimpleGrid>

      <Section title={t('settings.flapping')} description={t('settings.flappingHelp')}>
        <SegmentedControl
          value={form.flappingMode}
          onChange={(v) => set('flappingMode', v as FlappingMode)}
          data={[
            { value: 'off', label: t('settings.flappingOff') },
            { value: 'mark', label: t('settings.flappingMark') },
            { value: 'mute', label: t('settings.flappingMute') },
          ]}
          readOnly={readOnly}
          maw={480}
          fullWidth
          data-testid="noise-flapping-mode"
        />
        {form.flappingMode !== 'off' && (
          <SimpleGrid cols={{ base: 1, xs: form.flappingMode === 'mute' ? 3 : 2 }} maw={620}>
            <NumberInput
              label={t('settings.maxChanges')}
              value={form.maxChanges}
              onChange={(v) => set('maxChanges', Number(v) || 1)}
              min={1}
              max={100}
              readOnly={readOnly}
              error={errorAt(errors, 'flapping.max_changes')}
            />
            <NumberInput
              label={t('settings.within')}
              value={form.inMins}
              onChange={(v) => set('inMins', Number(v) || 1)}
              min={1}
              max={1440}
              readOnly={readOnly}
              error={errorAt(errors, 'flapping.in_mins')}
            />
            {form.flappingMode === 'mute' && (
              <NumberInput
                label={t('settings.muteFor')}
                value={form.muteMins}
                onChange={(v) => set('muteMins', Number(v) || 1)}
                min={1}
                max={10_080}
                readOnly={readOnly}
                error={errorAt(errors, 'flapping.mute_mins')}
              />
            )}
          </SimpleGrid>
        )}
      </Section>

      {Object.keys(errors).length > 0 && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('settings.notSaved')} data-testid="noise-errors">
          {Object.entries(errors).map(([field, message]) => (
            <Text key={field} size="sm">
              <Text span ff="monospace" size="xs">
                {field}
              </Text>
              : {message}
            </Text>
          ))}
        </Alert>
      )}
      {!readOnly && (
        <Group
          justify="flex-end"
          wrap="nowrap"
          gap="sm"
          // Sticks to the bottom of the screen only while there is something to save.
          style={dirty ? { position: 'sticky', bottom: 0, zIndex: 2, borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
          py="sm"
          bg="var(--mantine-color-body)"
        >
          <Button variant="default" disabled={!dirty} onClick={() => (setForm(saved), setErrors({}))}>
            {t('settings.discard')}
          </Button>
          <Button onClick={save} disabled={!dirty || Boolean(stormProblem)} loading={update.isPending} data-testid="noise-save">
            {t('settings.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Optional ordered cases: alerts matching a filter are grouped by other dimensions. */
function GroupingCases({
  form,
  set,
  readOnly,
  errors,
}: {
  form: NoiseForm;
  set: <K extends keyof NoiseForm>(key: K, value: NoiseForm[K]) => void;
  readOnly: boolean;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation('noise');
  const update = (index: number, next: NoiseForm['cases'][number]) => set('cases', form.cases.map((c, i) => (i === index ? next : c)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('settings.cases')}{' '}
        <Text span size="xs" c="dimmed" fw={400}>
          {t('settings.casesHelp')}
        </Text>
      </Text>
      {form.cases.map((c, index) => (
        <Paper key={index} withBorder radius="md" p="sm">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                {t('settings.caseN', { n: index + 1 })}
              </Text>
              {!readOnly && (
                <Tooltip label={t('settings.removeCaseTip')}>
                  <ActionIcon variant="subtle" color="red" aria-label={t('settings.removeCase', { n: index + 1 })} onClick={() => set('cases', form.cases.filter((_, i) => i !== index))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
            <FilterEditor value={c.if} onChange={(filter) => update(index, { ...c, if: filter })} label={t('settings.caseWhen')} testId={`grouping-case-${index}`} error={errorAt(errors, `grouping.cases[${index}].if`)} />
            <TagsInput
              label={t('settings.caseGroupBy')}
              description={t('settings.caseGroupByHelp')}
              data={['title', 'severity', 'integration']}
              value={c.by}
              onChange={(by) => update(index, { ...c, by })}
              maxTags={MAX_DIMENSIONS}
              readOnly={readOnly}
              error={errorAt(errors, `grouping.cases[${index}].by`)}
            />
          </Stack>
        </Paper>
      ))}
      {!readOnly && (
        <Group>
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => set('cases', [...form.cases, { if: [], by: ['title'] }])}>
            {t('settings.addCase')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <Stack gap="md">
        <div>
          <Title order={4}>{title}</Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        <Divider />
        {children}
      </Stack>
    </Paper>
  );
}
