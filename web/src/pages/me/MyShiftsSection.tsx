import { useTranslation } from 'react-i18next';
import { Anchor, Badge, Table, Text } from '@mantine/core';
import { IconCalendarCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMyShifts } from '../../api/schedules';
import type { Me } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { TableSkeleton } from '../../components/TableSkeleton';
import { formatDuration, formatRangeInZone, isKnownZone } from '../../components/schedules/zonedTime';
import { SectionCard } from './SectionCard';

const DAYS = 14;
const COLUMNS = ['when', 'schedule', 'length'];

/** My shifts across every schedule over the next two weeks, in my own time zone. */
export function MyShiftsSection({ me }: { me: Me }) {
  const [range] = useState(() => {
    const start = Date.now();
    return { start, end: start + DAYS * 24 * 3600_000 };
  });
  const shifts = useMyShifts(range);
  const zone = isKnownZone(me.time_zone) ? me.time_zone : 'UTC';
  const now = Date.now();
  const { t } = useTranslation('me');

  return (
    <SectionCard
      title={t('shifts.title')}
      description={t('shifts.description', { count: DAYS, zone })}
      testId="my-shifts-section"
    >
      {shifts.isError ? (
        <ErrorState error={shifts.error} onRetry={() => void shifts.refetch()} />
      ) : shifts.isSuccess && shifts.data.length === 0 ? (
        <EmptyState
          bare
          icon={<IconCalendarCheck size={28} />}
          title={t('shifts.emptyTitle')}
          description={
            <>
              {t('shifts.emptyBefore')}
              <Anchor component={Link} to="/schedules" inherit>
                {t('shifts.emptyLink')}
              </Anchor>
              {t('shifts.emptyAfter')}
            </>
          }
        />
      ) : (
        <Table.ScrollContainer minWidth={480} type="native">
          <Table data-testid="my-shifts-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <Table.Th key={column}>{t(`shifts.columns.${column}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {shifts.isPending ? (
              <TableSkeleton columns={COLUMNS.length} rows={3} />
            ) : (
              <Table.Tbody>
                {shifts.data.map((shift) => (
                  <Table.Tr key={`${shift.schedule_id}-${shift.role}-${shift.start}`} data-testid="my-shift-row">
                    <Table.Td>
                      <Text size="sm">{formatRangeInZone(shift.start, shift.end, zone)}</Text>
                      {shift.start <= now && shift.end > now && (
                        <Badge color="teal" variant="filled" size="xs" mt={2}>
                          {t('shifts.onCallNow')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/schedules/${shift.schedule_id}`} size="sm" fw={500}>
                        {shift.schedule_name}
                      </Anchor>
                      {shift.role !== 'primary' && (
                        <Text size="xs" c="dimmed">
                          {shift.role === 'secondary' ? t('shifts.secondary') : shift.role}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDuration(shift.end - shift.start)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
    </SectionCard>
  );
}
