import { Button, Group, PasswordInput, SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useChangePassword } from '../../api/me';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { PASSWORD_MIN_LENGTH, passwordRule } from '../../lib/validation';
import { SectionCard } from './SectionCard';

type PasswordValues = { current_password: string; new_password: string; confirm_password: string };

const EMPTY: PasswordValues = { current_password: '', new_password: '', confirm_password: '' };

export function PasswordSection() {
  const changePassword = useChangePassword();
  const form = useForm<PasswordValues>({
    initialValues: EMPTY,
    validate: {
      current_password: (value) => (value ? null : 'Enter your current password'),
      new_password: passwordRule,
      confirm_password: (value, values) => (value === values.new_password ? null : 'Passwords do not match'),
    },
  });

  const submit = form.onSubmit((values) =>
    changePassword.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          form.setValues(EMPTY);
          form.resetDirty(EMPTY);
          notifySuccess('Password changed');
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <SectionCard title="Password" description={`Use at least ${PASSWORD_MIN_LENGTH} characters.`} testId="password-section">
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Stack>
          <PasswordInput label="Current password" autoComplete="current-password" required {...form.getInputProps('current_password')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <PasswordInput label="New password" autoComplete="new-password" required {...form.getInputProps('new_password')} />
            <PasswordInput label="Confirm new password" autoComplete="new-password" required {...form.getInputProps('confirm_password')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={changePassword.isPending} data-testid="password-submit">
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
