import { useTranslation } from 'react-i18next';
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
/** Expiry choices; labels are `me:apiKeys.expiry.<value>`. */
const EXPIRY_CHOICES = ['never', '30', '90', '365'];

/** Names a new key, then shows it exactly once: the server keeps only a hash. */
export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const createKey = useCreateApiKey();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const { t } = useTranslation('me');
  const form = useForm<ApiKeyValues>({
    initialValues: { name: '', scope: 'full', expiresInDays: 'never' },
    validate: { name: (value) => (value.trim() ? null : t('apiKeys.nameRequired')) },
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
      title={created ? t('apiKeys.copyTitle') : t('apiKeys.create')}
      size="lg"
      // Once the key is on screen, a stray click outside must not throw it away unseen.
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            {t('apiKeys.shownOnce')}
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="created-api-key">
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('common:actions.copied') : t('apiKeys.copyKey')}>
                  <ActionIcon variant="light" size="lg" color={copied ? 'teal' : undefined} onClick={copy} aria-label={t('apiKeys.copyKey')}>
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={close} data-testid="api-key-done">
              {t('apiKeys.copiedDone')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t('apiKeys.create')}>
          <Stack>
            <TextInput label={t('apiKeys.keyName')} placeholder={t('apiKeys.keyNamePlaceholder')} required data-autofocus data-testid="api-key-name-input" {...form.getInputProps('name')} />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('apiKeys.access')}
              </Text>
              <SegmentedControl
                data={[
                  { value: 'full', label: t('apiKeys.full') },
                  { value: 'read', label: t('apiKeys.readOnly') },
                ]}
                data-testid="api-key-scope"
                {...form.getInputProps('scope')}
              />
            </Stack>
            <Select label={t('apiKeys.expiresLabel')} data={EXPIRY_CHOICES.map((value) => ({ value, label: t(`apiKeys.expiry.${value}`) }))} allowDeselect={false} data-testid="api-key-expiry" {...form.getInputProps('expiresInDays')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={createKey.isPending} data-testid="create-api-key-submit">
                {t('apiKeys.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </ResponsiveModal>
  );
}
