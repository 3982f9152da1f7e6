import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formattingLocale } from '../../i18n';
import { firstShift, spanParts } from './firstShift';
import type { LayerValues } from './scheduleFormModel';

/**
 * "First shift: Fri 5 Dec 09:00 → Mon 15 Dec 09:00 (10 days), then weekly": says how long the first
 * person is on call when the start does not fall on a handoff, which otherwise surprises (issue 13).
 */
export function FirstShiftNote({
  layer,
  layerIndex,
  testId,
}: {
  layer: LayerValues;
  /** Names the layer (in the preview). */ layerIndex?: number;
  testId?: string;
}) {
  const { t } = useTranslation('onboarding');
  const shift = firstShift(layer);
  if (!shift) return null;
  const format = new Intl.DateTimeFormat(formattingLocale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  const { days, hours, minutes } = spanParts(shift.end - shift.start);
  const length = [
    days > 0 && t('rotation.days', { count: days }),
    hours > 0 && t('rotation.hours', { count: hours }),
    minutes > 0 && t('rotation.minutes', { count: minutes }),
  ]
    .filter((part): part is string => typeof part === 'string')
    .join(' ');
  const cadence = shift.count === 1 ? t(`rotation.every.${shift.unit}`) : t(`rotation.every.${shift.unit}s`, { count: shift.count });
  const values = { start: format.format(shift.start), end: format.format(shift.end), length, cadence };
  const sentence = shift.regular ? t('rotation.firstShiftRegular', values) : t('rotation.firstShift', values);
  return (
    <Text size="xs" c={shift.regular ? 'dimmed' : undefined} fw={shift.regular ? undefined : 500} data-testid={testId}>
      {layerIndex === undefined ? '' : `${layer.name || t('rotation.layer', { number: layerIndex + 1 })}: `}
      {sentence}
    </Text>
  );
}
