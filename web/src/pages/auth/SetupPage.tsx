import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { useCreateFirstAdmin } from '../../api/session';
import { HOME_PATH } from '../../app/guards';
import { showServerError } from '../../lib/formErrors';
import { PASSWORD_MIN_LENGTH, emailRule, passwordRule } from '../../lib/validation';
import { AuthCard } from './AuthCard';
import { LanguagePicker } from '../../components/LanguagePicker';
import { formattingLocale } from '../../i18n';

type SetupValues = {
  name: string;
  email: string;
  password: string;
  confirm_password: string;
};

/** Creates the first administrator of a fresh instance and signs them in. */
export function SetupPage() {
  const navigate = useNavigate();
  const createAdmin = useCreateFirstAdmin();
  const form = useForm<SetupValues>({
    initialValues: { name: '', email: '', password: '', confirm_password: '' },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter your name'),
      email: emailRule,
      password: passwordRule,
      confirm_password: (value, values) => (value === values.password ? null : 'Passwords do not match'),
    },
  });

  const submit = form.onSubmit((values) =>
    createAdmin.mutate(
      { name: values.name.trim(), email: values.email.trim(), password: values.password, locale: formattingLocale() },
      {
        onSuccess: () => void navigate(HOME_PATH, { replace: true }),
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <AuthCard title="Welcome to Tocsin" subtitle="Create the first administrator account. You can invite your team right after.">
      <form onSubmit={submit} noValidate data-testid="setup-form" aria-label="Create administrator">
        <Stack>
          <LanguagePicker />
          <TextInput label="Name" autoComplete="name" required data-autofocus autoFocus data-testid="setup-name" {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="email" required data-testid="setup-email" {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase is easiest to remember.`}
            autoComplete="new-password"
            required
            data-testid="setup-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            required
            data-testid="setup-confirm-password"
            {...form.getInputProps('confirm_password')}
          />
          <Button type="submit" fullWidth mt="xs" loading={createAdmin.isPending} data-testid="setup-submit">
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
