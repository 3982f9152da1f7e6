import { useMyFeed, useRegenerateMyFeed } from '../../api/schedules';
import { CalendarFeed } from '../../components/schedules/CalendarFeed';
import { notifyError, notifySuccess } from '../../lib/notify';
import { SectionCard } from './SectionCard';

/** My personal iCalendar feed: every shift of mine, in any calendar app. */
export function CalendarFeedSection() {
  const feed = useMyFeed();
  const regenerate = useRegenerateMyFeed();
  return (
    <SectionCard
      title="Calendar feed"
      description="Subscribe to your shifts in Google Calendar, Outlook or Apple Calendar (7 days back to 60 days ahead). The URL is secret: anyone with it can see your shifts."
      testId="calendar-feed-section"
    >
      <CalendarFeed
        urls={feed.data}
        loading={feed.isPending}
        error={feed.error}
        onRetry={() => void feed.refetch()}
        regenerating={regenerate.isPending}
        onRegenerate={(done) =>
          regenerate.mutate(undefined, {
            onSuccess: () => notifySuccess('New feed URL created; the old one no longer works'),
            onError: (error) => notifyError(error),
            onSettled: done,
          })
        }
        whose="Your"
        testId="my-feed"
      />
    </SectionCard>
  );
}
