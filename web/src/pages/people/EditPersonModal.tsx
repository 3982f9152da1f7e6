import { Button, Group, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { Person, Role } from '../../api/types';
import { useUpdatePerson } from '../../api/users';
import { RoleSelect } from '../../components/RoleSelect';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { phoneRule } from '../../lib/validation';
import { ResponsiveModal } from '../../components/ResponsiveModal';

type EditPersonValues = { name: string; role: Role; active: boolean; phone: string; time_zone: string };

function toValues(person: Person): EditPersonValues {
  return { name: person.name, role: person.role, active: person.status === 'active', phone: person.phone ?? '', time_zone: person.time_zone };
}

interface EditPersonModalProps {
  person: Person | null;
  /** Admins may not lock themselves out, so their own role and status are fixed here. */
  isSelf: boolean;
  onClose: () => void;
}

/** Edits one person; closed when `person` is null. */
export function EditPersonModal({ person, isSelf, onClose }: EditPersonModalProps) {
  const { t } = useTranslation('people');
  if (!person) return null;
  return (
    <ResponsiveModal opened onClose={onClose} title={t('editNamed', { name: person.name })} size="lg">
      {/* Keyed so opening another person starts from that person's values. */}
      <EditPersonForm key={person.id} person={person} isSelf={isSelf} onClose={onClose} />
    </ResponsiveModal>
  );
}

function EditPersonForm({ person, isSelf, onClose }: EditPersonModalProps & { person: Person }) {
  const { t } = useTranslation('people');
  const updatePerson = useUpdatePerson();
  const form = useForm<EditPersonValues>({
    initialValues: toValues(person),
    validate: { name: (value) => (value.trim() ? null : t('errors.name')), phone: (value) => phoneRule(value.trim()) },
  });

  const submit = form.onSubmit((values) =>
    updatePerson.mutate(
      {
        id: person.id,
        name: values.name.trim(),
        phone: values.phone.trim() || null,
        time_zone: values.time_zone,
        ...(isSelf ? {} : { role: values.role, status: values.active ? 'active' : 'disabled' }),
      },
      {
        onSuccess: (updated) => {
          notifySuccess(t('saved', { name: updated.name }));
          onClose();
        },
        onError: (error) => showServerError(form, error, { status: 'active' }),
      },
    ),
  );

  return (
      <form onSubmit={submit} noValidate data-testid="edit-person-form" aria-label={t('editNamed', { name: person.name })}>
        <Stack>
          <TextInput label={t('columns.name')} required data-autofocus {...form.getInputProps('name')} />
          <RoleSelect
            disabled={isSelf}
            description={isSelf ? t('ownRole') : undefined}
            data-testid="edit-person-role"
            {...form.getInputProps('role')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('columns.phone')} placeholder="+14155550100" type="tel" {...form.getInputProps('phone')} />
            <TimeZoneSelect {...form.getInputProps('time_zone')} allowDeselect={false} />
          </SimpleGrid>
          <Switch
            label={t('active')}
            description={isSelf ? t('ownAccount') : t('activeHelp')}
            disabled={isSelf}
            data-testid="edit-person-active"
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={updatePerson.isPending} data-testid="edit-person-submit">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
  );
}
