import { useTranslation } from 'react-i18next';
import { Button, Center } from '@mantine/core';

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/** The button under a cursor-paginated table. */
export function LoadMore({ hasMore, loading, onLoadMore }: LoadMoreProps) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <Center mt="md">
      <Button variant="default" loading={loading} onClick={onLoadMore} data-testid="load-more">
        {t('actions.loadMore')}
      </Button>
    </Center>
  );
}
