import { ActionIcon, Button, Group, Paper, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { IconForms, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useCreateCustomField, useCustomFields, useDeleteCustomField } from '../../api/incidents';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { TableSkeleton } from '../../components/TableSkeleton';
import { notifyError, notifySuccess } from '../../lib/notify';

const KINDS = [
  { value: 'text', label: 'Text' },
  { value: 'select', label: 'Select (one choice)' },
  { value: 'multi_select', label: 'Multi-select' },
  { value: 'checkbox', label: 'Checkbox' },
];

/** `/settings/custom-fields`: incident fields admins define; responders fill them in and the incident list filters by them. */
export function CustomFieldsPage() {
  const admin = isAdmin(useCurrentUser());
  const fields = useCustomFields();
  const remove = useDeleteCustomField();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title="Custom fields"
        description="Extra fields on every incident (text, select, multi-select, checkbox). They show on the incident and in the list, which can filter by them."
        actions={
          admin && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="add-custom-field">
              Add field
            </Button>
          )
        }
      />
      {fields.isError ? (
        <ErrorState error={fields.error} onRetry={() => void fields.refetch()} />
      ) : fields.data?.length === 0 ? (
        <EmptyState icon={<IconForms size={28} />} title="No custom fields yet" description="Add one, such as “Customer facing” (checkbox) or “Region” (multi-select)." />
      ) : (
        <Paper withBorder radius="md">
          <Table data-testid="custom-fields-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Choices</Table.Th>
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
                    <Table.Td>{KINDS.find((k) => k.value === field.kind)?.label ?? field.kind}</Table.Td>
                    <Table.Td>{field.options.join(', ') || '—'}</Table.Td>
                    {admin && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${field.label}`}
                          onClick={() => remove.mutate(field.id, { onSuccess: () => notifySuccess(`${field.label} deleted`), onError: (error) => notifyError(error) })}
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
          notifySuccess(`${field.label} added`);
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>Add custom field</Title>}>
      <form onSubmit={submit} aria-label="Add custom field" data-testid="custom-field-form">
        <Stack>
          <TextInput label="Label" required value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-autofocus data-testid="custom-field-label" />
          <TextInput label="Name" description="Used by the API and list filters" placeholder={suggested} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select label="Kind" data={KINDS} value={kind} onChange={(v) => v && setKind(v)} allowDeselect={false} data-testid="custom-field-kind" />
          {(kind === 'select' || kind === 'multi_select') && <TagsInput label="Choices" description="Press Enter after each" value={options} onChange={setOptions} data-testid="custom-field-options" />}
          <Text size="xs" c="dimmed">
            The kind cannot change later; choices can.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!label.trim()} data-testid="custom-field-submit">
              Add field
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
