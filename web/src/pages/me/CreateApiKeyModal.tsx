import { ActionIcon, Alert, Button, Code, CopyButton, Group, SegmentedControl, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreateApiKey } from '../../api/me';
import type { CreatedApiKey } from '../../api/types';
import { showServerError } from '../../lib/formErrors';
import { ResponsiveModal } from '../../components/ResponsiveModal';

type ApiKeyValues = { name: string; scope: 'full' | 'read'; expiresInDays: string };

const DAY_MS = 86_400_000;
const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];

/** Names a new key, then shows it exactly once: the server keeps only a hash. */
export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const createKey = useCreateApiKey();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const form = useForm<ApiKeyValues>({
    initialValues: { name: '', scope: 'full', expiresInDays: 'never' },
    validate: { name: (value) => (value.trim() ? null : 'Name the key after where it is used, e.g. “Terraform”') },
  });

  const close = () => {
    setCreated(null);
    form.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    createKey.mutate(
      { name: values.name.trim(), scope: values.scope, expires_at: values.expiresInDays === 'never' ? null : Date.now() + Number(values.expiresInDays) * DAY_MS },
      {
        onSuccess: setCreated,
        onError: (error) => showServerError(form, error),
      },
    ),
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
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Access
              </Text>
              <SegmentedControl
                data={[
                  { value: 'full', label: 'Everything I may do' },
                  { value: 'read', label: 'Read only' },
                ]}
                data-testid="api-key-scope"
                {...form.getInputProps('scope')}
              />
            </Stack>
            <Select label="Expires" data={EXPIRY_CHOICES} allowDeselect={false} data-testid="api-key-expiry" {...form.getInputProps('expiresInDays')} />
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
