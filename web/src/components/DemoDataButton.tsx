import { Button } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSeedDemo } from '../api/system';
import { isAdmin, useCurrentUser } from '../app/guards';
import { notifyError, notifySuccess } from '../lib/notify';

/**
 * "Explore with demo data" for an admin looking at an empty console: seeds two teams, four people,
 * schedules, three channels and a few days of incidents, paging nobody. Hidden from everyone else.
 */
export function DemoDataButton() {
  const { t } = useTranslation('onboarding');
  const me = useCurrentUser();
  const seed = useSeedDemo();
  if (!isAdmin(me)) return null;
  return (
    <Button
      variant="subtle"
      leftSection={<IconSparkles size={16} />}
      loading={seed.isPending}
      data-testid="seed-demo"
      onClick={() =>
        seed.mutate(undefined, {
          onSuccess: (result) => notifySuccess(t('demo.ready', { channels: result.channels, incidents: result.incidents })),
          onError: (error) => notifyError(error, t('demo.failed')),
        })
      }
    >
      {t('demo.button')}
    </Button>
  );
}
