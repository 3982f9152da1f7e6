import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { listTimeZones } from '../lib/timeZones';

/** A searchable select of every IANA time zone the browser knows. */
export function TimeZoneSelect(props: Omit<SelectProps, 'data'>) {
  const zones = useMemo(listTimeZones, []);
  return <Select label="Time zone" searchable limit={200} nothingFoundMessage="No such time zone" {...props} data={zones} />;
}
