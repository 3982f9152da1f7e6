import { ActionIcon, Alert, Button, Code, CopyButton, Group, Stack, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreateApiKey } from '../../api/me';
import type { CreatedApiKey } from '../../api/types';
import { showServerError } from '../../lib/formErrors';
import { ResponsiveModal } from '../../components/ResponsiveModal';

type ApiKeyValues = { name: string };

/** Names a new key, then shows it exactly once: the server keeps only a hash. */
export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const createKey = useCreateApiKey();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const form = useForm<ApiKeyValues>({
    initialValues: { name: '' },
    validate: { name: (value) => (value.trim() ? null : 'Name the key after where it is used, e.g. “Terraform”') },
  });

  const close = () => {
    setCreated(null);
    form.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    createKey.mutate(values.name.trim(), {
      onSuccess: setCreated,
      onError: (error) => showServerError(form, error),
    }),
  );

  return (
    <ResponsiveModal
      opened={opened}
      onClose={close}
      title={created ? 'Copy your new API key' : 'Create API key'}
      size="lg"
      // Once the key is on screen, a stray click outside must not throw it away unseen.
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            This is the only time the key is shown. Copy it now and store it somewhere safe.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="created-api-key">
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy key'}>
                  <ActionIcon variant="light" size="lg" color={copied ? 'teal' : undefined} onClick={copy} aria-label="Copy key">
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={close} data-testid="api-key-done">
              I have copied the key
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Create API key">
          <Stack>
            <TextInput label="Key name" placeholder="e.g. Terraform" required data-autofocus data-testid="api-key-name-input" {...form.getInputProps('name')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={createKey.isPending} data-testid="create-api-key-submit">
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </ResponsiveModal>
  );
}
