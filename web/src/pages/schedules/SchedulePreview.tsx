import { Alert, Group, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCalendarTime } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import { useSchedulePreview, type PreviewBody } from '../../api/schedules';
import { EmptyState } from '../../components/EmptyState';
import { Timeline } from '../../components/schedules/Timeline';
import { addDays, isKnownZone, startOfDay, zoneOffsetLabel } from '../../components/schedules/zonedTime';
import { errorMessage } from '../../lib/notify';
import { FirstShiftNote } from './FirstShiftNote';
import { describeFieldPath, layersToInput, serverFieldErrors, type ScheduleFormValues } from './scheduleFormModel';

const PREVIEW_DAYS = 14;
const DEBOUNCE_MS = 400;

/** The next 14 days of the unsaved draft, recomputed by the server as the draft changes. */
export function SchedulePreview({ values }: { values: ScheduleFormValues }) {
  const { t } = useTranslation('schedules');
  const zone = values.time_zone && isKnownZone(values.time_zone) ? values.time_zone : 'UTC';
  // "Today" is fixed when the editor opens, so the preview does not move while you type.
  const [openedAt] = useState(() => Date.now());
  const range = useMemo(() => {
    const start = startOfDay(openedAt, zone);
    return { start, end: addDays(start, PREVIEW_DAYS, zone) };
  }, [openedAt, zone]);
  const layers = layersToInput(values.layers, zone);
  const draft = layers ? JSON.stringify({ time_zone: zone, layers, range } satisfies PreviewBody) : null;
  const [debounced] = useDebouncedValue(draft, DEBOUNCE_MS);
  const body = useMemo(() => (debounced ? (JSON.parse(debounced) as PreviewBody) : null), [debounced]);
  const preview = useSchedulePreview(body);
  const colorOrder = useMemo(() => values.layers.flatMap((layer) => layer.members.flatMap((slot) => slot.ids)), [values.layers]);
  const pending = draft !== debounced || preview.isFetching;

  let content;
  if (values.layers.length === 0) {
    content = (
      <EmptyState bare icon={<IconCalendarTime size={28} />} title={t('preview.noLayers')} description={t('preview.noLayersHelp')} />
    );
  } else if (!layers) {
    content = (
      <Text size="sm" c="dimmed" py="lg" ta="center">
        {t('preview.incomplete')}
      </Text>
    );
  } else {
    const errors = preview.isError && isApiError(preview.error, 400) ? serverFieldErrors(preview.error.message, preview.error.field) : null;
    content = (
      <Stack gap="sm">
        {preview.isError && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={t('preview.invalid')} data-testid="preview-errors">
            {errors && Object.keys(errors).length > 0 ? (
              <List size="sm" spacing={2}>
                {Object.entries(errors).map(([path, message]) => (
                  <List.Item key={path}>
                    {describeFieldPath(path)}: {message}
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">{errorMessage(preview.error)}</Text>
            )}
          </Alert>
        )}
        {values.layers.map((layer, index) => (
          <FirstShiftNote key={layer.key} layer={layer} layerIndex={index} testId="preview-first-shift" />
        ))}
        {!preview.isError && (
          <Timeline
            timeline={preview.data}
            range={preview.data ? { start: preview.data.start, end: preview.data.end } : range}
            timeZone={zone}
            loading={preview.isPending}
            colorOrder={colorOrder}
            showOverrides={false}
            label={t('preview.timelineLabel', { count: PREVIEW_DAYS })}
            testId="schedule-preview-timeline"
          />
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('preview.title')} data-testid="schedule-preview">
      <Group justify="space-between" align="flex-start" mb="md" gap="xs">
        <Stack gap={2}>
          <Title order={3} fz="lg">
            {t('preview.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('preview.help', { count: PREVIEW_DAYS, zone, offset: zoneOffsetLabel(zone) })}
          </Text>
        </Stack>
        {pending && layers && <Loader size="sm" aria-label={t('preview.updating')} />}
      </Group>
      {content}
    </Paper>
  );
}
