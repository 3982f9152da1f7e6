import { Alert, Box, Button, Divider, Drawer, Group, NumberInput, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertCircle, IconCircleCheck, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateEscalationRule, useUpdateEscalationRule } from '../../api/escalation';
import { asEscalationSpec, ESCALATION_LIMITS, type EscalationLevel, type EscalationSpec } from '../../api/specs';
import type { Channel, EscalationRule } from '../../api/types';
import { useCurrentUser } from '../../app/guards';
import { FilterEditor } from '../../components/FilterEditor';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { WeeklyWindowsEditor } from '../../components/WeeklyWindowsEditor';
import { errorAt, fieldErrors } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { browserTimeZone } from '../../lib/timeZones';
import { LevelCard } from './LevelCard';
import { checkRule, newLevel, newRuleSpec, toWire } from './ruleSpec';
import { RuleSummary } from './RuleSummary';
import { useRuleSummary } from './useRuleSummary';
import { useTargetOptions } from './useTargetOptions';

const PHONE_QUERY = '(max-width: 48em)';

interface EscalationRuleEditorProps {
  channel: Channel;
  opened: boolean;
  /** The rule to edit, or 'new' for a new one (kept while the drawer closes). */
  rule: EscalationRule | 'new';
  onClose: () => void;
  /** The name a new rule starts with. */
  defaultName: string;
}

/** A drawer (full screen on phones) holding the whole rule: conditions, timing, levels, after the last level. */
export function EscalationRuleEditor({ channel, opened, rule, onClose, defaultName }: EscalationRuleEditorProps) {
  const { t } = useTranslation('escalation');
  const isPhone = useMediaQuery(PHONE_QUERY) ?? false;
  const close = onClose;
  return (
    <Drawer
      opened={opened}
      onClose={close}
      position="right"
      size={isPhone ? '100%' : 760}
      title={
        <Title order={3} fz="lg">
          {rule === 'new' ? t('editor.newTitle') : channel.can_manage ? t('editor.editTitle') : t('editor.viewTitle')}
        </Title>
      }
      padding={isPhone ? 'md' : 'lg'}
      closeButtonProps={{ 'aria-label': t('editor.closeLabel') }}
      data-testid="escalation-rule-drawer"
    >
      {/* Mantine unmounts this after the close transition, so every opening starts fresh. */}
      <RuleForm key={rule === 'new' ? 'new' : rule.id} channel={channel} initial={rule === 'new' ? null : rule} defaultName={defaultName} onClose={close} />
    </Drawer>
  );
}

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <div>
        <Title order={4} fz="md">
          {title}
        </Title>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}

/** Field errors shown in place; anything else (an unexpected field) is listed above the buttons. */
const PLACED = [/^name$/, /^spec\.conditions\.(filter|time)/, /^spec\.delay_seconds/, /^spec\.mode/, /^spec\.levels\[\d+\]\.(targets|methods|repeat_every_min|repeat_times|escalate_after_min)/, /^spec\.after_last/];

interface RuleFormProps {
  channel: Channel;
  initial: EscalationRule | null;
  defaultName: string;
  onClose: () => void;
}

