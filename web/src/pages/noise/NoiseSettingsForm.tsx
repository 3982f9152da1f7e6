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
import { useNoiseSettings, useUpdateNoiseSettings } from '../../api/noise';
import { asGrouping, type Filter, type GroupingWindow } from '../../api/specs';
import type { Channel, NoiseSettingsResponse } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { FilterEditor } from '../../components/FilterEditor';
import { errorAt, fieldErrors } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';

const FIXED_DIMENSIONS = [
  { value: 'title', label: 'Title' },
  { value: 'severity', label: 'Severity' },
  { value: 'integration', label: 'Integration' },
];
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

  const stormProblem = form.storm.some((v) => !/^\d+$/.test(v) || Number(v) < 2 || Number(v) > 5000) ? 'Whole numbers from 2 to 5000' : undefined;

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
      onSuccess: () => notifySuccess('Noise reduction saved'),
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
    <Input.Wrapper label="Merge window" description="How long a new alert may still join an incident." error={errorAt(errors, 'grouping.window')}>
      <Group gap="sm" mt={6} wrap="wrap" align="center">
        <SegmentedControl
          value={form.windowKind}
          onChange={(v) => set('windowKind', v as NoiseForm['windowKind'])}
          data={[
            { value: 'off', label: 'Until closed' },
            { value: 'fixed', label: 'Fixed' },
            { value: 'sliding', label: 'Sliding' },
          ]}
          readOnly={readOnly}
          data-testid="noise-window-kind"
        />
        {form.windowKind !== 'off' && (
          <NumberInput
            aria-label="Window minutes"
            value={form.windowMinutes}
            onChange={(v) => set('windowMinutes', Number(v) || 1)}
            min={1}
            max={1440}
            w={140}
            rightSection={<Text size="xs" c="dimmed" pr={28}>min</Text>}
            readOnly={readOnly}
            data-testid="noise-window-minutes"
          />
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {form.windowKind === 'off'
          ? 'Alerts keep merging into the open incident until it closes.'
          : form.windowKind === 'fixed'
            ? `Alerts merge for ${form.windowMinutes} minutes after the incident starts.`
            : `Each merge restarts a ${form.windowMinutes}-minute window.`}
      </Text>
    </Input.Wrapper>
  );

  return (
    <Stack gap="lg" data-testid="noise-settings">
      {readOnly && (
        <Alert variant="light" color="blue">
          Only the channel’s management and managing teams (and admins) can change noise reduction.
        </Alert>
      )}
      <Section title="Alert grouping" description="How alerts are grouped into incidents, so one outage pages once.">
        <SegmentedControl
          value={form.mode}
          onChange={(v) => set('mode', v as NoiseForm['mode'])}
          data={[
            { value: 'none', label: 'None' },
            { value: 'rules', label: 'By rules' },
            { value: 'similarity', label: 'By similarity' },
          ]}
          readOnly={readOnly}
          fullWidth
          maw={480}
          data-testid="noise-grouping-mode"
        />
        {form.mode === 'none' && (
          <Text size="sm" c="dimmed">
            Every alert opens its own incident.
          </Text>
        )}
        {form.mode === 'rules' && (
          <Stack gap="md">
            <Input.Wrapper
              label="Group alerts with equal"
              description={`Up to ${MAX_DIMENSIONS} dimensions in all.`}
              error={errorAt(errors, 'grouping.by') ?? (form.by.length === 0 ? 'Pick at least one dimension' : undefined)}
            >
              <Stack gap="xs" mt={6}>
                <Chip.Group multiple value={fixedBy} onChange={(v) => setBy(v, labelBy)}>
                  <Group gap="xs">
                    {FIXED_DIMENSIONS.map((d) => (
                      <Chip
                        key={d.value}
                        value={d.value}
                        disabled={readOnly || (!fixedBy.includes(d.value) && form.by.length >= MAX_DIMENSIONS)}
                        data-testid={`noise-dim-${d.value}`}
                      >
                        {d.label}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
                <TagsInput
                  aria-label="Label dimensions"
                  placeholder={labelBy.length ? undefined : 'Label names, e.g. cluster, service'}
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
              label="Strict: an empty or missing value never equals another"
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
              label={`Similarity threshold: ${Math.round(form.threshold * 100)}%`}
              description="Group when title, description and the chosen labels are at least this similar to an open incident."
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
                aria-label="Similarity threshold"
                data-testid="noise-threshold"
              />
            </Input.Wrapper>
            <TagsInput
              label="Also compare these labels"
              description="Up to 10 label names."
              placeholder={form.similarityLabels.length ? undefined : 'e.g. service'}
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
        <Section title="Storm warning" description="Add a timeline entry and notify the responders once when an incident reaches these alert counts.">
          <TagsInput
            aria-label="Storm thresholds"
            placeholder={form.storm.length ? undefined : 'e.g. 50, 200'}
            value={form.storm}
            onChange={(v) => set('storm', v.map((x) => x.trim()))}
            maxTags={5}
            splitChars={[',', ' ']}
            readOnly={readOnly}
            error={errorAt(errors, 'storm_thresholds') ?? stormProblem}
            description="Up to 5 alert counts from 2 to 5000."
            data-testid="noise-storm"
          />
        </Section>

        <Section title="Auto-close" description="Close incidents without a responder.">
          <Switch
            label="Close when every alert has recovered"
            checked={form.closeWhenRecovered}
            onChange={(e) => set('closeWhenRecovered', e.currentTarget.checked)}
            disabled={readOnly}
            data-testid="noise-close-recovered"
          />
          <Group gap="sm" align="center" wrap="wrap">
            <Switch
              label="Close after no new alert for"
              checked={form.idleClose}
              onChange={(e) => set('idleClose', e.currentTarget.checked)}
              disabled={readOnly}
              data-testid="noise-idle-close"
            />
            <NumberInput
              aria-label="Idle minutes"
              value={form.idleMinutes}
              onChange={(v) => set('idleMinutes', Number(v) || 1)}
              min={1}
              max={43_200}
              w={140}
              disabled={!form.idleClose}
              readOnly={readOnly}
              rightSection={<Text size="xs" c="dimmed" pr={28}>min</Text>}
              error={errorAt(errors, 'auto_close.after_idle_seconds')}
            />
          </Group>
          <Text size="xs" c="dimmed">
            At most 30 days (43 200 minutes).
          </Text>
        </Section>
      </SimpleGrid>

      <Section title="Flapping" description="An alert that keeps switching between triggered and recovered.">
        <SegmentedControl
          value={form.flappingMode}
          onChange={(v) => set('flappingMode', v as FlappingMode)}
          data={[
            { value: 'off', label: 'Off' },
            { value: 'mark', label: 'Mark only' },
            { value: 'mute', label: 'Mark and mute' },
          ]}
          readOnly={readOnly}
          maw={480}
          fullWidth
          data-testid="noise-flapping-mode"
        />
        {form.flappingMode !== 'off' && (
          <SimpleGrid cols={{ base: 1, xs: form.flappingMode === 'mute' ? 3 : 2 }} maw={620}>
            <NumberInput
              label="More than … changes"
              value={form.maxChanges}
              onChange={(v) => set('maxChanges', Number(v) || 1)}
              min={1}
              max={100}
              readOnly={readOnly}
              error={errorAt(errors, 'flapping.max_changes')}
            />
            <NumberInput
              label="Within (minutes)"
              value={form.inMins}
              onChange={(v) => set('inMins', Number(v) || 1)}
              min={1}
              max={1440}
              readOnly={readOnly}
              error={errorAt(errors, 'flapping.in_mins')}
            />
            {form.flappingMode === 'mute' && (
              <NumberInput
                label="Mute for (minutes)"
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
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Not saved" data-testid="noise-errors">
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
            Discard
          </Button>
          <Button onClick={save} disabled={!dirty || Boolean(stormProblem)} loading={update.isPending} data-testid="noise-save">
            Save noise reduction
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
  const update = (index: number, next: NoiseForm['cases'][number]) => set('cases', form.cases.map((c, i) => (i === index ? next : c)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Special cases{' '}
        <Text span size="xs" c="dimmed" fw={400}>
          (optional, first match wins; other alerts use the dimensions above)
        </Text>
      </Text>
      {form.cases.map((c, index) => (
        <Paper key={index} withBorder radius="md" p="sm">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                Case {index + 1}
              </Text>
              {!readOnly && (
                <Tooltip label="Remove case">
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove grouping case ${index + 1}`} onClick={() => set('cases', form.cases.filter((_, i) => i !== index))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
            <FilterEditor value={c.if} onChange={(filter) => update(index, { ...c, if: filter })} label="When" testId={`grouping-case-${index}`} error={errorAt(errors, `grouping.cases[${index}].if`)} />
            <TagsInput
              label="Group by"
              description="title, severity, integration or labels.<name>"
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
            Add case
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
