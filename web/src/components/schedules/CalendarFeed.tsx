import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCalendarPlus, IconRefresh } from '@tabler/icons-react';
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
  /** Whose feed this is, for the confirmation ("Your calendar apps…"). */
  whose: string;
  testId?: string;
}

/**
 * A secret iCalendar feed URL: copy it, subscribe with one click (webcal://), or replace it when it
 * leaked. Google Calendar, Outlook and Apple Calendar all accept it.
 */
export function CalendarFeed({ urls, loading, error, onRetry, onRegenerate, regenerating, whose, testId = 'calendar-feed' }: CalendarFeedProps) {
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
        label="Feed URL"
        value={urls.url}
        description="Anyone with this URL can read the shifts. In Google Calendar use “From URL”; Outlook and Apple Calendar can subscribe directly."
        testId={`${testId}-url`}
      />
      <Group gap="sm">
        <Button component="a" href={urls.webcal_url} variant="light" leftSection={<IconCalendarPlus size={16} />} data-testid={`${testId}-subscribe`}>
          Subscribe in calendar app
        </Button>
        <Button variant="subtle" color="red" leftSection={<IconRefresh size={16} />} onClick={confirm.open} data-testid={`${testId}-regenerate`}>
          Regenerate URL
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirmOpened}
        onClose={confirm.close}
        title="Regenerate the feed URL?"
        message={
          <>
            The current URL stops working at once. {whose} calendar subscriptions must be set up again with the new URL.
            <Text span display="block" size="xs" c="dimmed" mt={6}>
              Do this if the URL was shared with someone who should not see the shifts.
            </Text>
          </>
        }
        confirmLabel="Regenerate URL"
        loading={regenerating}
        onConfirm={() => onRegenerate(confirm.close)}
      />
    </Stack>
  );
}
