import { consoleLanguageFor } from '../../i18n/languages';
import { useTranslation } from 'react-i18next';
import { Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useUpdateMe } from '../../api/me';
import type { Me } from '../../api/types';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { LOCALES } from '../../lib/timeZones';
import { SectionCard } from './SectionCard';

type ProfileValues = { name: string; time_zone: string; locale: string };

function toValues(me: Me): ProfileValues {
  return { name: me.name, time_zone: me.time_zone, locale: me.locale };
}

/** Keeps a locale the server has but the console does not list, instead of showing it blank. */
function localeOptions(current: string) {
  return LOCALES.some((locale) => locale.value === current) ? LOCALES : [...LOCALES, { value: current, label: current }];
}

export function ProfileSection({ me }: { me: Me }) {
  const updateMe = useUpdateMe();
  const { t } = useTranslation('me');
  const form = useForm<ProfileValues>({
    initialValues: toValues(me),
    validate: { name: (value) => (value.trim() ? null : t('profile.nameRequired')) },
  });

  const submit = form.onSubmit((values) =>
    updateMe.mutate(
      { name: values.name.trim(), time_zone: values.time_zone, locale: values.locale },
      {
        onSuccess: (updated) => {
          form.resetDirty(toValues(updated));
          // LocaleSync switches the console as the refreshed `me` arrives; the toast already speaks the new language.
          notifySuccess(t('profile.saved', { lng: consoleLanguageFor(updated.locale) }));
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <SectionCard title={t('profile.title')} description={t('profile.description')} testId="profile-section">
      <form onSubmit={submit} noValidate aria-label={t('profile.title')}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('profile.name')} required autoComplete="name" data-testid="profile-name-input" {...form.getInputProps('name')} />
            <TextInput label={t('profile.email')} value={me.email} readOnly variant="filled" description={t('profile.emailHint')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TimeZoneSelect allowDeselect={false} data-testid="profile-time-zone-select" {...form.getInputProps('time_zone')} />
            <Select
              label={t('profile.locale')}
              description={t('profile.localeHint')}
              data={localeOptions(me.locale)}
              allowDeselect={false}
              data-testid="profile-locale-select"
              {...form.getInputProps('locale')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" disabled={!form.isDirty()} loading={updateMe.isPending} data-testid="profile-submit">
              {t('profile.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
