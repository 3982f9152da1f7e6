import { ActionIcon, Button, Group, Loader, SegmentedControl, Text, Tooltip } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TIMELINE_VIEWS, type TimelineView } from './timelineRange';

interface TimelineToolbarProps {
  view: TimelineView;
  onViewChange: (view: TimelineView) => void;
  onStep: (direction: 1 | -1) => void;
  onToday: () => void;
  /** "Mar 2 – Mar 8, 2026" */
  title: string;
  /** A fetch is in flight (the bars shown are the previous range's). */
  refreshing?: boolean;
  /** Extra controls on the right, e.g. "Highlight my shifts". */
  children?: ReactNode;
}

/** Range switch (day, week, 2 weeks, month) and previous / today / next navigation. */
export function TimelineToolbar({ view, onViewChange, onStep, onToday, title, refreshing = false, children }: TimelineToolbarProps) {
  const { t } = useTranslation('schedules');
  const previous = t(`timeline.previous.${view}`);
  const next = t(`timeline.next.${view}`);
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Group gap="xs" wrap="nowrap">
        <Button variant="default" size="xs" onClick={onToday} data-testid="timeline-today">
          {t('timeline.today')}
        </Button>
        <Tooltip label={previous}>
          <ActionIcon variant="default" size={30} onClick={() => onStep(-1)} aria-label={previous} data-testid="timeline-prev">
            <IconChevronLeft size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label={next}>
          <ActionIcon variant="default" size={30} onClick={() => onStep(1)} aria-label={next} data-testid="timeline-next">
            <IconChevronRight size={16} />
          </ActionIcon>
        </Tooltip>
        <Text fw={600} size="sm" aria-live="polite" data-testid="timeline-range-title" style={{ whiteSpace: 'nowrap' }}>
          {title}
        </Text>
        {refreshing && <Loader size={14} aria-label={t('loading')} />}
      </Group>
      <Group gap="md" wrap="wrap">
        {children}
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(value) => onViewChange(value as TimelineView)}
          data={TIMELINE_VIEWS.map((v) => ({ value: v.value, label: <span data-testid={`timeline-view-${v.value}`}>{t(v.labelKey)}</span> }))}
          aria-label={t('timeline.rangeLabel')}
        />
      </Group>
    </Group>
  );
}
