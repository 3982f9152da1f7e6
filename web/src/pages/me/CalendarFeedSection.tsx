import { useTranslation } from 'react-i18next';
import { useMyFeed, useRegenerateMyFeed } from '../../api/schedules';
import { CalendarFeed } from '../../components/schedules/CalendarFeed';
import { notifyError, notifySuccess } from '../../lib/notify';
import { SectionCard } from './SectionCard';

/** My personal iCalendar feed: every shift of mine, in any calendar app. */
export function CalendarFeedSection() {
  const feed = useMyFeed();
  const regenerate = useRegenerateMyFeed();
  const { t } = useTranslation('me');
  return (
    <SectionCard
      title={t('calendar.title')}
      description={t('calendar.description')}
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
            onSuccess: () => notifySuccess(t('calendar.regenerated')),
            onError: (error) => notifyError(error),
            onSettled: done,
          })
        }
        whose={t('calendar.whose')}
        testId="my-feed"
      />
    </SectionCard>
  );
}
