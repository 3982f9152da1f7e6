import { formatDate } from '../../lib/time';
import { useTranslation } from 'react-i18next';
import { ActionIcon, Alert, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { MAX_API_KEYS, useApiKeys, useRevokeApiKey } from '../../api/me';
import type { ApiKey } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { notifyError, notifySuccess } from '../../lib/notify';
import { CreateApiKeyModal } from './CreateApiKeyModal';
import { SectionCard } from './SectionCard';

const COLUMNS = ['name', 'key', 'created', 'lastUsed', ''];

/** Personal API keys: they act with your rights, so each is shown once and can be revoked. */
export function ApiKeysSection() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [createOpened, createModal] = useDisclosure(false);
  const [keyToRevoke, setKeyToRevoke] = useState<ApiKey | null>(null);
  const atLimit = (keys.data?.length ?? 0) >= MAX_API_KEYS;
  const { t } = useTranslation('me');

  const confirmRevoke = () => {
    if (!keyToRevoke) return;
    revoke.mutate(keyToRevoke.id, {
      onSuccess: () => notifySuccess(t('apiKeys.revoked', { name: keyToRevoke.name })),
      onError: (error) => notifyError(error),
      onSettled: () => setKeyToRevoke(null),
    });
  };

  const createButton = (
    <Tooltip label={t('apiKeys.atLimitTooltip', { count: MAX_API_KEYS })} disabled={!atLimit}>
      <Button
        variant="light"
        leftSection={<IconPlus size={16} />}
        onClick={createModal.open}
        disabled={atLimit || keys.isPending}
        data-testid="create-api-key-button"
      >
        {t('apiKeys.create')}
      </Button>
    </Tooltip>
  );

  return (
    <SectionCard
      title={t('apiKeys.title')}
      description={
        <>
          {t('apiKeys.descriptionBefore')}
          <code>Authorization: Bearer &lt;key&gt;</code>
          {t('apiKeys.descriptionAfter', { count: MAX_API_KEYS })}
        </>
      }
      testId="api-keys-section"
    >
      <Stack gap="md">
        <Group justify="flex-end">{createButton}</Group>
        {keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.isSuccess && keys.data.length === 0 ? (
          <EmptyState bare icon={<IconKey size={28} />} title={t('apiKeys.emptyTitle')} description={t('apiKeys.emptyDescription')} />
        ) : (
          <Table.ScrollContainer minWidth={560} type="native">
            <Table data-testid="api-keys-table">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((column, index) => (
                    <Table.Th key={index}>{column ? t(`apiKeys.columns.${column}`) : ''}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              {keys.isPending ? (
                <TableSkeleton columns={COLUMNS.length} rows={2} />
              ) : (
                <Table.Tbody>
                  {keys.data.map((key) => (
                    <Table.Tr key={key.id} data-testid="api-key-row">
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {key.name}
                        </Text>
                        {(key.scope === 'read' || key.expires_at !== null) && (
                          <Text size="xs" c="dimmed">
                            {[key.scope === 'read' ? t('apiKeys.readOnly') : null, key.expires_at !== null ? t('apiKeys.expires', { date: formatDate(key.expires_at) }) : null]
                              .filter(Boolean)
                              .join(' · ')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {key.prefix}…
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <RelativeTime ms={key.created_at} />
                      </Table.Td>
                      <Table.Td>
                        {key.last_used_at ? (
                          <RelativeTime ms={key.last_used_at} />
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('apiKeys.never')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td w={60}>
                        <Tooltip label={t('apiKeys.revokeNamed', { name: key.name })}>
                          <ActionIcon variant="subtle" color="red" aria-label={t('apiKeys.revokeNamed', { name: key.name })} onClick={() => setKeyToRevoke(key)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              )}
            </Table>
          </Table.ScrollContainer>
        )}
        {atLimit && (
          <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
            {t('apiKeys.atLimit', { count: MAX_API_KEYS })}
          </Alert>
        )}
      </Stack>
      <CreateApiKeyModal opened={createOpened} onClose={createModal.close} />
      <ConfirmDialog
        opened={keyToRevoke !== null}
        onClose={() => setKeyToRevoke(null)}
        title={t('apiKeys.revokeTitle')}
        message={t('apiKeys.revokeConfirm', { name: keyToRevoke?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
      />
    </SectionCard>
  );
}
