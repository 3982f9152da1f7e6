import { ActionIcon, Avatar, Badge, Group, Paper, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconReplace, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useDeleteOverride, useOverrides, usePersonNames, type Schedule, type ScheduleOverride } from '../../api/schedules';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { formatDateTimeInZone, formatRangeInZone } from '../../components/schedules/zonedTime';
import { notifyError, notifySuccess } from '../../lib/notify';

const COLUMNS = ['Person', 'When', 'Status', 'Added', ''];

function status(override: ScheduleOverride, now: number): { label: string; color: string } {
  if (override.deleted_at !== null) return { label: 'Deleted', color: 'gray' };
  if (override.end <= now) return { label: 'Past', color: 'gray' };
  if (override.start <= now) return { label: 'On call now', color: 'teal' };
  return { label: 'Upcoming', color: 'blue' };
}

interface OverridesSectionProps {
  schedule: Schedule;
  /** Asks before deleting; shared with the timeline's override bars. */
  onDelete: (override: { id: string; label: string }) => void;
}

/** Current and upcoming overrides, or the whole history including deleted ones. */
export function OverridesSection({ schedule, onDelete }: OverridesSectionProps) {
  const [history, setHistory] = useState(false);
  const overrides = useOverrides(schedule.id, history);
  const zone = schedule.time_zone;
  const ids = overrides.items.flatMap((o) => [o.person_id, o.created_by, o.deleted_by].filter((id): id is string => id !== null));
  const { names } = usePersonNames(ids);
  const nameOf = (id: string | null) => (id === null ? 'Someone' : (names.get(id) ?? (names.has(id) ? 'Unknown person' : '…')));
  const now = Date.now();

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label="Overrides" data-testid="overrides-section">
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 280px' }}>
          <Title order={3} fz="lg">
            Overrides
          </Title>
          <Text size="sm" c="dimmed">
            Someone covering for whoever the layers put on call. Deleted overrides stay in the history.
          </Text>
        </Stack>
        <Switch
          label="Show past and deleted"
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
          title={history ? 'No overrides yet' : 'No current or upcoming overrides'}
          description={
            schedule.can_manage
              ? 'Use “Add override”, or pick a shift in the timeline and choose “Take this shift”.'
              : 'Members of the owning team add overrides when someone covers for a colleague.'
          }
        />
      ) : (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table data-testid="overrides-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column, i) => (
                  <Table.Th key={i}>{column}</Table.Th>
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
                                {override.role}
                              </Text>
                            )}
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatRangeInZone(override.start, override.end, zone)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant={state.label === 'On call now' ? 'filled' : 'light'} color={state.color}>
                          {state.label}
                        </Badge>
                        {override.deleted_at !== null && (
                          <Text size="xs" c="dimmed" mt={2}>
                            by {nameOf(override.deleted_by)}, {formatDateTimeInZone(override.deleted_at, zone)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          by {nameOf(override.created_by)}
                        </Text>
                        <RelativeTime ms={override.created_at} />
                      </Table.Td>
                      <Table.Td w={60}>
                        {deletable && (
                          <Tooltip label="Delete override">
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Delete override for ${person}`}
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
  const deleteOverride = useDeleteOverride(scheduleId);
  return (
    <ConfirmDialog
      opened={target !== null}
      onClose={onClose}
      title="Delete override?"
      message={`${target?.label ?? ''}. Whoever the layers put on call takes this time back. The override stays in the history.`}
      confirmLabel="Delete override"
      loading={deleteOverride.isPending}
      onConfirm={() => {
        if (!target) return;
        deleteOverride.mutate(target.id, {
          onSuccess: () => notifySuccess('Override deleted'),
          onError: (error) => notifyError(error),
          onSettled: onClose,
        });
      }}
    />
  );
}
