import { ActionIcon, Avatar, Badge, Group, Paper, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconReplace, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteOverride, useOverrides, usePersonNames, type Schedule, type ScheduleOverride } from '../../api/schedules';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { roleLabel } from '../../components/schedules/roleLabel';
import { formatDateTimeInZone, formatRangeInZone } from '../../components/schedules/zonedTime';
import { notifyError, notifySuccess } from '../../lib/notify';

/** Keys in `schedules:overrides.columns` ('' is the actions column). */
const COLUMNS = ['person', 'when', 'status', 'added', ''];

type OverrideState = 'deleted' | 'past' | 'onCallNow' | 'upcoming';

function status(override: ScheduleOverride, now: number): { state: OverrideState; color: string } {
  if (override.deleted_at !== null) return { state: 'deleted', color: 'gray' };
  if (override.end <= now) return { state: 'past', color: 'gray' };
  if (override.start <= now) return { state: 'onCallNow', color: 'teal' };
  return { state: 'upcoming', color: 'blue' };
}

interface OverridesSectionProps {
  schedule: Schedule;
  /** Asks before deleting; shared with the timeline's override bars. */
  onDelete: (override: { id: string; label: string }) => void;
}

/** Current and upcoming overrides, or the whole history including deleted ones. */
export function OverridesSection({ schedule, onDelete }: OverridesSectionProps) {
  const { t } = useTranslation('schedules');
  const [history, setHistory] = useState(false);
  const overrides = useOverrides(schedule.id, history);
  const zone = schedule.time_zone;
  const ids = overrides.items.flatMap((o) => [o.person_id, o.created_by, o.deleted_by].filter((id): id is string => id !== null));
  const { names } = usePersonNames(ids);
  const nameOf = (id: string | null) => (id === null ? t('overrides.someone') : (names.get(id) ?? (names.has(id) ? t('unknownPerson') : '…')));
  const now = Date.now();

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('timeline.overrides')} data-testid="overrides-section">
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 280px' }}>
          <Title order={3} fz="lg">
            {t('timeline.overrides')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('overrides.description')}
          </Text>
        </Stack>
        <Switch
          label={t('overrides.showHistory')}
          checked={history}
          onChange={(event) => setHistory(event.currentTarget.checked)}
          data-testid="overrides-history-switch"
        />
      </Group>
      {overrides.isError ? (
        <ErrorState error={overrides.error} onRetry={() => void overrides.refetch()} />
      ) : overrides.isSuccess && overrides.items.length === 0 ? (
        <EmptyState
          bare
          icon={<IconReplace size={28} />}
          title={history ? t('overrides.emptyHistory') : t('overrides.emptyCurrent')}
          description={schedule.can_manage ? t('overrides.emptyManage') : t('overrides.emptyReadOnly')}
        />
      ) : (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table data-testid="overrides-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column, i) => (
                  <Table.Th key={i}>{column ? t(`overrides.columns.${column}`) : ''}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {overrides.isPending ? (
              <TableSkeleton columns={COLUMNS.length} rows={2} />
            ) : (
              <Table.Tbody>
                {overrides.items.map((override) => {
                  const state = status(override, now);
                  const deletable = schedule.can_manage && override.deleted_at === null && override.end > now;
                  const person = nameOf(override.person_id);
                  return (
                    <Table.Tr key={override.id} data-testid="override-row" data-override-id={override.id} style={override.deleted_at ? { opacity: 0.65 } : undefined}>
                      <Table.Td>
                        <Group gap={8} wrap="nowrap">
                          <Avatar name={person} color="initials" size={26} />
                          <div>
                            <Text size="sm" fw={500} td={override.deleted_at ? 'line-through' : undefined}>
                              {person}
                            </Text>
                            {override.role !== 'primary' && (
                              <Text size="xs" c="dimmed">
                                {roleLabel(override.role)}
                              </Text>
                            )}
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatRangeInZone(override.start, override.end, zone)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant={state.state === 'onCallNow' ? 'filled' : 'light'} color={state.color}>
                          {t(`overrides.states.${state.state}`)}
                        </Badge>
                        {override.deleted_at !== null && (
                          <Text size="xs" c="dimmed" mt={2}>
                            {t('overrides.deletedBy', { name: nameOf(override.deleted_by), time: formatDateTimeInZone(override.deleted_at, zone) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {t('overrides.by', { name: nameOf(override.created_by) })}
                        </Text>
                        <RelativeTime ms={override.created_at} />
                      </Table.Td>
                      <Table.Td w={60}>
                        {deletable && (
                          <Tooltip label={t('overrides.delete')}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('overrides.deleteFor', { name: person })}
                              onClick={() => onDelete({ id: override.id, label: `${person}, ${formatRangeInZone(override.start, override.end, zone)}` })}
                              data-testid="override-delete"
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasMore={overrides.hasNextPage} loading={overrides.isFetchingNextPage} onLoadMore={() => void overrides.fetchNextPage()} />
    </Paper>
  );
}

/** The "Delete override?" dialog, shared by the list and the timeline. */
export function DeleteOverrideDialog({ scheduleId, target, onClose }: { scheduleId: string; target: { id: string; label: string } | null; onClose: () => void }) {
  const { t } = useTranslation('schedules');
  const deleteOverride = useDeleteOverride(scheduleId);
  return (
    <ConfirmDialog
      opened={target !== null}
      onClose={onClose}
      title={t('overrides.deleteTitle')}
      message={t('overrides.deleteMessage', { label: target?.label ?? '' })}
      confirmLabel={t('overrides.delete')}
      loading={deleteOverride.isPending}
      onConfirm={() => {
        if (!target) return;
        deleteOverride.mutate(target.id, {
          onSuccess: () => notifySuccess(t('overrides.deleted')),
          onError: (error) => notifyError(error),
          onSettled: onClose,
        });
      }}
    />
  );
}
