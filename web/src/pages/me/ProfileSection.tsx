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
  const form = useForm<ProfileValues>({
    initialValues: toValues(me),
    validate: { name: (value) => (value.trim() ? null : 'Enter your name') },
  });

  const submit = form.onSubmit((values) =>
    updateMe.mutate(
      { name: values.name.trim(), time_zone: values.time_zone, locale: values.locale },
      {
        onSuccess: (updated) => {
          form.resetDirty(toValues(updated));
          notifySuccess('Profile saved');
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <SectionCard title="Profile" description="How you appear to others, and the time zone your schedules are shown in." testId="profile-section">
      <form onSubmit={submit} noValidate aria-label="Profile">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Name" required autoComplete="name" data-testid="profile-name-input" {...form.getInputProps('name')} />
            <TextInput label="Email" value={me.email} readOnly variant="filled" description="Ask an admin to change your sign-in email." />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TimeZoneSelect allowDeselect={false} data-testid="profile-time-zone-select" {...form.getInputProps('time_zone')} />
            <Select label="Language and region" data={localeOptions(me.locale)} allowDeselect={false} {...form.getInputProps('locale')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" disabled={!form.isDirty()} loading={updateMe.isPending} data-testid="profile-submit">
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
