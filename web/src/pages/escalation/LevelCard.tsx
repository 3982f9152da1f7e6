import { ActionIcon, Badge, Chip, Group, MultiSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, TagsInput, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCalendarTime, IconCheck, IconTrash, IconUser, IconUsersGroup, IconWebhook } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ESCALATION_LIMITS, ESCALATION_METHODS, SEVERITIES, type EscalationLevel, type EscalationMethod, type LevelMethods, type ScheduleTarget } from '../../api/specs';
import { SeverityBadge } from '../../components/IncidentBadges';
import { errorAt } from '../../lib/formErrors';
import { methodLabel } from '../../lib/methods';
import { withSelected, type TargetOptions } from './useTargetOptions';
import { NoSchedulesYet } from './NoSchedulesYet';

interface LevelCardProps {
  index: number;
  count: number;
  level: EscalationLevel;
  onChange: (level: EscalationLevel) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  options: TargetOptions;
  mode: 'unacknowledged' | 'unresolved';
  /** Whether the rule loops back after this level (then its "escalate after" is the wait before looping). */
  loops: boolean;
  errors: Record<string, string>;
  readOnly: boolean;
}

/** One escalation level: who, how, how often, and how long before the next level. */
export function LevelCard({ index, count, level, onChange, onMove, onRemove, options, mode, loops, errors, readOnly }: LevelCardProps) {
  const at = `spec.levels[${index}]`;
  const { t } = useTranslation('escalation');
  const targets = level.targets;
  const setTargets = (next: Partial<EscalationLevel['targets']>) => onChange({ ...level, targets: { ...targets, ...next } });
  const scheduleIds = (targets.schedules ?? []).map((s) => s.id);
  const last = index === count - 1;
  const targetsError = errors[`${at}.targets`];
  const until = mode === 'unresolved' ? t('level.notResolved') : t('level.notAcknowledged');

  const setSchedules = (ids: string[]) => {
    const current = new Map((targets.schedules ?? []).map((s) => [s.id, s]));
    setTargets({ schedules: ids.map((id): ScheduleTarget => current.get(id) ?? { id }) });
  };
  const setRoles = (id: string, roles: string[]) =>
    setTargets({ schedules: (targets.schedules ?? []).map((s) => (s.id === id ? { id, roles: roles.map((r) => r.trim().toLowerCase()).filter(Boolean) } : s)) });

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="level-card" data-level={index + 1} role="group" aria-label={t('level.name', { n: index + 1 })}>
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge size="lg" radius="sm" variant="filled">
              {t('level.name', { n: index + 1 })}
            </Badge>
            {index > 0 && (
              <Text size="xs" c="dimmed">
                {t('level.ifStill', { until, n: index })}
              </Text>
            )}
          </Group>
          {!readOnly && (
            <Group gap={2} wrap="nowrap">
              <Tooltip label={t('level.moveUpTip')}>
                <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => onMove(-1)} aria-label={t('level.moveUp', { n: index + 1 })} data-testid="level-move-up">
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('level.moveDownTip')}>
                <ActionIcon variant="subtle" color="gray" disabled={last} onClick={() => onMove(1)} aria-label={t('level.moveDown', { n: index + 1 })} data-testid="level-move-down">
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('level.removeTip')}>
                <ActionIcon variant="subtle" color="red" disabled={count === 1} onClick={onRemove} aria-label={t('level.remove', { n: index + 1 })} data-testid="level-remove">
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </Group>

        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('level.notify')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
            <MultiSelect
              label={t('level.people')}
              leftSection={<IconUser size={16} />}
              placeholder={targets.people?.length ? undefined : t('level.pickPeople')}
              data={withSelected(options.people, targets.people ?? [])}
              value={targets.people ?? []}
              onChange={(people) => setTargets({ people })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.people}
              nothingFoundMessage={t('level.noPerson')}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.people`)}
              data-testid="level-people"
            />
            <MultiSelect
              label={t('level.teams')}
              leftSection={<IconUsersGroup size={16} />}
              placeholder={targets.teams?.length ? undefined : t('level.everyMemberOf')}
              data={withSelected(options.teams, targets.teams ?? [])}
              value={targets.teams ?? []}
              onChange={(teams) => setTargets({ teams })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.teams}
              nothingFoundMessage={t('level.noTeam')}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.teams`)}
              data-testid="level-teams"
            />
            <MultiSelect
              label={t('level.schedules')}
              leftSection={<IconCalendarTime size={16} />}
              placeholder={scheduleIds.length ? undefined : t('level.whoeverOnCall')}
              description={options.schedules.length === 0 && !readOnly ? <NoSchedulesYet /> : undefined}
              data={withSelected(options.schedules, scheduleIds)}
              value={scheduleIds}
              onChange={setSchedules}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.schedules}
              nothingFoundMessage={t('level.noSchedule')}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.schedules`)}
              data-testid="level-schedules"
            />
            <MultiSelect
              label={t('level.groupChats')}
              leftSection={<IconWebhook size={16} />}
              placeholder={targets.group_chats?.length ? undefined : options.groupChats.length ? t('level.postTo') : t('level.noneConfigured')}
              description={options.groupChats.length === 0 ? t('level.groupChatsHelp') : undefined}
              data={withSelected(options.groupChats, targets.group_chats ?? [])}
              value={targets.group_chats ?? []}
              onChange={(group_chats) => setTargets({ group_chats })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.groupChats}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.group_chats`)}
              data-testid="level-group-chats"
            />
          </SimpleGrid>
          {(targets.schedules ?? []).map((s) => (
            <TagsInput
              key={s.id}
              label={t('level.rolesOn', { schedule: options.schedules.find((o) => o.value === s.id)?.label ?? t('level.schedule') })}
              description={t('level.rolesHelp')}
              placeholder={s.roles?.length ? undefined : t('level.allRoles')}
              data={[...new Set([...options.rolesOf(s.id), 'primary', 'backup'])]}
              value={s.roles ?? []}
              onChange={(roles) => setRoles(s.id, roles)}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.schedules[${scheduleIds.indexOf(s.id)}]`)}
              size="sm"
              data-testid="level-schedule-roles"
            />
          ))}
          {targetsError && (
            <Text size="xs" c="red" role="alert" data-testid="level-targets-error">
              {targetsError}
            </Text>
          )}
        </Stack>

        <MethodsField value={level.methods} onChange={(methods) => onChange({ ...level, methods })} error={errorAt(errors, `${at}.methods`)} readOnly={readOnly} />

        <Group gap="sm" align="flex-start" wrap="wrap">
          <NumberInput
            label={t('level.repeat')}
            description={t('level.repeatHelp')}
            value={level.repeat_times ?? 0}
            onChange={(v) => {
              const times = typeof v === 'number' ? v : 0;
              onChange({ ...level, repeat_times: times, repeat_every_min: times > 0 ? (level.repeat_every_min ?? 5) : null });
            }}
            min={0}
            max={ESCALATION_LIMITS.repeatTimes}
            allowDecimal={false}
            clampBehavior="strict"
            w={150}
            readOnly={readOnly}
            error={errors[`${at}.repeat_times`]}
            data-testid="level-repeat-times"
          />
          <NumberInput
            label={t('level.every')}
            description={t('level.everyHelp', { min: ESCALATION_LIMITS.repeatEveryMin[0], max: ESCALATION_LIMITS.repeatEveryMin[1] })}
            value={level.repeat_every_min ?? ''}
            onChange={(v) => onChange({ ...level, repeat_every_min: typeof v === 'number' ? v : null })}
            disabled={(level.repeat_times ?? 0) === 0}
            min={ESCALATION_LIMITS.repeatEveryMin[0]}
            max={ESCALATION_LIMITS.repeatEveryMin[1]}
            step={0.5}
            decimalScale={2}
            w={150}
            readOnly={readOnly}
            error={errors[`${at}.repeat_every_min`]}
            data-testid="level-repeat-every"
          />
          <NumberInput
            label={last ? (loops ? t('level.loopAfter') : t('level.lasts')) : t('level.escalateAfter')}
            description={last && !loops ? t('level.nothingFollows') : t('level.ifStillShort', { until })}
            value={level.escalate_after_min}
            onChange={(v) => onChange({ ...level, escalate_after_min: typeof v === 'number' ? v : 0 })}
            min={ESCALATION_LIMITS.escalateAfterMin[0]}
            max={ESCALATION_LIMITS.escalateAfterMin[1]}
            allowDecimal={false}
            w={170}
            readOnly={readOnly}
            error={errors[`${at}.escalate_after_min`]}
            data-testid="level-escalate-after"
          />
        </Group>
      </Stack>
    </Paper>
  );
}

function MethodsField({ value, onChange, error, readOnly }: { value: LevelMethods; onChange: (m: LevelMethods) => void; error: string | undefined; readOnly: boolean }) {
  const { t } = useTranslation('escalation');
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t('level.how')}
      </Text>
      <SegmentedControl
        value={value.kind}
        onChange={(kind) => onChange(kind === 'explicit' ? { kind: 'explicit', by_severity: { Critical: ['voice', 'sms'], Warning: ['sms'], Info: ['email'] } } : { kind: 'preferences' })}
        data={[
          { value: 'preferences', label: t('level.preferences') },
          { value: 'explicit', label: t('level.perSeverity') },
        ]}
        disabled={readOnly}
        maw={440}
        fullWidth
        // Long labels wrap inside their half on a phone instead of running off the screen.
        styles={{ label: { whiteSpace: 'normal', lineHeight: 1.3 } }}
        data-testid="level-methods-mode"
      />
      {value.kind === 'preferences' ? (
        <Text size="xs" c="dimmed">
          {t('level.preferencesHelp')}
        </Text>
      ) : (
        <Stack gap={8}>
          {SEVERITIES.map((severity) => (
            <Group key={severity} gap="sm" align="flex-start" wrap="wrap">
              <div style={{ width: 76, paddingTop: 2, flexShrink: 0 }}>
                <SeverityBadge severity={severity} />
              </div>
              <Chip.Group
                multiple
                value={value.by_severity[severity] ?? []}
                onChange={(methods) =>
                  onChange({ kind: 'explicit', by_severity: { ...value.by_severity, [severity]: ESCALATION_METHODS.filter((m: EscalationMethod) => methods.includes(m)) } })
                }
              >
                <Group gap={6} style={{ flex: '1 1 260px' }} role="group" aria-label={t('level.severityMethods', { severity: t(`severity.${severity}`) })}>
                  {ESCALATION_METHODS.map((m) => (
                    <Chip key={m} value={m} size="xs" icon={<IconCheck size={12} />} disabled={readOnly} data-testid={`level-method-${severity}-${m}`}>
                      {methodLabel(m)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Group>
          ))}
          <Text size="xs" c="dimmed">
            {t('level.perSeverityHelp')}
          </Text>
        </Stack>
      )}
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
