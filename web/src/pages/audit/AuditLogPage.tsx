import { ActionIcon, Badge, Paper, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconHistory } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditLog } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { AdminOnly } from '../../components/AdminOnly';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { TableSkeleton } from '../../components/TableSkeleton';
import { formatDateTime } from '../../lib/time';
import { AuditDiff } from './AuditDiff';

/** Keys in `audit:columns` ('' is the expand button's column). */
const COLUMNS = ['', 'time', 'actor', 'action', 'target'];

/** Colours by verb, so creations and deletions stand out when scanning. */
function actionColor(action: string): string {
  if (/delete|remove|revoke|disable/i.test(action)) return 'red';
  if (/create|add|enable/i.test(action)) return 'teal';
  return 'blue';
}

export function AuditLogPage() {
  const { t } = useTranslation('audit');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <AdminOnly>
        <AuditLogTable />
      </AdminOnly>
    </>
  );
}

function AuditLogTable() {
  const { t } = useTranslation('audit');
  const log = useAuditLog();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (log.isSuccess && log.items.length === 0) {
    return <EmptyState icon={<IconHistory size={28} />} title={t('emptyTitle')} description={t('emptyDescription')} />;
  }

  return (
    <Stack gap="md">
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={720} type="native">
          <Table data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column, index) => (
                  <Table.Th key={index} w={index === 0 ? 44 : undefined}>
                    {column ? t(`columns.${column}`) : ''}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {log.isPending ? (
              <TableSkeleton columns={COLUMNS.length} rows={8} />
            ) : (
              <Table.Tbody>
                {log.items.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} open={expanded.has(entry.id)} onToggle={() => toggle(entry.id)} />
                ))}
              </Table.Tbody>
            )}
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore hasMore={log.hasNextPage} loading={log.isFetchingNextPage} onLoadMore={() => void log.fetchNextPage()} />
    </Stack>
  );
}

function AuditRow({ entry, open, onToggle }: { entry: AuditEntry; open: boolean; onToggle: () => void }) {
  const { t } = useTranslation('audit');
  const detailsId = `audit-details-${entry.id}`;
  return (
    <Fragment>
      <Table.Tr data-testid="audit-row">
        <Table.Td>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={open ? t('hideChanges') : t('showChanges')}
          >
            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(entry.created_at)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{entry.actor_name ?? t('system')}</Text>
        </Table.Td>
        <Table.Td>
          {/* Known actions and targets read as words; one the console does not know yet shows its id. */}
          <Badge variant="light" color={actionColor(entry.action)} style={{ textTransform: 'none' }}>
            {t(`actions.${entry.action.replace(/\./g, '_')}`, { defaultValue: entry.action })}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{t(`targets.${entry.target_type}`, { defaultValue: entry.target_type })}</Text>
          {entry.target_id && (
            <Text size="xs" c="dimmed" ff="monospace">
              {entry.target_id}
            </Text>
          )}
        </Table.Td>
      </Table.Tr>
      <Table.Tr id={detailsId} hidden={!open}>
        <Table.Td colSpan={COLUMNS.length} bg="var(--mantine-color-default-hover)">
          {open && <AuditDiff entry={entry} />}
        </Table.Td>
      </Table.Tr>
    </Fragment>
  );
}
