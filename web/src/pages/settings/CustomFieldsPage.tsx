import { ActionIcon, Button, Group, Paper, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { IconForms, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateCustomField, useCustomFields, useDeleteCustomField } from '../../api/incidents';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { TableSkeleton } from '../../components/TableSkeleton';
import { notifyError, notifySuccess } from '../../lib/notify';

/** Field kinds, labelled by `settings:customFields.kinds.*`. */
const KINDS = ['text', 'select', 'multi_select', 'checkbox'];

/** `/settings/custom-fields`: incident fields admins define; responders fill them in and the incident list filters by them. */
export function CustomFieldsPage() {
  const { t } = useTranslation('settings');
  const admin = isAdmin(useCurrentUser());
  const fields = useCustomFields();
  const remove = useDeleteCustomField();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title={t('customFields.title')}
        description={t('customFields.description')}
        actions={
          admin && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="add-custom-field">
              {t('customFields.add')}
            </Button>
          )
        }
      />
      {fields.isError ? (
        <ErrorState error={fields.error} onRetry={() => void fields.refetch()} />
      ) : fields.data?.length === 0 ? (
        <EmptyState icon={<IconForms size={28} />} title={t('customFields.emptyTitle')} description={t('customFields.emptyDescription')} />
      ) : (
        <Paper withBorder radius="md">
          <Table data-testid="custom-fields-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customFields.label')}</Table.Th>
                <Table.Th>{t('customFields.name')}</Table.Th>
                <Table.Th>{t('customFields.kind')}</Table.Th>
                <Table.Th>{t('customFields.choices')}</Table.Th>
                {admin && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            {fields.isPending ? (
              <TableSkeleton columns={admin ? 5 : 4} rows={2} />
            ) : (
              <Table.Tbody>
                {fields.data.map((field) => (
                  <Table.Tr key={field.id}>
                    <Table.Td>{field.label}</Table.Td>
                    <Table.Td ff="monospace">{field.name}</Table.Td>
                    <Table.Td>{KINDS.includes(field.kind) ? t(`customFields.kinds.${field.kind}`) : field.kind}</Table.Td>
                    <Table.Td>{field.options.join(', ') || '—'}</Table.Td>
                    {admin && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('customFields.deleteNamed', { name: field.label })}
                          onClick={() => remove.mutate(field.id, { onSuccess: () => notifySuccess(t('customFields.deleted', { name: field.label })), onError: (error) => notifyError(error) })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            )}
          </Table>
        </Paper>
      )}
      {adding && <AddFieldDialog onClose={() => setAdding(false)} />}
    </>
  );
}

function AddFieldDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('settings');
  const create = useCreateCustomField();
  const [label, setLabel] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState('text');
  const [options, setOptions] = useState<string[]>([]);
  const suggested = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'f_$1').slice(0, 40);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { label, name: name || suggested, kind, ...(kind === 'select' || kind === 'multi_select' ? { options } : {}) },
      {
        onSuccess: (field) => {
          notifySuccess(t('customFields.added', { name: field.label }));
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{t('customFields.addTitle')}</Title>}>
      <form onSubmit={submit} aria-label={t('customFields.addTitle')} data-testid="custom-field-form">
        <Stack>
          <TextInput label={t('customFields.label')} required value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-autofocus data-testid="custom-field-label" />
          <TextInput label={t('customFields.name')} description={t('customFields.nameHelp')} placeholder={suggested} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select label={t('customFields.kind')} data={KINDS.map((value) => ({ value, label: t(`customFields.kinds.${value}`) }))} value={kind} onChange={(v) => v && setKind(v)} allowDeselect={false} data-testid="custom-field-kind" />
          {(kind === 'select' || kind === 'multi_select') && <TagsInput label={t('customFields.choices')} description={t('customFields.choicesHelp')} value={options} onChange={setOptions} data-testid="custom-field-options" />}
          <Text size="xs" c="dimmed">
            {t('customFields.kindFixed')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!label.trim()} data-testid="custom-field-submit">
              {t('customFields.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
