import { ActionIcon, Badge, Chip, Group, MultiSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, TagsInput, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCalendarTime, IconCheck, IconTrash, IconUser, IconUsersGroup, IconWebhook } from '@tabler/icons-react';
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
  const t = level.targets;
  const setTargets = (targets: Partial<EscalationLevel['targets']>) => onChange({ ...level, targets: { ...t, ...targets } });
  const scheduleIds = (t.schedules ?? []).map((s) => s.id);
  const last = index === count - 1;
  const targetsError = errors[`${at}.targets`];
  const until = mode === 'unresolved' ? 'not resolved' : 'not acknowledged';

  const setSchedules = (ids: string[]) => {
    const current = new Map((t.schedules ?? []).map((s) => [s.id, s]));
    setTargets({ schedules: ids.map((id): ScheduleTarget => current.get(id) ?? { id }) });
  };
  const setRoles = (id: string, roles: string[]) =>
    setTargets({ schedules: (t.schedules ?? []).map((s) => (s.id === id ? { id, roles: roles.map((r) => r.trim().toLowerCase()).filter(Boolean) } : s)) });

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="level-card" data-level={index + 1} role="group" aria-label={`Level ${index + 1}`}>
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge size="lg" radius="sm" variant="filled">
              Level {index + 1}
            </Badge>
            {index > 0 && (
              <Text size="xs" c="dimmed">
                if still {until} after level {index}
              </Text>
            )}
          </Group>
          {!readOnly && (
            <Group gap={2} wrap="nowrap">
              <Tooltip label="Move up">
                <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move level ${index + 1} up`} data-testid="level-move-up">
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Move down">
                <ActionIcon variant="subtle" color="gray" disabled={last} onClick={() => onMove(1)} aria-label={`Move level ${index + 1} down`} data-testid="level-move-down">
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Remove level">
                <ActionIcon variant="subtle" color="red" disabled={count === 1} onClick={onRemove} aria-label={`Remove level ${index + 1}`} data-testid="level-remove">
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </Group>

        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Notify
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
            <MultiSelect
              label="People"
              leftSection={<IconUser size={16} />}
              placeholder={t.people?.length ? undefined : 'Pick people'}
              data={withSelected(options.people, t.people ?? [])}
              value={t.people ?? []}
              onChange={(people) => setTargets({ people })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.people}
              nothingFoundMessage="Nobody by that name"
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.people`)}
              data-testid="level-people"
            />
            <MultiSelect
              label="Teams"
              leftSection={<IconUsersGroup size={16} />}
              placeholder={t.teams?.length ? undefined : 'Every member of…'}
              data={withSelected(options.teams, t.teams ?? [])}
              value={t.teams ?? []}
              onChange={(teams) => setTargets({ teams })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.teams}
              nothingFoundMessage="No such team"
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.teams`)}
              data-testid="level-teams"
            />
            <MultiSelect
              label="Schedules"
              leftSection={<IconCalendarTime size={16} />}
              placeholder={scheduleIds.length ? undefined : 'Whoever is on call'}
              description={options.schedules.length === 0 && !readOnly ? <NoSchedulesYet /> : undefined}
              data={withSelected(options.schedules, scheduleIds)}
              value={scheduleIds}
              onChange={setSchedules}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.schedules}
              nothingFoundMessage="No such schedule"
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.schedules`)}
              data-testid="level-schedules"
            />
            <MultiSelect
              label="Group chats"
              leftSection={<IconWebhook size={16} />}
              placeholder={t.group_chats?.length ? undefined : options.groupChats.length ? 'Post to…' : 'None configured'}
              description={options.groupChats.length === 0 ? 'An admin adds them under Settings → Notification providers.' : undefined}
              data={withSelected(options.groupChats, t.group_chats ?? [])}
              value={t.group_chats ?? []}
              onChange={(group_chats) => setTargets({ group_chats })}
              searchable
              clearable
              maxValues={ESCALATION_LIMITS.groupChats}
              readOnly={readOnly}
              error={errorAt(errors, `${at}.targets.group_chats`)}
              data-testid="level-group-chats"
            />
          </SimpleGrid>
          {(t.schedules ?? []).map((s) => (
            <TagsInput
              key={s.id}
              label={`Roles on “${options.schedules.find((o) => o.value === s.id)?.label ?? 'schedule'}”`}
              description="Only people on call in these roles. Empty: everyone on call."
              placeholder={s.roles?.length ? undefined : 'All roles (e.g. primary, backup)'}
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
            label="Repeat"
            description="Times, while unacknowledged"
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
            label="Every (min)"
            description="0.5–120 minutes"
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
            label={last ? (loops ? 'Loop back after (min)' : 'Level lasts (min)') : 'Escalate after (min)'}
            description={last && !loops ? 'Nothing follows the last level' : `If still ${until}`}
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
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        How
      </Text>
      <SegmentedControl
        value={value.kind}
        onChange={(kind) => onChange(kind === 'explicit' ? { kind: 'explicit', by_severity: { Critical: ['voice', 'sms'], Warning: ['sms'], Info: ['email'] } } : { kind: 'preferences' })}
        data={[
          { value: 'preferences', label: 'Each person’s preferences' },
          { value: 'explicit', label: 'Choose per severity' },
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
          Everyone is reached the way they chose in their personal center for the incident’s severity.
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
                <Group gap={6} style={{ flex: '1 1 260px' }} role="group" aria-label={`${severity} methods`}>
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
            A severity with no method picked follows each person’s preferences.
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
