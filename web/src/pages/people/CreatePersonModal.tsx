import { Button, Group, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { CreatePersonBody, Role } from '../../api/types';
import { useCreatePerson } from '../../api/users';
import { RoleSelect } from '../../components/RoleSelect';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { browserTimeZone } from '../../lib/timeZones';
import { PASSWORD_MIN_LENGTH, emailRule, passwordRule, phoneRule } from '../../lib/validation';
import { ResponsiveModal } from '../../components/ResponsiveModal';

type PersonFormValues = {
  email: string;
  name: string;
  role: Role;
  password: string;
  phone: string;
  time_zone: string;
};

function initialValues(): PersonFormValues {
  return { email: '', name: '', role: 'responder', password: '', phone: '', time_zone: browserTimeZone() };
}

/** Admins add people; a person without a password can be paged but cannot sign in until one is set. */
export function CreatePersonModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('people');
  const createPerson = useCreatePerson();
  const form = useForm<PersonFormValues>({
    initialValues: initialValues(),
    validate: {
      email: emailRule,
      name: (value) => (value.trim() ? null : t('errors.name')),
      password: (value) => (value === '' ? null : passwordRule(value)),
      phone: (value) => phoneRule(value.trim()),
    },
  });

  const close = () => {
    form.setValues(initialValues());
    form.clearErrors();
    onClose();
  };

  const submit = form.onSubmit((values) => {
    const body: CreatePersonBody = {
      email: values.email.trim(),
      name: values.name.trim(),
      role: values.role,
      time_zone: values.time_zone,
      ...(values.password ? { password: values.password } : {}),
      ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
    };
    createPerson.mutate(body, {
      onSuccess: (person) => {
        notifySuccess(t('added', { name: person.name }));
        close();
      },
      onError: (error) => showServerError(form, error),
    });
  });

  return (
    <ResponsiveModal opened={opened} onClose={close} title={t('add')} size="lg">
      <form onSubmit={submit} noValidate data-testid="create-person-form" aria-label={t('add')}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('columns.name')} required data-autofocus data-testid="person-name-input" {...form.getInputProps('name')} />
            <TextInput label={t('email')} type="email" required data-testid="person-email-input" {...form.getInputProps('email')} />
          </SimpleGrid>
          <RoleSelect data-testid="person-role-select" {...form.getInputProps('role')} />
          <PasswordInput
            label={t('password')}
            description={t('passwordHelp', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            data-testid="person-password-input"
            {...form.getInputProps('password')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('columns.phone')}
              placeholder="+14155550100"
              description={t('phoneHelp')}
              type="tel"
              data-testid="person-phone-input"
              {...form.getInputProps('phone')}
            />
            <TimeZoneSelect description={t('timeZoneHelp')} {...form.getInputProps('time_zone')} allowDeselect={false} />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={createPerson.isPending} data-testid="create-person-submit">
              {t('add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
