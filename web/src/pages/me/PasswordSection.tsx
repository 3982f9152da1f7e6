import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('me');
  const form = useForm<PasswordValues>({
    initialValues: EMPTY,
    validate: {
      current_password: (value) => (value ? null : t('password.currentRequired')),
      new_password: passwordRule,
      confirm_password: (value, values) => (value === values.new_password ? null : t('password.mismatch')),
    },
  });

  const submit = form.onSubmit((values) =>
    changePassword.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          form.setValues(EMPTY);
          form.resetDirty(EMPTY);
          notifySuccess(t('password.changed'));
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <SectionCard title={t('password.title')} description={t('password.description', { count: PASSWORD_MIN_LENGTH })} testId="password-section">
      <form onSubmit={submit} noValidate aria-label={t('password.submit')}>
        <Stack>
          <PasswordInput label={t('password.current')} autoComplete="current-password" required {...form.getInputProps('current_password')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <PasswordInput label={t('password.new')} autoComplete="new-password" required {...form.getInputProps('new_password')} />
            <PasswordInput label={t('password.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm_password')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={changePassword.isPending} data-testid="password-submit">
              {t('password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
