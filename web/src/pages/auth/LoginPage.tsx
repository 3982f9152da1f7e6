import { useTranslation } from 'react-i18next';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from '../../api/session';
import { HOME_PATH } from '../../app/guards';
import { FullPageLoader } from '../../components/FullPageLoader';
import { errorMessage } from '../../lib/notify';
import { emailRule } from '../../lib/validation';
import { AuthCard } from './AuthCard';

/** Only same-site paths are followed after sign-in, so a crafted link cannot bounce users elsewhere. */
function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return HOME_PATH;
  return next;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const next = safeNextPath(params.get('next'));
  const { t } = useTranslation('auth');
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: emailRule,
      password: (value) => (value ? null : t('login.passwordRequired')),
    },
  });

  if (me.isPending) return <FullPageLoader />;
  if (me.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) =>
    login.mutate({ email: values.email.trim(), password: values.password }, { onSuccess: () => void navigate(next, { replace: true }) }),
  );

  return (
    <AuthCard title={t('login.title')} subtitle={t('login.subtitle')}>
      <form onSubmit={submit} noValidate data-testid="login-form" aria-label={t('login.title')}>
        <Stack>
          {login.isError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert" data-testid="login-error">
              {errorMessage(login.error)}
            </Alert>
          )}
          <TextInput label={t('email')} type="email" autoComplete="username" required autoFocus data-testid="login-email" {...form.getInputProps('email')} />
          <PasswordInput label={t('password')} autoComplete="current-password" required data-testid="login-password" {...form.getInputProps('password')} />
          <Button type="submit" fullWidth mt="xs" loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
