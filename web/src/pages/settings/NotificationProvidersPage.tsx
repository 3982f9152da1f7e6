import { ActionIcon, Badge, Button, Group, Paper, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMessage2Bolt, IconPencil, IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteProvider, useProviders, useProviderTypes, useUpdateProvider } from '../../api/notifications';
import { useTestProvider } from '../../api/testNotifications';
import type { ProviderConfig, ProviderType } from '../../api/types';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { methodIcon, methodLabel } from '../../lib/methods';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ProviderFormModal } from './ProviderFormModal';
import { providerTypeLabel } from './providerTypeLabel';

/** `/settings/providers`: the services Tocsin delivers through, and group chats rules can post to. */
export function NotificationProvidersPage() {
  const { t } = useTranslation('settings');
  const me = useCurrentUser();
  const admin = isAdmin(me);
  const providers = useProviders();
  const types = useProviderTypes();
  // Kept while the dialog closes, so its title does not change during the transition.
  const [editing, setEditing] = useState<ProviderConfig | 'new'>('new');
  const [formOpened, form] = useDisclosure(false);
  const openForm = (target: ProviderConfig | 'new') => {
    setEditing(target);
    form.open();
  };
  const typeOf = (id: string): ProviderType | undefined => types.data?.find((type) => type.id === id);
  const columns = [t('providers.columns.name'), t('providers.columns.type'), t('providers.columns.methods'), t('providers.columns.enabled'), t('providers.columns.added'), ...(admin ? [''] : [])];

  const addButton = admin && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => openForm('new')} disabled={!types.data?.length} data-testid="add-provider-button">
      {t('providers.add')}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('providers.title')}
        description={admin ? t('providers.descriptionAdmin') : t('providers.description')}
        actions={addButton}
      />
      {providers.isError ? (
        <ErrorState error={providers.error} onRetry={() => void providers.refetch()} />
      ) : providers.data?.length === 0 ? (
        <EmptyState
          icon={<IconMessage2Bolt size={28} />}
          title={t('providers.emptyTitle')}
          description={
            <>
              {t('providers.emptyDescription')}
              {types.data && types.data.length > 0 && (
                <Text span inherit display="block" mt={6}>
                  {t('providers.available', { types: types.data.map((type) => providerTypeLabel(type.id, type.label)).join(t('providers.listSeparator')) })}
                </Text>
              )}
            </>
          }
          action={addButton}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={680} type="native">
            <Table data-testid="providers-table" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((column, index) => (
                    <Table.Th key={index}>{column}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              {providers.isPending ? (
                <TableSkeleton columns={columns.length} rows={3} />
              ) : (
                <Table.Tbody>
                  {providers.data.map((p) => (
                    <ProviderRow key={p.id} provider={p} typeLabel={providerTypeLabel(p.provider, typeOf(p.provider)?.label ?? p.provider)} admin={admin} onEdit={() => openForm(p)} />
                  ))}
                </Table.Tbody>
              )}
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {admin && (
        <ProviderFormModal
          opened={formOpened}
          provider={editing === 'new' ? null : editing}
          types={types.data ?? []}
          onClose={form.close}
        />
      )}
    </>
  );
}

function ProviderRow({ provider, typeLabel, admin, onEdit }: { provider: ProviderConfig; typeLabel: string; admin: boolean; onEdit: () => void }) {
  const { t } = useTranslation('settings');
  const update = useUpdateProvider();
  const remove = useDeleteProvider();
  const test = useTestProvider();
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  return (
    <Table.Tr data-testid="provider-row" data-provider-id={provider.id}>
      <Table.Td>
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {provider.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{typeLabel}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {provider.methods.map((m) => {
            const Icon = methodIcon(m);
            return (
              <Badge key={m} variant="light" color="gray" leftSection={<Icon size={12} />} tt="none">
                {methodLabel(m)}
              </Badge>
            );
          })}
        </Group>
      </Table.Td>
      <Table.Td>
        {admin ? (
          <Switch
            checked={provider.enabled}
            disabled={update.isPending}
            aria-label={provider.enabled ? t('providers.disable', { name: provider.name }) : t('providers.enable', { name: provider.name })}
            onChange={() =>
              update.mutate(
                { id: provider.id, body: { enabled: !provider.enabled } },
                { onSuccess: (p) => notifySuccess(p.enabled ? t('providers.enabled', { name: p.name }) : t('providers.disabled', { name: p.name })), onError: (e) => notifyError(e) },
              )
            }
            data-testid="provider-enabled-switch"
          />
        ) : (
          <Badge variant="dot" color={provider.enabled ? 'teal' : 'gray'}>
            {provider.enabled ? t('providers.stateEnabled') : t('providers.stateDisabled')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <RelativeTime ms={provider.created_at} />
      </Table.Td>
      {admin && (
        <Table.Td w={120}>
          <Group gap={4} wrap="nowrap">
            <Tooltip label={t('providers.testTip')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                loading={test.isPending}
                onClick={() => test.mutate(provider.id, { onError: (e) => notifyError(e, t('providers.testFailed')) })}
                aria-label={t('providers.test', { name: provider.name })}
                data-testid="provider-test"
              >
                <IconSend size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('common:actions.edit')}>
              <ActionIcon variant="subtle" color="gray" onClick={onEdit} aria-label={t('providers.editNamed', { name: provider.name })} data-testid="provider-edit">
                <IconPencil size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('common:actions.delete')}>
              <ActionIcon variant="subtle" color="red" onClick={deleteDialog.open} aria-label={t('providers.deleteNamed', { name: provider.name })} data-testid="provider-delete">
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
          <ConfirmDialog
            opened={deleteOpened}
            onClose={deleteDialog.close}
            title={t('providers.deleteTitle')}
            message={
              <Stack gap={6} component="span">
                <span>{t('providers.deleteMessage', { name: provider.name })}</span>
                <span>{t('providers.cannotUndo')}</span>
              </Stack>
            }
            confirmLabel={t('providers.delete')}
            loading={remove.isPending}
            onConfirm={() =>
              remove.mutate(provider.id, {
                onSuccess: () => {
                  deleteDialog.close();
                  notifySuccess(t('providers.deleted', { name: provider.name }));
                },
                onError: (e) => {
                  deleteDialog.close();
                  notifyError(e);
                },
              })
            }
          />
        </Table.Td>
      )}
    </Table.Tr>
  );
}
