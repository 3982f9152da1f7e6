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

const COLUMNS = ['Name', 'Key', 'Created', 'Last used', ''];

/** Personal API keys: they act with your rights, so each is shown once and can be revoked. */
export function ApiKeysSection() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [createOpened, createModal] = useDisclosure(false);
  const [keyToRevoke, setKeyToRevoke] = useState<ApiKey | null>(null);
  const atLimit = (keys.data?.length ?? 0) >= MAX_API_KEYS;

  const confirmRevoke = () => {
    if (!keyToRevoke) return;
    revoke.mutate(keyToRevoke.id, {
      onSuccess: () => notifySuccess(`API key “${keyToRevoke.name}” revoked`),
      onError: (error) => notifyError(error),
      onSettled: () => setKeyToRevoke(null),
    });
  };

  const createButton = (
    <Tooltip label={`You already have ${MAX_API_KEYS} keys; revoke one first.`} disabled={!atLimit}>
      <Button
        variant="light"
        leftSection={<IconPlus size={16} />}
        onClick={createModal.open}
        disabled={atLimit || keys.isPending}
        data-testid="create-api-key-button"
      >
        Create API key
      </Button>
    </Tooltip>
  );

  return (
    <SectionCard
      title="API keys"
      description={
        <>
          Use a key as <code>Authorization: Bearer &lt;key&gt;</code> to call the API with your rights. Up to {MAX_API_KEYS} keys.
        </>
      }
      testId="api-keys-section"
    >
      <Stack gap="md">
        <Group justify="flex-end">{createButton}</Group>
        {keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.isSuccess && keys.data.length === 0 ? (
          <EmptyState bare icon={<IconKey size={28} />} title="No API keys" description="Create one to script Tocsin or connect it to other tools." />
        ) : (
          <Table.ScrollContainer minWidth={560} type="native">
            <Table data-testid="api-keys-table">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((column, index) => (
                    <Table.Th key={index}>{column}</Table.Th>
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
                            {[key.scope === 'read' ? 'Read only' : null, key.expires_at !== null ? `Expires ${new Date(key.expires_at).toLocaleDateString()}` : null].filter(Boolean).join(' · ')}
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
                            Never
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td w={60}>
                        <Tooltip label={`Revoke ${key.name}`}>
                          <ActionIcon variant="subtle" color="red" aria-label={`Revoke ${key.name}`} onClick={() => setKeyToRevoke(key)}>
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
            You have reached the limit of {MAX_API_KEYS} keys. Revoke one you no longer use to create another.
          </Alert>
        )}
      </Stack>
      <CreateApiKeyModal opened={createOpened} onClose={createModal.close} />
      <ConfirmDialog
        opened={keyToRevoke !== null}
        onClose={() => setKeyToRevoke(null)}
        title="Revoke API key?"
        message={`Scripts using “${keyToRevoke?.name ?? ''}” will stop working immediately.`}
        confirmLabel="Revoke key"
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
      />
    </SectionCard>
  );
}
