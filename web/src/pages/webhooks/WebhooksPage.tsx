import { ActionIcon, Alert, Badge, Button, Code, Group, MultiSelect, Paper, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHistory, IconPlus, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('webhooks');
  const admin = isAdmin(useCurrentUser());
  const webhooks = useWebhooks();
  const [createOpened, create] = useDisclosure(false);
  const [history, setHistory] = useState<Webhook | null>(null);
  const addButton = admin && (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="add-webhook-button">
      {t('add')}
    </Button>
  );
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={addButton}
      />
      {!admin ? (
        <Alert color="gray">{t('adminOnly')}</Alert>
      ) : webhooks.isError ? (
        <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : webhooks.data?.length === 0 ? (
        <EmptyState
          icon={<IconWebhook size={28} />}
          title={t('emptyTitle')}
          description={t('emptyDescription')}
          action={addButton}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" data-testid="webhooks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('columns.name')}</Table.Th>
                  <Table.Th>{t('columns.url')}</Table.Th>
                  <Table.Th>{t('columns.events')}</Table.Th>
                  <Table.Th>{t('columns.enabled')}</Table.Th>
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
  const { t } = useTranslation('webhooks');
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
          {webhook.channel_ids === null ? t('allChannels') : t('channelCount', { count: webhook.channel_ids.length })}
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
              {e === '*' ? t('allEventsBadge') : e}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Switch
          checked={webhook.enabled}
          aria-label={webhook.enabled ? t('disable', { name: webhook.name }) : t('enable', { name: webhook.name })}
          onChange={() => update.mutate({ id: webhook.id, body: { enabled: !webhook.enabled } }, { onError: (e) => notifyError(e) })}
        />
      </Table.Td>
      <Table.Td w={130}>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('testTip')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              loading={test.isPending}
              aria-label={t('test', { name: webhook.name })}
              data-testid="webhook-test"
              onClick={() =>
                test.mutate(webhook.id, {
                  onSuccess: (r) =>
                    r.status === 'delivered'
                      ? notifySuccess(t('testDelivered', { status: r.response_status ?? '', ms: r.duration_ms }))
                      : notifyError(new Error(r.error ?? t('testFailedShort')), t('testFailed')),
                  onError: (e) => notifyError(e),
                })
              }
            >
              <IconSend size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('historyTip')}>
            <ActionIcon variant="subtle" color="gray" onClick={onHistory} aria-label={t('history', { name: webhook.name })} data-testid="webhook-history">
              <IconHistory size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('common:actions.delete')}>
            <ActionIcon variant="subtle" color="red" onClick={deleteDialog.open} aria-label={t('deleteNamed', { name: webhook.name })}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <ConfirmDialog
          opened={deleteOpened}
          onClose={deleteDialog.close}
          title={t('deleteTitle')}
          message={t('deleteMessage')}
          confirmLabel={t('delete')}
          loading={remove.isPending}
          onConfirm={() => remove.mutate(webhook.id, { onSuccess: deleteDialog.close, onError: (e) => notifyError(e) })}
        />
      </Table.Td>
    </Table.Tr>
  );
}

function CreateWebhookModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('webhooks');
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
    <ResponsiveModal opened={opened} onClose={close} title={secret ? t('created') : t('add')}>
      {secret ? (
        <Stack>
          <Text size="sm">{t('secretHelp')}</Text>
          <Code block>{t('secretFormula')}</Code>
          <CopyField value={secret} label={t('secret')} />
          <Button onClick={close}>{t('done')}</Button>
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
            <TextInput label={t('columns.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder={t('namePlaceholder')} />
            <TextInput label={t('columns.url')} required value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/tocsin-events" data-testid="webhook-url" />
            <MultiSelect label={t('columns.events')} data={['*', ...WEBHOOK_EVENTS].map((e) => ({ value: e, label: e === '*' ? t('allEvents') : e }))} value={events} onChange={setEvents} searchable />
            <MultiSelect
              label={t('channels')}
              description={t('channelsHelp')}
              data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
              value={channelIds}
              onChange={setChannelIds}
              searchable
            />
            {create.isError && <Alert color="red">{errorMessage(create.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="webhook-save">
                {t('common:actions.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </ResponsiveModal>
  );
}
