import { useTranslation } from 'react-i18next';
import { i18next } from '../i18n';
import { providerFieldHelp, providerFieldLabel, providerFieldOptions } from '../i18n/providerFields';
import { NumberInput, PasswordInput, Select, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { REDACTED_SECRET, type ProviderField } from '../api/specs';

export type SettingsValues = Record<string, unknown>;

/** The form's starting values: what is stored (secrets as ••••••), else each field's default. */
export function initialSettings(fields: ProviderField[], stored: SettingsValues | undefined): SettingsValues {
  const out: SettingsValues = {};
  for (const field of fields) {
    const value = stored?.[field.name];
    if (value !== undefined && value !== null) out[field.name] = value;
    else if (field.default !== undefined) out[field.name] = field.default;
    else out[field.name] = field.type === 'boolean' ? false : field.type === 'number' ? '' : '';
  }
  return out;
}

/** Settings to send: empty optional values are left out, numbers sent as numbers. */
export function settingsToSend(fields: ProviderField[], values: SettingsValues): SettingsValues {
  const out: SettingsValues = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === '' || value === undefined || value === null) continue;
    out[field.name] = field.type === 'number' && typeof value === 'string' ? Number(value) : value;
  }
  return out;
}

/** Client-side checks mirroring what the server enforces per field; the server stays authoritative. */
export function checkSettings(fields: ProviderField[], values: SettingsValues, providerId: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    const empty = value === '' || value === undefined || value === null;
    if (empty) {
      if (field.required && field.default === undefined) errors[field.name] = i18next.t('common:providerFields.required', { label: providerFieldLabel(providerId, field) });
      continue;
    }
    const keptSecret = value === REDACTED_SECRET && field.secret === true;
    if (field.type === 'url' && typeof value === 'string' && !keptSecret && !/^https?:\/\/\S+$/i.test(value)) errors[field.name] = i18next.t('common:providerFields.url');
    if (field.type === 'email' && typeof value === 'string' && !/^[^\s@]+@[^\s@]+$/.test(value)) errors[field.name] = i18next.t('common:validation.email');
    if (typeof value === 'string' && value !== REDACTED_SECRET && field.type !== 'number') {
      if (field.min !== undefined && value.length < field.min) errors[field.name] = i18next.t('common:providerFields.min', { count: field.min });
      if (field.max !== undefined && value.length > field.max) errors[field.name] = i18next.t('common:providerFields.max', { count: field.max });
    }
  }
  return errors;
}

interface ProviderSettingsFieldsProps {
  /** The provider type, whose field texts the `providerFields` namespace translates. */
  providerId: string;
  fields: ProviderField[];
  values: SettingsValues;
  onChange: (name: string, value: unknown) => void;
  errors: Record<string, string | undefined>;
  disabled?: boolean;
}

/**
 * A provider's settings form, drawn from the `fields` it declares (STYLE 7): a new provider needs
 * no console code. Secrets show •••••• when one is stored; leaving it keeps the stored secret.
 */
export function ProviderSettingsFields({ providerId, fields, values, onChange, errors, disabled = false }: ProviderSettingsFieldsProps) {
  // Re-renders the form when the language changes; the texts themselves come from providerFields.ts.
  useTranslation('providerFields');
  return (
    <Stack gap="sm">
      {fields.map((rawField) => {
        const field = { ...rawField, label: providerFieldLabel(providerId, rawField), help: providerFieldHelp(providerId, rawField) };
        const value = values[field.name];
        const common = {
          label: field.label,
          description: field.help,
          required: field.required === true && field.default === undefined,
          error: errors[field.name],
          disabled,
          'data-testid': `provider-field-${field.name}`,
        };
        switch (field.type) {
          case 'boolean':
            return (
              <Switch
                key={field.name}
                label={field.label}
                description={field.help}
                checked={value === true}
                onChange={(e) => onChange(field.name, e.currentTarget.checked)}
                error={errors[field.name]}
                disabled={disabled}
                data-testid={`provider-field-${field.name}`}
              />
            );
          case 'select':
            return (
              <Select
                key={field.name}
                {...common}
                data={providerFieldOptions(providerId, field)}
                value={typeof value === 'string' && value !== '' ? value : null}
                onChange={(v) => onChange(field.name, v ?? '')}
                allowDeselect={!common.required}
                clearable={!common.required}
                maw={320}
              />
            );
          case 'number':
            return (
              <NumberInput
                key={field.name}
                {...common}
                value={typeof value === 'number' || typeof value === 'string' ? value : ''}
                onChange={(v) => onChange(field.name, v)}
                min={field.min}
                max={field.max}
                allowDecimal={false}
                maw={220}
              />
            );
          case 'secret': {
            const stored = value === REDACTED_SECRET;
            return (
              <PasswordInput
                key={field.name}
                {...common}
                description={[field.help, stored ? i18next.t('common:providerFields.secretStored') : undefined].filter(Boolean).join(' ') || undefined}
                value={typeof value === 'string' ? value : ''}
                onChange={(e) => onChange(field.name, e.currentTarget.value)}
                onFocus={(e) => stored && e.currentTarget.select()}
                autoComplete="new-password"
                visibilityToggleButtonProps={{ 'aria-label': i18next.t('common:providerFields.show', { label: field.label }), hidden: stored }}
              />
            );
          }
          default: {
            const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
            if (field.secret && text === REDACTED_SECRET) {
              // A stored credential (webhook URL, header lines) is never sent back: type a new one to replace it.
              return (
                <PasswordInput
                  key={field.name}
                  {...common}
                  description={[field.help, i18next.t('common:providerFields.valueStored')].filter(Boolean).join(' ')}
                  value={text}
                  onChange={(e) => onChange(field.name, e.currentTarget.value)}
                  onFocus={(e) => e.currentTarget.select()}
                  autoComplete="new-password"
                  visibilityToggleButtonProps={{ 'aria-label': i18next.t('common:providerFields.show', { label: field.label }), hidden: true }}
                />
              );
            }
            if (field.multiline) {
              return <Textarea key={field.name} {...common} value={text} onChange={(e) => onChange(field.name, e.currentTarget.value)} autosize minRows={2} maxRows={8} maxLength={field.max} />;
            }
            return (
              <TextInput
                key={field.name}
                {...common}
                type={field.type === 'url' ? 'url' : field.type === 'email' ? 'email' : 'text'}
                value={text}
                onChange={(e) => onChange(field.name, e.currentTarget.value)}
                maxLength={field.max}
                autoComplete="off"
              />
            );
          }
        }
      })}
    </Stack>
  );
}