function RuleForm({ channel, initial, defaultName, onClose }: RuleFormProps) {
  const { t } = useTranslation('escalation');
  const me = useCurrentUser();
  const options = useTargetOptions();
  const create = useCreateEscalationRule(channel.id);
  const update = useUpdateEscalationRule(channel.id);
  const readOnly = !channel.can_manage;
  const [saved, setSaved] = useState<EscalationRule | null>(initial);
  const [justSaved, setJustSaved] = useState(false);
  const [name, setName] = useState(initial?.name ?? defaultName);
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [spec, setSpec] = useState<EscalationSpec>(() => (initial ? asEscalationSpec(initial.spec) : newRuleSpec(me.id)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pending = create.isPending || update.isPending;
  const savedSummary = useRuleSummary(saved);

  const edit = (next: EscalationSpec) => {
    setSpec(next);
    setJustSaved(false);
  };
  const setLevel = (index: number, level: EscalationLevel) => edit({ ...spec, levels: spec.levels.map((l, i) => (i === index ? level : l)) });
  const moveLevel = (index: number, delta: -1 | 1) => {
    const levels = [...spec.levels];
    const [moved] = levels.splice(index, 1);
    if (moved) levels.splice(index + delta, 0, moved);
    edit({ ...spec, levels });
    setErrors({});
  };
  const time = spec.conditions?.time;
  const setConditions = (conditions: EscalationSpec['conditions']) => edit({ ...spec, conditions });
  const afterLast = spec.after_last ?? { kind: 'stop' as const };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local = checkRule(name, spec);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      document.querySelector<HTMLElement>('[data-testid="escalation-rule-editor"] [aria-invalid="true"], [data-testid="escalation-rule-editor"] [role="alert"]')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    const body = { name: name.trim(), enabled, spec: toWire(spec) };
    const onSuccess = (rule: EscalationRule) => {
      if (!initial && !saved) {
        // Creating is done: the list shows the new rule with the server's summary of it.
        notifySuccess(t('editor.created', { name: rule.name }));
        onClose();
        return;
      }
      setSaved(rule);
      setJustSaved(true);
      setSpec(asEscalationSpec(rule.spec));
      notifySuccess(t('editor.saved'));
      // The server's reading of the rule is the check that it says what was meant: show it.
      requestAnimationFrame(() => document.querySelector('[data-testid="escalation-rule-editor"]')?.closest('.mantine-Drawer-content')?.scrollTo({ top: 0 }));
    };
    const onError = (error: unknown) => {
      const found = fieldErrors(error);
      if (Object.keys(found).length > 0) setErrors(found);
      else notifyError(error);
    };
    if (saved) update.mutate({ id: saved.id, body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  };

  const unplaced = Object.entries(errors).filter(([field]) => !PLACED.some((re) => re.test(field)));

  return (
    <form onSubmit={submit} noValidate aria-label={t('editor.viewTitle')} data-testid="escalation-rule-editor">
      <Stack gap="lg">
        {saved && justSaved && (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('editor.savedReads')} data-testid="rule-saved">
            <RuleSummary summary={savedSummary} testId="rule-saved-summary" />
          </Alert>
        )}
        <Group align="flex-end" wrap="wrap" gap="md">
          <TextInput
            label={t('editor.name')}
            required
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setJustSaved(false);
            }}
            error={errors.name}
            maxLength={100}
            style={{ flex: '1 1 260px' }}
            data-autofocus
            readOnly={readOnly}
            data-testid="rule-name"
          />
          <Switch label={t('editor.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} mb={8} disabled={readOnly} data-testid="rule-enabled" />
        </Group>

        <Section title={t('editor.whenTitle')} description={t('editor.whenHelp')}>
          <FilterEditor
            label={t('editor.filterLabel')}
            value={spec.conditions?.filter ?? []}
            onChange={(filter) => setConditions({ ...spec.conditions, filter })}
            error={errorAt(errors, 'spec.conditions.filter')}
            emptyText={t('editor.filterEmpty')}
            testId="rule-filter"
          />
          <Switch
            label={t('editor.timeToggle')}
            checked={Boolean(time)}
            disabled={readOnly}
            onChange={(e) =>
              setConditions({
                ...spec.conditions,
                time: e.currentTarget.checked ? { time_zone: me.time_zone || browserTimeZone(), windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }], outside: false } : undefined,
              })
            }
            data-testid="rule-time-toggle"
          />
          {time && (
            <Stack gap="sm" pl={{ base: 0, sm: 'md' }} style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
              <Group gap="md" align="flex-end" wrap="wrap">
                <TimeZoneSelect
                  value={time.time_zone}
                  onChange={(zone) => zone && setConditions({ ...spec.conditions, time: { ...time, time_zone: zone } })}
                  allowDeselect={false}
                  w={280}
                  error={errorAt(errors, 'spec.conditions.time.time_zone')}
                  disabled={readOnly}
                  data-testid="rule-time-zone"
                />
                <SegmentedControl
                  value={time.outside ? 'outside' : 'inside'}
                  onChange={(v) => setConditions({ ...spec.conditions, time: { ...time, outside: v === 'outside' } })}
                  data={[
                    { value: 'inside', label: t('editor.inside') },
                    { value: 'outside', label: t('editor.outside') },
                  ]}
                  disabled={readOnly}
                  data-testid="rule-time-outside"
                />
              </Group>
              <WeeklyWindowsEditor
                value={time.windows}
                onChange={(windows) => setConditions({ ...spec.conditions, time: { ...time, windows } })}
                errorFor={(i) => errorAt(errors, `spec.conditions.time.windows[${i}]`)}
                testId="rule-window"
              />
              {errors['spec.conditions.time.windows'] && (
                <Text size="xs" c="red">
                  {errors['spec.conditions.time.windows']}
                </Text>
              )}
            </Stack>
          )}
        </Section>

        <Divider />

        <Section title={t('editor.timing')}>
          <Group gap="md" align="flex-start" wrap="wrap">
            <NumberInput
              label={t('editor.delay')}
              description={t('editor.delayHelp', { max: ESCALATION_LIMITS.delaySeconds })}
              value={spec.delay_seconds ?? 0}
              onChange={(v) => edit({ ...spec, delay_seconds: typeof v === 'number' ? v : 0 })}
              min={0}
              max={ESCALATION_LIMITS.delaySeconds}
              step={30}
              allowDecimal={false}
              suffix={` ${t('editor.secondsSuffix')}`}
              w={{ base: '100%', xs: 280 }}
              error={errors['spec.delay_seconds']}
              readOnly={readOnly}
              data-testid="rule-delay"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('editor.modeLabel')}
              </Text>
              <SegmentedControl
                value={spec.mode ?? 'unacknowledged'}
                onChange={(mode) => edit({ ...spec, mode: mode === 'unresolved' ? 'unresolved' : 'unacknowledged' })}
                data={[
                  { value: 'unacknowledged', label: t('editor.modeUnacknowledged') },
                  { value: 'unresolved', label: t('editor.modeUnresolved') },
                ]}
                disabled={readOnly}
                data-testid="rule-mode"
              />
              {errors['spec.mode'] && (
                <Text size="xs" c="red">
                  {errors['spec.mode']}
                </Text>
              )}
            </Stack>
          </Group>
        </Section>

        <Divider />

        <Section title={t('editor.levels')} description={t('editor.levelsHelp', { max: ESCALATION_LIMITS.levels })}>
          {spec.levels.map((level, index) => (
            <LevelCard
              key={index}
              index={index}
              count={spec.levels.length}
              level={level}
              onChange={(l) => setLevel(index, l)}
              onMove={(delta) => moveLevel(index, delta)}
              onRemove={() => {
                edit({ ...spec, levels: spec.levels.filter((_, i) => i !== index) });
                setErrors({});
              }}
              options={options}
              mode={spec.mode ?? 'unacknowledged'}
              loops={afterLast.kind === 'loop'}
              errors={errors}
              readOnly={readOnly}
            />
          ))}
          {errors['spec.levels'] && (
            <Text size="xs" c="red">
              {errors['spec.levels']}
            </Text>
          )}
          {!readOnly && (
            <Group>
              <Button
                variant="light"
                leftSection={<IconPlus size={16} />}
                disabled={spec.levels.length >= ESCALATION_LIMITS.levels}
                onClick={() => edit({ ...spec, levels: [...spec.levels, newLevel()] })}
                data-testid="add-level"
              >
                {t('editor.addLevel', { n: spec.levels.length + 1 })}
              </Button>
              {spec.levels.length >= ESCALATION_LIMITS.levels && (
                <Text size="xs" c="dimmed">
                  {t('editor.maxLevels', { max: ESCALATION_LIMITS.levels })}
                </Text>
              )}
            </Group>
          )}
        </Section>

        <Section title={t('editor.afterLast')}>
          <Group gap="md" align="flex-end" wrap="wrap">
            <SegmentedControl
              value={afterLast.kind}
              onChange={(kind) => edit({ ...spec, after_last: kind === 'loop' ? { kind: 'loop', times: 1 } : { kind: 'stop' } })}
              data={[
                { value: 'stop', label: t('editor.stop') },
                { value: 'loop', label: t('editor.loop') },
              ]}
              disabled={readOnly}
              data-testid="after-last"
            />
            {afterLast.kind === 'loop' && (
              <NumberInput
                label={t('editor.times')}
                value={afterLast.times}
                onChange={(v) => edit({ ...spec, after_last: { kind: 'loop', times: typeof v === 'number' ? v : 1 } })}
                min={1}
                max={ESCALATION_LIMITS.loopTimes}
                allowDecimal={false}
                w={110}
                readOnly={readOnly}
                error={errorAt(errors, 'spec.after_last')}
                data-testid="after-last-times"
              />
            )}
          </Group>
        </Section>

        <Section title={t('editor.dynamic')}>
          <Switch
            label={t('editor.dynamicLabel')}
            description={t('editor.dynamicHelp')}
            checked={spec.dynamic_assignment === true}
            onChange={(e) => edit({ ...spec, dynamic_assignment: e.currentTarget.checked })}
            disabled={readOnly}
            data-testid="rule-dynamic-assignment"
          />
        </Section>

        {saved && !justSaved && (
          <Box>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
              {t('editor.lastSaved')}
            </Text>
            <RuleSummary summary={savedSummary} dimmed />
          </Box>
        )}

        {unplaced.length > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('editor.notSaved')}>
            {unplaced.map(([field, message]) => (
              <Text key={field} size="sm">
                <Text span ff="monospace" size="xs">
                  {field}
                </Text>
                : {message}
              </Text>
            ))}
          </Alert>
        )}

        <Group
          justify="flex-end"
          gap="sm"
          pos="sticky"
          bottom={0}
          py="sm"
          bg="var(--mantine-color-body)"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)', zIndex: 2 }}
        >
          {Object.keys(errors).length > 0 && (
            <Text size="sm" c="red" mr="auto" data-testid="rule-error-count">
              {t('editor.problems', { count: Object.keys(errors).length })}
            </Text>
          )}
          <Button variant="default" onClick={onClose} data-testid="rule-close">
            {readOnly || justSaved ? t('common:actions.close') : t('common:actions.cancel')}
          </Button>
          {!readOnly && (
            <Button type="submit" loading={pending} data-testid="rule-save">
              {saved ? t('editor.save') : t('editor.create')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
