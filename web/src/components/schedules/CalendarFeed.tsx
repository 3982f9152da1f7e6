import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCalendarPlus, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FeedUrls } from '../../api/schedules';
import { ConfirmDialog } from '../ConfirmDialog';
import { CopyField } from '../CopyField';
import { ErrorState } from '../ErrorState';

interface CalendarFeedProps {
  urls: FeedUrls | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** Regenerates; calls `done` when the request settles so the dialog can close. */
  onRegenerate: (done: () => void) => void;
  regenerating: boolean;
  /**
   * Whose feed this is, for the confirmation: "mine" (the personal center passes "Your", kept so its
   * page needs no change) or "schedule" (everyone subscribed to a schedule).
   */
  whose: string;
  testId?: string;
}

/**
 * A secret iCalendar feed URL: copy it, subscribe with one click (webcal://), or replace it when it
 * leaked. Google Calendar, Outlook and Apple Calendar all accept it.
 */
export function CalendarFeed({ urls, loading, error, onRetry, onRegenerate, regenerating, whose, testId = 'calendar-feed' }: CalendarFeedProps) {
  const { t } = useTranslation('schedules');
  const [confirmOpened, confirm] = useDisclosure(false);
  if (loading) {
    return (
      <Stack gap="xs" aria-busy="true">
        <Skeleton height={12} width={120} />
        <Skeleton height={36} />
      </Stack>
    );
  }
  if (error || !urls) return <ErrorState error={error} onRetry={onRetry} />;
  return (
    <Stack gap="sm" data-testid={testId}>
      <CopyField
        label={t('feed.url')}
        value={urls.url}
        description={t('feed.urlHelp')}
        testId={`${testId}-url`}
      />
      <Group gap="sm">
        <Button component="a" href={urls.webcal_url} variant="light" leftSection={<IconCalendarPlus size={16} />} data-testid={`${testId}-subscribe`}>
          {t('feed.subscribe')}
        </Button>
        <Button variant="subtle" color="red" leftSection={<IconRefresh size={16} />} onClick={confirm.open} data-testid={`${testId}-regenerate`}>
          {t('feed.regenerate')}
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirmOpened}
        onClose={confirm.close}
        title={t('feed.regenerateTitle')}
        message={
          <>
            {t(whose === 'mine' || whose === 'Your' ? 'feed.regenerateMine' : 'feed.regenerateSchedule')}
            <Text span display="block" size="xs" c="dimmed" mt={6}>
              {t('feed.regenerateWhen')}
            </Text>
          </>
        }
        confirmLabel={t('feed.regenerate')}
        loading={regenerating}
        onConfirm={() => onRegenerate(confirm.close)}
      />
    </Stack>
  );
}
