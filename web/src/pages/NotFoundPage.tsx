import { useTranslation } from 'react-i18next';
import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  const { t } = useTranslation('layout');
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState
        icon={<IconMapOff size={28} />}
        title={t('notFound.emptyTitle')}
        description={t('notFound.description')}
        action={
          <Button component={Link} to="/" variant="light">
            {t('notFound.home')}
          </Button>
        }
      />
    </>
  );
}
