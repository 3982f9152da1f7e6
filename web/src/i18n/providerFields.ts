import type { ProviderField } from '../api/specs';
import { i18next } from './index';

/**
 * A provider's settings form is declared by the server in English (src/notify/providers/*: `fields`);
 * the console translates it from the `providerFields` namespace, keyed `<provider id>.<field>.label`,
 * `.help` and `.options.<value>`. A provider or field the console does not know yet (a newer server,
 * a plug-in) keeps the server's English rather than showing a raw key.
 */
const key = (providerId: string, fieldName: string, part: string) => `providerFields:${providerId}.${fieldName}.${part}`;

export function providerFieldLabel(providerId: string, field: Pick<ProviderField, 'name' | 'label'>): string {
  return i18next.t(key(providerId, field.name, 'label'), { defaultValue: field.label });
}

export function providerFieldHelp(providerId: string, field: Pick<ProviderField, 'name' | 'help'>): string | undefined {
  if (field.help === undefined) return undefined;
  return i18next.t(key(providerId, field.name, 'help'), { defaultValue: field.help });
}

/** A select field's choices: the stored value stays the server's, the label is translated. */
export function providerFieldOptions(providerId: string, field: Pick<ProviderField, 'name' | 'options'>): { value: string; label: string }[] {
  return (field.options ?? []).map((value) => ({ value, label: i18next.t(key(providerId, field.name, `options.${value}`), { defaultValue: value }) }));
}
