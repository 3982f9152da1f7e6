import { useTranslation } from 'react-i18next';
import { Badge, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useDeliveries } from '../../api/notifications';
import { asRecipient } from '../../api/specs';
import type { Delivery } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { formatDateTime } from '../../lib/time';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { methodIcon, methodLabel } from '../../lib/methods';
import { LoadMore } from '../../components/LoadMore';

/** Colours per status; labels and hints are `incidents:deliveries.status.<status>` / `.hint.<status>`. */
const STATUS_COLORS: Record<string, string> = { pending: 'blue', sent: 'teal', failed: 'red', cancelled: 'gray' };

/** Message kinds with a label in `incidents:deliveries.kinds.*`. */
const KINDS = new Set(['trigger', 'repeat', 'escalated', 'acknowledged', 'resolved', 'bundle', 'test']);

export function DeliveryStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('incidents');
  const color = STATUS_COLORS[status];
  const info = color
    ? { color, label: t(`deliveries.status.${status}`), hint: t(`deliveries.hint.${status}`) }
    : { color: 'gray', label: status, hint: '' };
  return (
    <Tooltip label={info.hint} disabled={!info.hint} openDelay={300}>
      <Badge color={info.color} variant="light" data-testid="delivery-status">
        {info.label}
      </Badge>
    </Tooltip>
  );
}

/**
 * Tocsin's own delivery errors are fixed English sentences (src/notify/delivery.ts) and are shown in the
 * person's language; a vendor's error (Twilio's, SMTP's) is quoted as the vendor wrote it.
 */
const OWN_ERRORS: Record<string, string> = { 'provider no longer exists': 'providerGone', failed: 'failed' };
function deliveryError(error: string, t: (key: string) => string): string {
  const key = OWN_ERRORS[error];
  return key ? t(`server:deliveries.${key}`) : error;
}

const COLUMNS = ['when', 'recipient', 'method', 'message', 'status', 'attempts', 'error'];

/** Every message sent (or tried) for the incident: who, how, whether it arrived and why not. */
export function IncidentDeliveries({ incidentId }: { incidentId: string }) {
  const deliveries = useDeliveries(incidentId);
  const { t } = useTranslation('incidents');
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.isSuccess && deliveries.items.length === 0) {
    return (
      <EmptyState
        icon={<IconSend size={28} />}
        title={t('deliveries.emptyTitle')}
        description={t('deliveries.emptyDescription')}
      />
    );
  }
  const rows = [...deliveries.items].sort((a, b) => b.created_at - a.created_at);
  const failed = rows.filter((d) => d.status === 'failed').length;
  return (
    <Stack gap="sm">
      {deliveries.data && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('deliveries.count', { count: rows.length })}
          </Text>
          {failed > 0 && (
            <Badge color="red" variant="light">
              {t('deliveries.failedCount', { count: failed })}
            </Badge>
          )}
        </Group>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820} type="native">
          <Table verticalSpacing="sm" data-testid="delivery-log">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((c) => (
                  <Table.Th key={c}>{t(`deliveries.columns.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {deliveries.isPending ? <TableSkeleton columns={COLUMNS.length} rows={3} /> : <Table.Tbody>{rows.map((d) => <DeliveryRow key={d.id} delivery={d} />)}</Table.Tbody>}
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore hasMore={deliveries.hasNextPage} loading={deliveries.isFetchingNextPage} onLoadMore={() => void deliveries.fetchNextPage()} />
    </Stack>
  );
}

function DeliveryRow({ delivery }: { delivery: Delivery }) {
  const recipient = asRecipient(delivery.recipient);
  const Icon = methodIcon(delivery.method);
  const { t } = useTranslation('incidents');
  return (
    <Table.Tr data-testid="delivery-row" data-status={delivery.status}>
      <Table.Td>
        <RelativeTime ms={delivery.created_at} />
        {delivery.sent_at && (
          <Text size="xs" c="dimmed">
            {t('deliveries.sentAfter', { seconds: Math.max(0, Math.round((delivery.sent_at - delivery.created_at) / 1000)) })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {recipient.name}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {recipient.kind === 'group_chat' ? t('deliveries.groupChat') : recipient.address}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Icon size={16} />
          <Text size="sm">{methodLabel(delivery.method)}</Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{KINDS.has(delivery.kind) ? t(`deliveries.kinds.${delivery.kind}`) : delivery.kind}</Text>
      </Table.Td>
      <Table.Td>
        <DeliveryStatusBadge status={delivery.status} />
        {delivery.waiting_reason && delivery.next_attempt_at !== null && (
          // Why a page waits (the one-per-minute bundle window); the server's own sentence on hover.
          <Text size="xs" c="dimmed" title={delivery.waiting_reason} data-testid="delivery-waiting">
            {t('deliveries.waitingBundle', { time: formatDateTime(delivery.next_attempt_at) })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{delivery.attempts}</Text>
      </Table.Td>
      <Table.Td maw={280}>
        {delivery.last_error ? (
          <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }} data-testid="delivery-error">
            {deliveryError(delivery.last_error, t)}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
