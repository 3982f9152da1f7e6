import { IconHistory } from '@tabler/icons-react';
import { Accordion, Badge, Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useWebhookDeliveries, type Webhook } from '../../api/webhooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { ResponsiveModal } from '../../components/ResponsiveModal';

const STATUS_COLOR: Record<string, string> = { delivered: 'teal', failed: 'red', retrying: 'yellow', pending: 'gray' };

/** A webhook's last deliveries, each with every attempt, the request sent and the response received. */
export function DeliveriesModal({ webhook, onClose }: { webhook: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation('webhooks');
  const deliveries = useWebhookDeliveries(webhook?.id ?? null);
  return (
    <ResponsiveModal opened={webhook !== null} onClose={onClose} title={t('deliveries.title', { name: webhook?.name ?? '' })} size="xl">
      {deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data?.length === 0 ? (
        <EmptyState icon={<IconHistory size={28} />} title={t('deliveries.emptyTitle')} description={t('deliveries.emptyDescription')} />
      ) : (
        <Accordion variant="separated" data-testid="webhook-deliveries">
          {(deliveries.data ?? []).map((d) => (
            <Accordion.Item key={d.id} value={d.id}>
              <Accordion.Control>
                <Group gap="sm">
                  <Badge color={STATUS_COLOR[d.status] ?? 'gray'}>{t(`deliveries.status.${d.status}`, { defaultValue: d.status })}</Badge>
                  <Text size="sm" fw={600}>
                    {d.event_type}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('deliveries.attempts', { count: d.attempt_count })} · <RelativeTime ms={d.created_at} />
                  </Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  {d.attempts.map((a) => (
                    <Text key={a.attempt} size="sm">
                      {t('deliveries.attempt', {
                        n: a.attempt,
                        result: a.response_status === null ? t('deliveries.noResponse') : `HTTP ${a.response_status}`,
                        ms: a.duration_ms,
                      })}
                      {a.error ? ` — ${a.error}` : ''}
                    </Text>
                  ))}
                  <Text size="xs" c="dimmed">
                    {t('deliveries.requestBody', { id: d.event_id })}
                  </Text>
                  <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
                    {JSON.stringify(JSON.parse(d.request_body) as unknown, null, 2)}
                  </Code>
                  {d.attempts.at(-1)?.response_body && (
                    <>
                      <Text size="xs" c="dimmed">
                        {t('deliveries.lastResponse')}
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
