import { Badge, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useDeliveries } from '../../api/notifications';
import { asRecipient } from '../../api/specs';
import type { Delivery } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { methodIcon, methodLabel } from '../../lib/methods';
import { LoadMore } from '../../components/LoadMore';

const STATUS: Record<string, { color: string; label: string; hint: string }> = {
  pending: { color: 'blue', label: 'Pending', hint: 'Waiting to be sent, or retrying after a transient failure' },
  sent: { color: 'teal', label: 'Sent', hint: 'The provider accepted the message' },
  failed: { color: 'red', label: 'Failed', hint: 'Gave up; the next method was tried if there was one' },
  cancelled: { color: 'gray', label: 'Cancelled', hint: 'Not needed any more (e.g. acknowledged before it was sent)' },
};

const KINDS: Record<string, string> = {
  trigger: 'Triggered',
  repeat: 'Repeat',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  bundle: 'Bundle',
  test: 'Test',
};

export function DeliveryStatusBadge({ status }: { status: string }) {
  const info = STATUS[status] ?? { color: 'gray', label: status, hint: '' };
  return (
    <Tooltip label={info.hint} disabled={!info.hint} openDelay={300}>
      <Badge color={info.color} variant="light" data-testid="delivery-status">
        {info.label}
      </Badge>
    </Tooltip>
  );
}

const COLUMNS = ['When', 'Recipient', 'Method', 'Message', 'Status', 'Attempts', 'Error'];

/** Every message sent (or tried) for the incident: who, how, whether it arrived and why not. */
export function IncidentDeliveries({ incidentId }: { incidentId: string }) {
  const deliveries = useDeliveries(incidentId);
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.isSuccess && deliveries.items.length === 0) {
    return (
      <EmptyState
        icon={<IconSend size={28} />}
        title="Nothing sent yet"
        description="Notifications appear here as the escalation rule sends them. No rule matched, a delay window, or a snooze also leave this empty — the timeline says which."
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
            {rows.length} message{rows.length === 1 ? '' : 's'}
          </Text>
          {failed > 0 && (
            <Badge color="red" variant="light">
              {failed} failed
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
                  <Table.Th key={c}>{c}</Table.Th>
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
  return (
    <Table.Tr data-testid="delivery-row" data-status={delivery.status}>
      <Table.Td>
        <RelativeTime ms={delivery.created_at} />
        {delivery.sent_at && (
          <Text size="xs" c="dimmed">
            sent after {Math.max(0, Math.round((delivery.sent_at - delivery.created_at) / 1000))} s
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {recipient.name}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {recipient.kind === 'group_chat' ? 'Group chat' : recipient.address}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Icon size={16} />
          <Text size="sm">{methodLabel(delivery.method)}</Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{KINDS[delivery.kind] ?? delivery.kind}</Text>
      </Table.Td>
      <Table.Td>
        <DeliveryStatusBadge status={delivery.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{delivery.attempts}</Text>
      </Table.Td>
      <Table.Td maw={280}>
        {delivery.last_error ? (
          <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }} data-testid="delivery-error">
            {delivery.last_error}
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
