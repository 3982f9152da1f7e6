import { Badge, Group, Menu, Skeleton, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { Fragment, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonRef, ScheduleTimeline } from '../../api/schedules';
import type { UnixMs } from '../../api/types';
import classes from './Timeline.module.css';
import { i18next } from '../../i18n';
import { colorVars, personColorFn } from './personColors';
import { roleLabel } from './roleLabel';
import type { TimeRange } from './timelineRange';
import { DAY_MS, HOUR_MS, formatDuration, formatInZone, formatRangeInZone, midnightsBetween, startOfDay, wallTimeOf } from './zonedTime';

export type TimelineRowKind = 'layer' | 'override' | 'final';

/** One bar of the timeline, as handed to `barMenu`. */
export interface TimelineBar {
  key: string;
  kind: TimelineRowKind;
  start: UnixMs;
  end: UnixMs;
  personIds: string[];
  role: string;
  /** The layer's name for layer bars. */
  layerName?: string;
  overrideId?: string;
}

interface TimelineProps {
  /** The final, per-layer and override timelines (a saved schedule's or a preview's). */
  timeline: Pick<ScheduleTimeline, 'final' | 'layers' | 'overrides' | 'people'> | undefined;
  range: TimeRange;
  timeZone: string;
  loading?: boolean;
  /** Person to emphasise ("Highlight my shifts"); every other bar is dimmed. */
  highlightPersonId?: string | null;
  /** Person ids in rotation order: they get distinct colours. */
  colorOrder?: ReadonlyArray<string>;
  /** Menu items for a bar (e.g. "Take this shift"); bars without items only show a tooltip. */
  barMenu?: (bar: TimelineBar) => ReactNode;
  /** Whether to show the Overrides row (a preview has none). */
  showOverrides?: boolean;
  /** Accessible name of the scrolling region (default: "Schedule timeline" in the person's language). */
  label?: string;
  testId?: string;
}

const ROLE_ORDER = ['primary', 'backup'];

function byRole(a: string, b: string): number {
  const ia = ROLE_ORDER.indexOf(a);
  const ib = ROLE_ORDER.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  return a.localeCompare(b);
}

/** Minimum track width per view, so labels stay readable; the timeline scrolls when narrower. */
function trackMinWidth(span: number): number {
  const days = span / DAY_MS;
  if (days <= 1.1) return 864;
  if (days <= 8) return Math.round(days * 100);
  if (days <= 15) return Math.round(days * 44);
  return Math.round(days * 24);
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

/** Re-renders every minute so the "now" marker moves. */
function useNow(): UnixMs {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

interface Row {
  key: string;
  kind: TimelineRowKind;
  title: string;
  meta?: string;
  bars: TimelineBar[];
  /** Intervals nobody covers (final rows only). */
  gaps?: TimeRange[];
  testId: string;
  role?: string;
}

function uncovered(range: TimeRange, bars: ReadonlyArray<TimelineBar>): TimeRange[] {
  const sorted = bars.filter((bar) => bar.personIds.length > 0).sort((a, b) => a.start - b.start);
  const gaps: TimeRange[] = [];
  let cursor = range.start;
  for (const bar of sorted) {
    if (bar.start > cursor + 60_000) gaps.push({ start: cursor, end: Math.min(bar.start, range.end) });
    cursor = Math.max(cursor, bar.end);
    if (cursor >= range.end) break;
  }
  if (cursor + 60_000 < range.end) gaps.push({ start: cursor, end: range.end });
  return gaps;
}

/** Builds the rows: each layer, the overrides, then one final row per role. */
function buildRows(timeline: NonNullable<TimelineProps['timeline']>, range: TimeRange, showOverrides: boolean): Row[] {
  const rows: Row[] = timeline.layers.map((layer) => ({
    key: `layer-${layer.index}`,
    kind: 'layer',
    title: layer.name,
    meta: `${i18next.t('schedules:timeline.layerN', { n: layer.index + 1 })}${layer.role === 'primary' ? '' : ` · ${roleLabel(layer.role)}`}`,
    testId: `timeline-row-layer-${layer.index}`,
    bars: layer.shifts.map((shift, i) => ({
      key: `l${layer.index}-${i}-${shift.start}`,
      kind: 'layer',
      start: shift.start,
      end: shift.end,
      personIds: shift.person_ids,
      role: layer.role,
      layerName: layer.name,
    })),
  }));
  const roles = new Set<string>([...timeline.layers.map((l) => l.role), ...timeline.final.map((f) => f.role)]);
  const live = timeline.overrides.filter((o) => o.deleted_at === null && o.end > range.start && o.start < range.end);
  live.forEach((o) => roles.add(o.role));
  if (roles.size === 0) roles.add('primary');
  const roleList = [...roles].sort(byRole);
  const multipleRoles = roleList.length > 1;
  if (showOverrides) {
    rows.push({
      key: 'overrides',
      kind: 'override',
      title: i18next.t('schedules:timeline.overrides'),
      meta: live.length === 0 ? i18next.t('schedules:timeline.noneInView') : i18next.t('schedules:timeline.inView', { count: live.length }),
      testId: 'timeline-row-overrides',
      bars: live.map((o) => ({
        key: `o-${o.id}`,
        kind: 'override',
        start: o.start,
        end: o.end,
        personIds: [o.person_id],
        role: o.role,
        overrideId: o.id,
      })),
    });
  }
  const hasLayers = timeline.layers.length > 0;
  for (const role of roleList) {
    const bars: TimelineBar[] = timeline.final
      .filter((shift) => shift.role === role)
      .map((shift, i) => ({ key: `f-${role}-${i}-${shift.start}`, kind: 'final', start: shift.start, end: shift.end, personIds: shift.person_ids, role }));
    rows.push({
      key: `final-${role}`,
      kind: 'final',
      title: i18next.t('schedules:timeline.final'),
      meta: multipleRoles || role !== 'primary' ? roleLabel(role) : i18next.t('schedules:timeline.whoIsPaged'),
      testId: role === 'primary' || !multipleRoles ? 'timeline-row-final' : `timeline-row-final-${role}`,
      bars,
      gaps: hasLayers || live.length > 0 ? uncovered(range, bars) : [],
      role,
    });
  }
  return rows;
}

/**
 * A schedule's timeline: one row per layer, the overrides, and the bold final schedule, with bars
 * coloured per person, a "now" marker and times in the schedule's zone. Scrolls sideways on phones.
 */
export function Timeline({
  timeline,
  range,
  timeZone,
  loading = false,
  highlightPersonId = null,
  colorOrder,
  barMenu,
  showOverrides = true,
  label,
  testId = 'timeline',
}: TimelineProps) {
  const { t, i18n } = useTranslation('schedules');
  const now = useNow();
  const span = range.end - range.start;
  // Rotation members first, then whoever else the timeline mentions (override people), by id.
  const colorOf = useMemo(() => {
    const known = new Set(colorOrder);
    const others = (timeline?.people ?? []).map((p) => p.id).filter((id) => !known.has(id)).sort();
    return personColorFn([...(colorOrder ?? []), ...others]);
  }, [colorOrder, timeline?.people]);
  const names = useMemo(() => new Map((timeline?.people ?? []).map((p: PersonRef) => [p.id, p.name])), [timeline?.people]);
  // The language is a dependency: row titles are translated when built.
  const rows = useMemo(() => (timeline ? buildRows(timeline, range, showOverrides) : []), [timeline, range, showOverrides, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps
  const pct = (ms: UnixMs) => `${((Math.min(Math.max(ms, range.start), range.end) - range.start) / span) * 100}%`;
  const nameOf = (id: string) => names.get(id) ?? t('unknownPerson');
  const isHourly = span <= DAY_MS * 1.1;

  // Day cells (multi-day views) or hour marks (the day view).
  const cells = useMemo(() => {
    if (isHourly) {
      const marks: { at: UnixMs; label: string | null }[] = [];
      for (let at = range.start; at < range.end; at += HOUR_MS) {
        const hour = wallTimeOf(at, timeZone).hour;
        marks.push({ at, label: hour % 3 === 0 ? formatInZone(at, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) : null });
      }
      return { kind: 'hours' as const, marks };
    }
    const bounds = [range.start, ...midnightsBetween(range.start, range.end, timeZone), range.end];
    const narrow = span / DAY_MS > 15;
    const days = bounds.slice(0, -1).map((start, i) => {
      const end = bounds[i + 1] ?? range.end;
      const wall = wallTimeOf(start, timeZone);
      return {
        start,
        end,
        weekday: formatInZone(start, timeZone, { weekday: narrow ? 'narrow' : 'short' }),
        day: narrow ? String(wall.day) : formatInZone(start, timeZone, { month: 'short', day: 'numeric' }),
        weekend: wall.weekday >= 6,
      };
    });
    return { kind: 'days' as const, days };
  }, [isHourly, range.start, range.end, span, timeZone, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps
  const today = startOfDay(now, timeZone);
  const nowInView = now >= range.start && now < range.end;

  const describe = (bar: TimelineBar) => {
    const who = bar.personIds.length ? bar.personIds.map(nameOf).join(' + ') : t('onCall.nobodyShort');
    return `${who}, ${formatRangeInZone(bar.start, bar.end, timeZone)}`;
  };

  const minTrack = trackMinWidth(span);
  const renderBar = (bar: TimelineBar) => {
    const mine = highlightPersonId !== null && bar.personIds.includes(highlightPersonId);
    const who = bar.personIds.length ? bar.personIds.map(nameOf).join(' + ') : t('onCall.nobodyShort');
    // Narrow bars show initials, or nothing; the tooltip and the legend still say who.
    const widthPx = ((Math.min(bar.end, range.end) - Math.max(bar.start, range.start)) / span) * minTrack;
    const shown = widthPx >= 72 ? who : widthPx >= 24 ? bar.personIds.map((id) => initials(nameOf(id))).join('+') : '';
    const menuItems = barMenu?.(bar);
    const clippedStart = bar.start < range.start;
    const clippedEnd = bar.end > range.end;
    const style: CSSProperties = {
      ...colorVars(colorOf(bar.personIds[0])),
      left: pct(bar.start),
      width: `calc(${pct(bar.end)} - ${pct(bar.start)})`,
    };
    const tooltip = (
      <Stack gap={2}>
        <Text size="sm" fw={600}>
          {who}
        </Text>
        <Text size="xs">{formatRangeInZone(bar.start, bar.end, timeZone)}</Text>
        <Text size="xs" c="dimmed">
          {formatDuration(bar.end - bar.start)}
          {bar.kind === 'override' ? ` · ${t('timeline.override')}` : ''}
          {bar.layerName ? ` · ${bar.layerName}` : ''}
          {bar.role !== 'primary' ? ` · ${roleLabel(bar.role)}` : ''}
        </Text>
      </Stack>
    );
    const button = (
      <button
        type="button"
        className={`${classes.bar} ${bar.kind === 'override' ? classes.overrideBar : ''}`}
        style={style}
        data-testid="timeline-bar"
        data-kind={bar.kind}
        data-person-ids={bar.personIds.join(',')}
        data-clickable={menuItems ? 'true' : 'false'}
        data-clipped-start={clippedStart}
        data-clipped-end={clippedEnd}
        data-dimmed={highlightPersonId !== null && !mine}
        data-mine={mine}
      >
        {/* Names are often initials here; the button's name is the full description, read but not shown. */}
        <span className={classes.barLabel} aria-hidden>
          {shown}
        </span>
        <VisuallyHidden data-bar-description>{bar.kind === 'override' ? t('timeline.overrideBar', { description: describe(bar) }) : describe(bar)}</VisuallyHidden>
      </button>
    );
    const withTooltip = (
      <Tooltip label={tooltip} withArrow openDelay={150} events={{ hover: true, focus: true, touch: !menuItems }} color="dark">
        {button}
      </Tooltip>
    );
    if (!menuItems) return <Fragment key={bar.key}>{withTooltip}</Fragment>;
    return (
      <Menu key={bar.key} position="bottom-start" withinPortal shadow="md" width={260}>
        <Menu.Target>{withTooltip}</Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            {who} · {formatRangeInZone(bar.start, bar.end, timeZone)}
          </Menu.Label>
          {menuItems}
        </Menu.Dropdown>
      </Menu>
    );
  };

  const peopleInView = [...new Set(rows.flatMap((row) => row.bars.flatMap((bar) => bar.personIds)))].sort((a, b) =>
    nameOf(a).localeCompare(nameOf(b)),
  );

  return (
    <Stack gap="xs">
      <div className={classes.root} data-testid={testId} aria-busy={loading || undefined}>
        <div
          className={classes.scroller}
          role="region"
          aria-label={t('timeline.regionLabel', { label: label ?? t('timeline.defaultLabel'), zone: timeZone })}
          // Focusable so keyboard users can scroll it sideways.
          tabIndex={0}
        >
          <div className={classes.inner} style={{ '--track-min': `${minTrack}px` } as CSSProperties}>
            <div className={classes.headerRow}>
              <div className={classes.label}>
                <span className={classes.labelMeta}>{timeZone}</span>
              </div>
              <div className={classes.track} aria-hidden>
                {cells.kind === 'days'
                  ? cells.days.map((day) => (
                      <div
                        key={day.start}
                        className={`${classes.tick} ${startOfDay(day.start, timeZone) === today ? classes.tickToday : ''}`}
                        style={{ left: pct(day.start), width: `calc(${pct(day.end)} - ${pct(day.start)})` }}
                      >
                        <span>{day.weekday}</span>
                        <span>{day.day}</span>
                      </div>
                    ))
                  : cells.marks
                      .filter((mark) => mark.label)
                      .map((mark) => (
                        <div key={mark.at} className={`${classes.tick} ${classes.tickHour}`} style={{ left: pct(mark.at) }}>
                          {mark.label}
                        </div>
                      ))}
                {nowInView && (
                  <div className={classes.nowLabel} style={{ left: pct(now) }}>
                    {t('timeline.now')}
                  </div>
                )}
              </div>
            </div>

            <div style={{ position: 'relative' }}>
              <div className={classes.backdrop} aria-hidden>
                {cells.kind === 'days'
                  ? cells.days.map((day, i) => (
                      <div key={day.start}>
                        {day.weekend && <div className={classes.weekend} style={{ left: pct(day.start), width: `calc(${pct(day.end)} - ${pct(day.start)})` }} />}
                        {i > 0 && <div className={classes.gridLine} style={{ left: pct(day.start) }} />}
                      </div>
                    ))
                  : cells.marks.map((mark, i) =>
                      i > 0 ? <div key={mark.at} className={`${classes.gridLine} ${mark.label ? '' : classes.gridLineMinor}`} style={{ left: pct(mark.at) }} /> : null,
                    )}
              </div>
              {nowInView && (
                <div className={classes.nowLayer} aria-hidden>
                  <div className={classes.nowLine} style={{ left: pct(now) }} data-testid="timeline-now" />
                </div>
              )}

              {!timeline && loading
                ? [0, 1, 2].map((i) => (
                    <div key={i} className={`${classes.row} ${i === 2 ? classes.finalRow : ''}`}>
                      <div className={classes.label}>
                        <Skeleton height={10} width="70%" />
                      </div>
                      <div className={classes.track}>
                        <Skeleton height={20} width={`${40 + i * 15}%`} style={{ position: 'absolute', top: 10, left: `${5 + i * 10}%` }} />
                      </div>
                    </div>
                  ))
                : rows.map((row) => (
                    <div
                      key={row.key}
                      className={`${classes.row} ${row.kind === 'final' ? classes.finalRow : ''}`}
                      data-testid={row.testId}
                      data-row-kind={row.kind}
                      role="group"
                      aria-label={
                        row.kind === 'final' && row.role && row.role !== 'primary' ? t('timeline.finalForRole', { role: roleLabel(row.role) }) : row.title
                      }
                    >
                      <div className={classes.label}>
                        <span className={classes.labelTitle} title={row.title}>
                          {row.title}
                        </span>
                        {row.meta && <span className={classes.labelMeta}>{row.meta}</span>}
                      </div>
                      <div className={classes.track}>
                        {row.gaps?.map((gap) => (
                          <Tooltip key={`gap-${gap.start}`} label={`${t('onCall.nobody')} · ${formatRangeInZone(gap.start, gap.end, timeZone)}`} withArrow color="red">
                            <div
                              className={classes.gap}
                              style={{ left: pct(gap.start), width: `calc(${pct(gap.end)} - ${pct(gap.start)})` }}
                              data-testid="timeline-gap"
                            />
                          </Tooltip>
                        ))}
                        {row.bars.map(renderBar)}
                        {row.bars.length === 0 && row.kind !== 'final' && (
                          <div className={classes.emptyTrack} style={{ height: '100%' }}>
                            {row.kind === 'override' ? '' : t('timeline.nobodyInRange')}
                          </div>
                        )}
                      </div>
                    </div>
                  ))}
            </div>
          </div>
        </div>
      </div>
      {peopleInView.length > 0 && (
        <Group gap="md" wrap="wrap" data-testid="timeline-legend">
          {peopleInView.map((id) => (
            <Group key={id} gap={6} wrap="nowrap" style={colorVars(colorOf(id))}>
              <span className={classes.swatch} />
              <Text size="xs" fw={id === highlightPersonId ? 700 : 400}>
                {id === highlightPersonId ? t('timeline.you', { name: nameOf(id) }) : nameOf(id)}
              </Text>
            </Group>
          ))}
          <Badge variant="transparent" color="gray" size="sm" px={0} ml="auto" tt="none" fw={400}>
            {t('timeline.timesIn', { zone: timeZone })}
          </Badge>
        </Group>
      )}
    </Stack>
  );
}
