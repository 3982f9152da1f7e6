import { ActionIcon, Alert, Badge, Button, Code, Group, MultiSelect, Paper, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHistory, IconPlus, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannels } from '../../api/channels';
import { useCreateWebhook, useDeleteWebhook, useTestWebhook, useUpdateWebhook, useWebhooks, WEBHOOK_EVENTS, type Webhook } from '../../api/webhooks';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { TableSkeleton } from '../../components/TableSkeleton';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { DeliveriesModal } from './DeliveriesModal';

/** `/webhooks`: signed incident and alert events posted to your own URLs (SPEC §7). */
export function WebhooksPage() {
  const admin = isAdmin(useCurrentUser());
  const webhooks = useWebhooks();
  const [createOpened, create] = useDisclosure(false);
  const [history, setHistory] = useState<Webhook | null>(null);
  const addButton = admin && (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="add-webhook-button">
      Add webhook
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Post incident and alert events to your own systems. Each request is signed: X-Tocsin-Signature: sha256=<HMAC of the body with your secret>."
        actions={addButton}
      />
      {!admin ? (
        <Alert color="gray">Only administrators manage outbound webhooks.</Alert>
      ) : webhooks.isError ? (
        <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : webhooks.data?.length === 0 ? (
        <EmptyState
          icon={<IconWebhook size={28} />}
          title="No webhooks yet"
          description="Subscribe a URL to events such as incident.acknowledged or alert.created, for all channels or chosen ones. Failed deliveries are retried with backoff; 7 days of history are kept."
          action={addButton}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" data-testid="webhooks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>URL</Table.Th>
                  <Table.Th>Events</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              {webhooks.isPending ? (
                <TableSkeleton columns={5} rows={2} />
              ) : (
                <Table.Tbody>
                  {webhooks.data.map((w) => (
                    <WebhookRow key={w.id} webhook={w} onHistory={() => setHistory(w)} />
                  ))}
                </Table.Tbody>
              )}
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {admin && <CreateWebhookModal opened={createOpened} onClose={create.close} />}
      <DeliveriesModal webhook={history} onClose={() => setHistory(null)} />
    </>
  );
}

function WebhookRow({ webhook, onHistory }: { webhook: Webhook; onHistory: () => void }) {
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const test = useTestWebhook();
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  return (
    <Table.Tr data-testid="webhook-row">
      <Table.Td>
        <Text size="sm" fw={600}>
          {webhook.name}
        </Text>
        <Text size="xs" c="dimmed">
          {webhook.channel_ids === null ? 'All channels' : `${webhook.channel_ids.length} channel(s)`}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {webhook.url}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {webhook.events.map((e) => (
            <Badge key={e} variant="light" color="gray" tt="none">
              {e === '*' ? 'all events' : e}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Switch
          checked={webhook.enabled}
          aria-label={webhook.enabled ? `Disable ${webhook.name}` : `Enable ${webhook.name}`}
          onChange={() => update.mutate({ id: webhook.id, body: { enabled: !webhook.enabled } }, { onError: (e) => notifyError(e) })}
        />
      </Table.Td>
      <Table.Td w={130}>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Send a test event now">
            <ActionIcon
              variant="subtle"
              color="gray"
              loading={test.isPending}
              aria-label={`Send a test to ${webhook.name}`}
              data-testid="webhook-test"
              onClick={() =>
                test.mutate(webhook.id, {
                  onSuccess: (r) =>
                    r.status === 'delivered' ? notifySuccess(`Delivered: HTTP ${r.response_status ?? ''} in ${r.duration_ms} ms`) : notifyError(new Error(r.error ?? 'failed'), 'Test delivery failed'),
                  onError: (e) => notifyError(e),
                })
              }
            >
              <IconSend size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delivery history">
            <ActionIcon variant="subtle" color="gray" onClick={onHistory} aria-label={`Deliveries of ${webhook.name}`} data-testid="webhook-history">
              <IconHistory size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete">
            <ActionIcon variant="subtle" color="red" onClick={deleteDialog.open} aria-label={`Delete ${webhook.name}`}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <ConfirmDialog
          opened={deleteOpened}
          onClose={deleteDialog.close}
          title="Delete webhook?"
          message="Its delivery history goes with it. This cannot be undone."
          confirmLabel="Delete webhook"
          loading={remove.isPending}
          onConfirm={() => remove.mutate(webhook.id, { onSuccess: deleteDialog.close, onError: (e) => notifyError(e) })}
        />
      </Table.Td>
    </Table.Tr>
  );
}

function CreateWebhookModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateWebhook();
  const channels = useChannels();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setName('');
    setUrl('');
    setEvents(['*']);
    setChannelIds([]);
    setSecret(null);
    create.reset();
    onClose();
  };
  return (
    <ResponsiveModal opened={opened} onClose={close} title={secret ? 'Webhook created' : 'Add webhook'}>
      {secret ? (
        <Stack>
          <Text size="sm">Copy the signing secret now; it is not shown again. Verify each request by comparing X-Tocsin-Signature with:</Text>
          <Code block>sha256=HMAC_SHA256(secret, raw request body) as hex</Code>
          <CopyField value={secret} label="Signing secret" />
          <Button onClick={close}>Done</Button>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { url, events, ...(name.trim() && { name }), ...(channelIds.length > 0 && { channel_ids: channelIds }) },
              { onSuccess: (created) => setSecret(created.secret) },
            );
          }}
        >
          <Stack>
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="Ticketing system" />
            <TextInput label="URL" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/tocsin-events" data-testid="webhook-url" />
            <MultiSelect label="Events" data={['*', ...WEBHOOK_EVENTS].map((e) => ({ value: e, label: e === '*' ? 'All events' : e }))} value={events} onChange={setEvents} searchable />
            <MultiSelect
              label="Channels"
              description="Leave empty for every channel"
              data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
              value={channelIds}
              onChange={setChannelIds}
              searchable
            />
            {create.isError && <Alert color="red">{errorMessage(create.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="webhook-save">
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </ResponsiveModal>
  );
}
