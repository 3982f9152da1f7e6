import { Anchor, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCalendarTime, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSchedules, type Schedule } from '../../api/schedules';
import { AccessBadge } from '../../components/Badges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { OnCallNow } from '../../components/schedules/OnCallNow';

/** Keys in `schedules:list.columns`. */
const COLUMNS = ['name', 'onCallNow', 'team', 'timeZone'];
/** Columns folded into the name cell on phones (see ScheduleRow). */
const DESKTOP_ONLY_COLUMNS = new Set(['team', 'timeZone']);

/** `/schedules`: every schedule I may see, with who is on call in each right now. */
export function SchedulesPage() {
  const { t } = useTranslation('schedules');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const schedules = useSchedules(debouncedSearch);

  const createButton = (
    <Button component={Link} to="/schedules/new" leftSection={<IconPlus size={16} />} data-testid="create-schedule-button">
      {t('list.create')}
    </Button>
  );
  const isEmpty = schedules.isSuccess && schedules.items.length === 0;
  const showEmptyState = isEmpty && !debouncedSearch;

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={showEmptyState ? undefined : createButton}
      />
      {showEmptyState ? (
        <EmptyState
          icon={<IconCalendarTime size={28} />}
          title={t('list.emptyTitle')}
          description={t('list.emptyDescription')}
          action={createButton}
        />
      ) : (
        <Stack gap="md">
          <SearchInput value={search} onChange={setSearch} label={t('list.search')} placeholder={t('list.search')} />
          {schedules.isError ? (
            <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={320} type="native">
                <Table data-testid="schedules-table">
                  <Table.Thead>
                    <Table.Tr>
                      {COLUMNS.map((column) => (
                        <Table.Th key={column} visibleFrom={DESKTOP_ONLY_COLUMNS.has(column) ? 'sm' : undefined}>
                          {t(`list.columns.${column}`)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  {schedules.isPending ? (
                    <TableSkeleton columns={COLUMNS.length} />
                  ) : (
                    <Table.Tbody>
                      {schedules.items.map((schedule) => (
                        <ScheduleRow key={schedule.id} schedule={schedule} />
                      ))}
                      {isEmpty && (
                        <Table.Tr>
                          <Table.Td colSpan={COLUMNS.length}>
                            <Text c="dimmed" ta="center" py="lg" size="sm">
                              {t('list.noMatch', { search: debouncedSearch })}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Table.Tbody>
                  )}
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
          <LoadMore hasMore={schedules.hasNextPage} loading={schedules.isFetchingNextPage} onLoadMore={() => void schedules.fetchNextPage()} />
        </Stack>
      )}
    </>
  );
}

/** One schedule; the whole row opens it, and the name is a real link for keyboards and new tabs. */
function ScheduleRow({ schedule }: { schedule: Schedule }) {
  const navigate = useNavigate();
  const href = `/schedules/${schedule.id}`;
  return (
    <Table.Tr
      className="tocsin-row-link"
      data-testid="schedule-row"
      data-schedule-id={schedule.id}
      onClick={(event) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('a'))) void navigate(href);
      }}
    >
      <Table.Td>
        <Group gap={8} wrap="nowrap">
          <Anchor component={Link} to={href} fw={600} size="sm">
            {schedule.name}
          </Anchor>
          {schedule.private && <AccessBadge isPrivate />}
        </Group>
        {schedule.description && (
          <Text size="xs" c="dimmed" lineClamp={1} maw={360}>
            {schedule.description}
          </Text>
        )}
        <Text size="xs" c="dimmed" hiddenFrom="sm" mt={2}>
          {schedule.team_name} · {schedule.time_zone}
        </Text>
      </Table.Td>
      <Table.Td>
        <OnCallNow scheduleId={schedule.id} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">{schedule.team_name}</Text>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm" c="dimmed">
          {schedule.time_zone}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
