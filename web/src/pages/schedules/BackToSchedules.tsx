import { Anchor, Group } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The breadcrumb back to `/schedules` on a schedule's pages. */
export function BackToSchedules() {
  const { t } = useTranslation('schedules');
  return (
    <Anchor component={Link} to="/schedules" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {t('list.title')}
      </Group>
    </Anchor>
  );
}
