import { formattingLocale } from '../i18n';
import { useTranslation } from 'react-i18next';
import { ActionIcon, Button, Chip, Group, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { WeeklyWindow } from '../api/specs';

/** An ISO weekday (1 = Monday) named in the console's locale ("Mon" / 周一). 2024-01-01 was a Monday. */
export function weekdayName(isoDay: number, width: 'short' | 'long'): string {
  return new Intl.DateTimeFormat(formattingLocale(), { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2024, 0, isoDay));
}

/** ISO weekdays; names are read at render time so they follow the locale. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((value) => ({
  value,
  get short() {
    return weekdayName(value, 'short');
  },
  get long() {
    return weekdayName(value, 'long');
  },
}));

interface WeeklyWindowsEditorProps {
  value: WeeklyWindow[];
  onChange: (windows: WeeklyWindow[]) => void;
  /** Server error for window `index` (or any field below it). */
  errorFor?: (index: number) => string | undefined;
  testId?: string;
}

/** Weekly `HH:MM–HH:MM` windows on chosen ISO weekdays; an end at or before the start runs past midnight. */
export function WeeklyWindowsEditor({ value, onChange, errorFor, testId = 'window' }: WeeklyWindowsEditorProps) {
  const set = (index: number, w: WeeklyWindow) => onChange(value.map((x, i) => (i === index ? w : x)));
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {value.map((w, index) => {
        const error = errorFor?.(index);
        return (
          <Paper key={index} withBorder radius="md" p="sm" data-testid={testId}>
            <Stack gap="xs">
              <Chip.Group multiple value={w.days.map(String)} onChange={(days) => set(index, { ...w, days: days.map(Number).sort((a, b) => a - b) })}>
                <Group gap={6} role="group" aria-label={t('windows.days')}>
                  {WEEKDAYS.map((d) => (
                    <Chip key={d.value} value={String(d.value)} size="xs" aria-label={d.long}>
                      {d.short}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              <Group gap="sm" align="flex-end" wrap="wrap">
                <TextInput type="time" label={t('windows.from')} value={w.start} onChange={(e) => set(index, { ...w, start: e.currentTarget.value })} w={130} data-testid={`${testId}-start`} />
                <TextInput
                  type="time"
                  label={t('windows.until')}
                  value={w.end === '24:00' ? '00:00' : w.end}
                  onChange={(e) => set(index, { ...w, end: e.currentTarget.value })}
                  w={130}
                  data-testid={`${testId}-end`}
                />
                <Text size="xs" c="dimmed" mb={8}>
                  {w.end <= w.start ? t('windows.nextDay') : ''}
                </Text>
                {value.length > 1 && (
                  <Tooltip label={t('windows.remove')}>
                    <ActionIcon variant="subtle" color="red" mb={4} aria-label={t('windows.remove')} onClick={() => onChange(value.filter((_, i) => i !== index))}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
              {w.days.length === 0 && (
                <Text size="xs" c="red">
                  {t('windows.pickDay')}
                </Text>
              )}
              {error && (
                <Text size="xs" c="red">
                  {error}
                </Text>
              )}
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...value, { days: [6, 7], start: '00:00', end: '24:00' }])}
          data-testid={`${testId}-add`}
        >
          {t('windows.add')}
        </Button>
      </Group>
    </Stack>
  );
}
