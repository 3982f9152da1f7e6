import { useTranslation } from 'react-i18next';
import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { listTimeZones } from '../lib/timeZones';

/** A searchable select of every IANA time zone the browser knows. */
export function TimeZoneSelect(props: Omit<SelectProps, 'data'>) {
  const zones = useMemo(listTimeZones, []);
  const { t } = useTranslation();
  return <Select label={t('timeZone.label')} searchable limit={200} nothingFoundMessage={t('timeZone.nothingFound')} {...props} data={zones} />;
}
