import { Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UnixMs } from '../api/types';
import { formatDateTime, formatRelative } from '../lib/time';

/** "3 days ago", with the exact time on hover and for screen readers. */
export function RelativeTime({ ms }: { ms: UnixMs }) {
  useTranslation(); // re-render in the new language when the person switches
  const exact = formatDateTime(ms);
  return (
    <Tooltip label={exact} openDelay={300}>
      <Text component="time" dateTime={new Date(ms).toISOString()} size="sm" title={exact}>
        {formatRelative(ms)}
      </Text>
    </Tooltip>
  );
}
