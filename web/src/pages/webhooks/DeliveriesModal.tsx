import { IconHistory } from '@tabler/icons-react';
import { Accordion, Badge, Code, Group, Stack, Text } from '@mantine/core';
import { useWebhookDeliveries, type Webhook } from '../../api/webhooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { ResponsiveModal } from '../../components/ResponsiveModal';

const STATUS_COLOR: Record<string, string> = { delivered: 'teal', failed: 'red', retrying: 'yellow', pending: 'gray' };

/** A webhook's last deliveries, each with every attempt, the request sent and the response received. */
export function DeliveriesModal({ webhook, onClose }: { webhook: Webhook | null; onClose: () => void }) {
  const deliveries = useWebhookDeliveries(webhook?.id ?? null);
  return (
    <ResponsiveModal opened={webhook !== null} onClose={onClose} title={`Deliveries · ${webhook?.name ?? ''}`} size="xl">
      {deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data?.length === 0 ? (
        <EmptyState icon={<IconHistory size={28} />} title="Nothing delivered yet" description="Deliveries of the last 7 days appear here, with every attempt." />
      ) : (
        <Accordion variant="separated" data-testid="webhook-deliveries">
          {(deliveries.data ?? []).map((d) => (
            <Accordion.Item key={d.id} value={d.id}>
              <Accordion.Control>
                <Group gap="sm">
                  <Badge color={STATUS_COLOR[d.status] ?? 'gray'}>{d.status}</Badge>
                  <Text size="sm" fw={600}>
                    {d.event_type}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.attempt_count} attempt(s) · <RelativeTime ms={d.created_at} />
                  </Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  {d.attempts.map((a) => (
                    <Text key={a.attempt} size="sm">
                      #{a.attempt}: {a.response_status === null ? 'no response' : `HTTP ${a.response_status}`} in {a.duration_ms} ms{a.error ? ` — ${a.error}` : ''}
                    </Text>
                  ))}
                  <Text size="xs" c="dimmed">
                    Request body (event {d.event_id})
                  </Text>
                  <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
                    {JSON.stringify(JSON.parse(d.request_body) as unknown, null, 2)}
                  </Code>
                  {d.attempts.at(-1)?.response_body && (
                    <>
                      <Text size="xs" c="dimmed">
                        Last response
                      </Text>
                      <Code block>{d.attempts.at(-1)?.response_body}</Code>
                    </>
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </ResponsiveModal>
  );
}
