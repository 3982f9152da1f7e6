import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useProviders } from '../api/notifications';
import { isAdmin, useCurrentUser } from '../app/guards';

/**
 * Under "Send code": when no enabled provider can carry the code (email for an address, SMS for a phone),
 * says so and, for an administrator, links to where one is added, instead of sending into the void.
 * Other people cannot list providers; the personal center's checks tell them to ask an administrator.
 */
export function DeliveryProviderHint({ method }: { method: 'email' | 'sms' }) {
  const { t } = useTranslation('onboarding');
  const me = useCurrentUser();
  const admin = isAdmin(me);
  const providers = useProviders();
  if (!admin || !providers.data) return null;
  if (providers.data.some((p) => p.enabled && p.methods.includes(method))) return null;
  return (
    <Text size="xs" c="dimmed" data-testid={`no-${method}-provider`}>
      {t('providers.noneForCode')}{' '}
      <Anchor component={Link} to="/settings/providers" size="xs">
        {t('providers.addOne')}
      </Anchor>
    </Text>
  );
}
