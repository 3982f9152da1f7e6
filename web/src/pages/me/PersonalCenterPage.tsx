import { useTranslation } from 'react-i18next';
import { Badge, Group, Stack, Text } from '@mantine/core';
import { useCurrentUser } from '../../app/guards';
import { RoleBadge } from '../../components/Badges';
import { PageHeader } from '../../components/PageHeader';
import { ApiKeysSection } from './ApiKeysSection';
import { CalendarFeedSection } from './CalendarFeedSection';
import { ContactMethodsSection } from './ContactMethodsSection';
import { MyShiftsSection } from './MyShiftsSection';
import { NotificationPreferencesSection } from './NotificationPreferencesSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { PushDevicesSection } from './PushDevicesSection';
import { TelegramLinkSection } from './TelegramLinkSection';

/** Everything about the signed-in person: profile, on-call shifts, how to reach them, password, API keys. */
export function PersonalCenterPage() {
  const me = useCurrentUser();
  const { t } = useTranslation('me');
  return (
    <Stack gap="lg" maw={880}>
      <PageHeader
        title={t('title')}
        description={t('description')}
        badges={<RoleBadge role={me.role} />}
      />
      {me.teams.length > 0 && (
        <Group gap="xs" mt={-16}>
          <Text size="sm" c="dimmed">
            {t('teams')}
          </Text>
          {me.teams.map((team) => (
            <Badge key={team.id} variant="outline" color="gray">
              {team.name}
            </Badge>
          ))}
        </Group>
      )}
      <ProfileSection me={me} />
      <MyShiftsSection me={me} />
      <CalendarFeedSection />
      <ContactMethodsSection me={me} />
      <NotificationPreferencesSection me={me} />
      <PushDevicesSection />
      <TelegramLinkSection />
      <PasswordSection />
      <ApiKeysSection />
    </Stack>
  );
}
