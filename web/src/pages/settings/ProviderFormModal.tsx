import { Alert, Badge, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateProvider, useUpdateProvider } from '../../api/notifications';
import { asProviderFields } from '../../api/specs';
import type { ProviderConfig, ProviderType } from '../../api/types';
import { checkSettings, initialSettings, ProviderSettingsFields, settingsToSend, type SettingsValues } from '../../components/ProviderSettingsFields';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { fieldErrors } from '../../lib/formErrors';
import { methodLabel } from '../../lib/methods';
import { notifyError, notifySuccess } from '../../lib/notify';
import { providerTypeLabel } from './providerTypeLabel';

interface ProviderFormModalProps {
  opened: boolean;
  /** null: add a new one. */
  provider: ProviderConfig | null;
  types: ProviderType[];
  onClose: () => void;
}

export function ProviderFormModal({ opened, provider, types, onClose }: ProviderFormModalProps) {
  const { t } = useTranslation('settings');
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={provider ? t('providers.editNamed', { name: provider.name }) : t('providers.addTitle')} size="lg">
      {/* Mantine unmounts this after the close transition, so every opening starts fresh. */}
      <ProviderForm key={provider?.id ?? 'new'} provider={provider} types={types} onClose={onClose} />
    </ResponsiveModal>
  );
}

function ProviderForm({ provider, types, onClose }: Omit<ProviderFormModalProps, 'opened'>) {
  const { t } = useTranslation('settings');
  const create = useCreateProvider();
  const update = useUpdateProvider();
  const [typeId, setTypeId] = useState<string | null>(provider?.provider ?? types[0]?.id ?? null);
  const type = types.find((candidate) => candidate.id === typeId);
  const fields = asProviderFields(type?.fields);
  const [name, setName] = useState(provider?.name ?? '');
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const [values, setValues] = useState<SettingsValues>(() => initialSettings(fields, provider?.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pending = create.isPending || update.isPending;

  const changeType = (id: string | null) => {
    setTypeId(id);
    setValues(initialSettings(asProviderFields(types.find((candidate) => candidate.id === id)?.fields), undefined));
    setErrors({});
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('providers.errors.name');
    if (!type) local.provider = t('providers.errors.type');
    for (const [field, message] of Object.entries(checkSettings(fields, values, type?.id ?? ''))) local[`settings.${field}`] = message;
    setErrors(local);
    if (Object.keys(local).length > 0 || !type) return;
    const settings = settingsToSend(fields, values);
    const onError = (error: unknown) => {
      const found = fieldErrors(error);
      if (Object.keys(found).length > 0) setErrors(found);
      else notifyError(error);
    };
    if (provider) {
      update.mutate(
        { id: provider.id, body: { name: name.trim(), enabled, settings } },
        { onSuccess: (p) => { notifySuccess(t('providers.saved', { name: p.name })); onClose(); }, onError },
      );
    } else {
      create.mutate(
        { provider: type.id, name: name.trim(), enabled, settings },
        { onSuccess: (p) => { notifySuccess(t('providers.added', { name: p.name })); onClose(); }, onError },
      );
    }
  };

  const settingErrors = Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith('settings.')).map(([k, v]) => [k.slice('settings.'.length), v]));
  const otherErrors = Object.entries(errors).filter(([k]) => k !== 'name' && k !== 'provider' && !k.startsWith('settings.'));

  return (
    <form onSubmit={submit} noValidate aria-label={t('providers.formLabel')} data-testid="provider-form">
      <Stack gap="md">
        <Select
          label={t('providers.columns.type')}
          data={types.map((candidate) => ({ value: candidate.id, label: providerTypeLabel(candidate.id, candidate.label) }))}
          value={typeId}
          onChange={changeType}
          allowDeselect={false}
          disabled={provider !== null}
          error={errors.provider}
          description={provider ? t('providers.typeFixed') : undefined}
          data-testid="provider-type-select"
          maw={360}
        />
        {type && (
          <Group gap={6}>
            <Text size="xs" c="dimmed">
              {t('providers.delivers')}
            </Text>
            {type.methods.map((m) => (
              <Badge key={m} size="sm" variant="light" color="gray" tt="none">
                {methodLabel(m)}
              </Badge>
            ))}
          </Group>
        )}
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput
            label={t('providers.columns.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={100}
            style={{ flex: '1 1 240px' }}
            data-autofocus
            data-testid="provider-name"
          />
          <Switch label={t('providers.columns.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} mb={8} data-testid="provider-enabled" />
        </Group>
        {fields.length > 0 && (
          <ProviderSettingsFields providerId={type?.id ?? ''} fields={fields} values={values} onChange={(field, value) => {
              setValues((v) => ({ ...v, [field]: value }));
              setErrors(({ [`settings.${field}`]: _fixed, ...rest }) => rest);
            }} errors={settingErrors} disabled={pending} />
        )}
        {otherErrors.length > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('providers.notSaved')}>
            {otherErrors.map(([field, message]) => (
              <Text key={field} size="sm">
                {message}
              </Text>
            ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={pending} data-testid="provider-submit">
            {provider ? t('providers.save') : t('providers.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
