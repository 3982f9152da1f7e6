import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('auth');
  const form = useForm<SetupValues>({
    initialValues: { name: '', email: '', password: '', confirm_password: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('setup.nameRequired')),
      email: emailRule,
      password: passwordRule,
      confirm_password: (value, values) => (value === values.password ? null : t('setup.passwordsDiffer')),
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
    <AuthCard title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <form onSubmit={submit} noValidate data-testid="setup-form" aria-label={t('setup.submit')}>
        <Stack>
          <LanguagePicker />
          <TextInput label={t('name')} autoComplete="name" required data-autofocus autoFocus data-testid="setup-name" {...form.getInputProps('name')} />
          <TextInput label={t('email')} type="email" autoComplete="email" required data-testid="setup-email" {...form.getInputProps('email')} />
          <PasswordInput
            label={t('password')}
            description={t('setup.passwordHint', { count: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            required
            data-testid="setup-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('setup.confirmPassword')}
            autoComplete="new-password"
            required
            data-testid="setup-confirm-password"
            {...form.getInputProps('confirm_password')}
          />
          <Button type="submit" fullWidth mt="xs" loading={createAdmin.isPending} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
