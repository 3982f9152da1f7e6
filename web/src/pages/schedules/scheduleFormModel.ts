import { randomId } from '@mantine/hooks';
import {
  DEFAULT_ROLE,
  ROLE_PATTERN,
  ROTATION_COUNT_MAX,
  SCHEDULE_NAME_MAX,
  WEEKDAYS,
  type CreateScheduleBody,
  type LayerInput,
  type RestrictionKind,
  type RotationUnit,
  type Schedule,
  type ScheduleLayer,
  type Weekday,
} from '../../api/schedules';
import type { UnixMs } from '../../api/types';
import { formattingLocale, i18next } from '../../i18n';
import { formFieldFromServer } from '../../lib/formErrors';
import { fromLocalInput, startOfDay, toLocalInput } from '../../components/schedules/zonedTime';

/** One rotation slot: the people on call together during its turn. */
export interface MemberSlot {
  key: string;
  ids: string[];
}

export interface WindowValues {
  key: string;
  start_day: Weekday;
  start: string;
  end_day: Weekday;
  end: string;
}

/**
 * A layer as the form edits it. The shape follows the API's so that server errors
 * (`layers[0].rotation.count`) land on the right input (`layers.0.rotation.count`).
 */
export interface LayerValues {
  key: string;
  name: string;
  role: string;
  members: MemberSlot[];
  rotation: { unit: RotationUnit; count: number | string; handoff_time: string; weekday: Weekday };
  /** datetime-local, read in the schedule's zone */
  start: string;
  /** datetime-local or '' for open-ended */
  end: string;
  restrictions: { kind: RestrictionKind; windows: WindowValues[] };
}

export interface ScheduleFormValues {
  name: string;
  description: string;
  team_id: string | null;
  time_zone: string;
  private: boolean;
  layers: LayerValues[];
}

/** "3 weeks", "1 day" (「3 周」, 「1 天」): a rotation's length in the person's language. */
export function rotationLength(unit: RotationUnit, count: number): string {
  return i18next.t(`schedules:units.${unit}`, { count });
}

/** "Hours", "Weeks" (「小时」, 「周」): the rotation unit picker's labels. */
export function unitName(unit: RotationUnit): string {
  return i18next.t(`schedules:unitNames.${unit}`);
}

// 1 January 2024 was a Monday; WEEKDAYS is Monday first, so day i is 1 + i January 2024 (UTC).
const MONDAY_2024 = Date.UTC(2024, 0, 1);

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Monday" / 「星期一」 ("Mon" / 「周一」 with `short`): weekday names come from Intl, in the person's locale. */
export function weekdayLabel(day: Weekday, width: 'long' | 'short' = 'long'): string {
  const key = `${formattingLocale()}|${width}`;
  let formatter = weekdayFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(formattingLocale(), { weekday: width, timeZone: 'UTC' });
    weekdayFormatters.set(key, formatter);
  }
  return formatter.format(MONDAY_2024 + Math.max(WEEKDAYS.indexOf(day), 0) * 86_400_000);
}

/** The weekday picker's options, Monday first, named in the person's locale. */
export function weekdayOptions(width: 'long' | 'short' = 'long'): Array<{ value: Weekday; label: string }> {
  return WEEKDAYS.map((day) => ({ value: day, label: weekdayLabel(day, width) }));
}

export function newWindow(kind: RestrictionKind): WindowValues {
  return kind === 'weekly'
    ? { key: randomId(), start_day: 'monday', start: '09:00', end_day: 'friday', end: '18:00' }
    : { key: randomId(), start_day: 'monday', start: '09:00', end_day: 'monday', end: '18:00' };
}

/** A new layer: weekly rotation handing off on Mondays at 09:00, starting today. */
export function newLayer(index: number, zone: string, now: UnixMs = Date.now()): LayerValues {
  const today = toLocalInput(startOfDay(now, zone), zone).slice(0, 10);
  return {
    key: randomId(),
    name: i18next.t('schedules:timeline.layerN', { n: index + 1 }),
    role: DEFAULT_ROLE,
    members: [],
    rotation: { unit: 'week', count: 1, handoff_time: '09:00', weekday: 'monday' },
    start: `${today}T09:00`,
    end: '',
    restrictions: { kind: 'none', windows: [] },
  };
}

export function emptyScheduleForm(defaultTeamId: string | null, zone: string): ScheduleFormValues {
  return { name: '', description: '', team_id: defaultTeamId, time_zone: zone, private: false, layers: [newLayer(0, zone)] };
}

function isWeekday(value: string | null | undefined): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value ?? '');
}

function layerToValues(layer: ScheduleLayer, zone: string): LayerValues {
  return {
    key: randomId(),
    name: layer.name,
    role: layer.role,
    members: layer.members.map((ids) => ({ key: randomId(), ids: [...ids] })),
    rotation: {
      unit: layer.rotation.unit,
      count: layer.rotation.count,
      handoff_time: layer.rotation.handoff_time,
      weekday: isWeekday(layer.rotation.weekday) ? layer.rotation.weekday : 'monday',
    },
    start: toLocalInput(layer.start, zone),
    end: layer.end === null ? '' : toLocalInput(layer.end, zone),
    restrictions: {
      kind: layer.restrictions.kind,
      windows: layer.restrictions.windows.map((w) => ({
        key: randomId(),
        start_day: isWeekday(w.start_day) ? w.start_day : 'monday',
        start: w.start,
        end_day: isWeekday(w.end_day) ? w.end_day : 'monday',
        end: w.end,
      })),
    },
  };
}

export function scheduleToForm(schedule: Schedule): ScheduleFormValues {
  return {
    name: schedule.name,
    description: schedule.description,
    team_id: schedule.team_id,
    time_zone: schedule.time_zone,
    private: schedule.private,
    layers: schedule.layers.map((layer) => layerToValues(layer, schedule.time_zone)),
  };
}

/**
 * The API form of the layers, or null with the first reason when a layer cannot be sent yet
 * (a start that is not a complete date and time).
 */
export function layersToInput(layers: ReadonlyArray<LayerValues>, zone: string): LayerInput[] | null {
  const out: LayerInput[] = [];
  for (const layer of layers) {
    const start = fromLocalInput(layer.start, zone);
    if (start === null) return null;
    const end = layer.end ? fromLocalInput(layer.end, zone) : null;
    const kind = layer.restrictions.kind;
    out.push({
      name: layer.name.trim(),
      role: layer.role.trim() || DEFAULT_ROLE,
      members: layer.members.map((slot) => slot.ids).filter((ids) => ids.length > 0),
      rotation: {
        unit: layer.rotation.unit,
        count: Number(layer.rotation.count),
        handoff_time: layer.rotation.handoff_time,
        weekday: layer.rotation.unit === 'week' ? layer.rotation.weekday : null,
      },
      start,
      end,
      restrictions: {
        kind,
        windows:
          kind === 'none'
            ? []
            : layer.restrictions.windows.map((w) =>
                kind === 'weekly' ? { start_day: w.start_day, start: w.start, end_day: w.end_day, end: w.end } : { start: w.start, end: w.end },
              ),
      },
    });
  }
  return out;
}

export function formToScheduleBody(values: ScheduleFormValues): CreateScheduleBody {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    team_id: values.team_id ?? '',
    time_zone: values.time_zone,
    private: values.private,
    layers: layersToInput(values.layers, values.time_zone) ?? [],
  };
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const rule = (key: string, options?: Record<string, unknown>) => i18next.t(`schedules:form.errors.${key}`, options);

/** Client-side checks mirroring the server's; the server has the last word. Messages are in the person's language. */
export const scheduleFormRules = {
  name: (value: string) => {
    const length = value.trim().length;
    if (length === 0) return rule('name');
    if (length > SCHEDULE_NAME_MAX) return rule('tooLong', { max: SCHEDULE_NAME_MAX });
    return null;
  },
  team_id: (value: string | null) => (value ? null : rule('team')),
  time_zone: (value: string) => (value ? null : rule('timeZone')),
  layers: {
    name: (value: string) => (value.trim() ? null : rule('layerName')),
    role: (value: string) => (ROLE_PATTERN.test(value.trim()) ? null : rule('role')),
    rotation: {
      count: (value: number | string) => {
        const n = Number(value);
        return Number.isInteger(n) && n >= 1 && n <= ROTATION_COUNT_MAX ? null : rule('count', { max: ROTATION_COUNT_MAX });
      },
      handoff_time: (value: string) => (CLOCK.test(value) ? null : rule('handoffTime')),
    },
    start: (value: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? null : rule('start')),
    end: (value: string, values: ScheduleFormValues, path: string) => {
      if (!value) return null;
      const index = Number(path.split('.')[1]);
      const start = values.layers[index]?.start ?? '';
      return value > start ? null : rule('endAfterStart');
    },
    restrictions: {
      windows: {
        start: (value: string) => (CLOCK.test(value) ? null : 'HH:MM'),
        end: (value: string) => (CLOCK.test(value) ? null : 'HH:MM'),
      },
    },
  },
};

/** `layers[0].rotation.count` → `layers.0.rotation.count`, the form's path for the same field. */
export function serverPathToForm(field: string): string {
  return formFieldFromServer(field).replace(/\[(\d+)\]/g, '.$1');
}

/**
 * Every field error of a 400 (the server lists them all as "a: rule; b: rule"), keyed by form path.
 */
export function serverFieldErrors(message: string, firstField: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split('; ')) {
    const match = /^([\w.[\]-]+): (.+)$/s.exec(part);
    if (match?.[1] && match[2]) out[serverPathToForm(match[1])] = match[2].charAt(0).toUpperCase() + match[2].slice(1);
  }
  if (firstField && Object.keys(out).length === 0) out[serverPathToForm(firstField)] = message;
  return out;
}

/** The first error at `path` or below it. */
export function errorUnder(errors: Record<string, unknown>, path: string): string | undefined {
  const hit = Object.entries(errors).find(([key]) => key === path || key.startsWith(`${path}.`));
  return hit && typeof hit[1] === 'string' ? hit[1] : undefined;
}

/** Field names an error path may end in, as `schedules:fieldPath.*` keys. */
const FIELD_NAMES = new Set(['name', 'description', 'team_id', 'time_zone', 'role', 'members', 'rotation.unit', 'rotation.count', 'rotation.handoff_time', 'rotation.weekday', 'start', 'end', 'restrictions', 'restrictions.kind', 'restrictions.windows', 'restrictions.windows.start', 'restrictions.windows.end', 'restrictions.windows.start_day', 'restrictions.windows.end_day']);

/** "rotation.count" → "rotation count" (「轮换周期数」); positions such as `windows.1` are dropped. */
function fieldName(path: string): string {
  const bare = path.replace(/\.\d+/g, '');
  return FIELD_NAMES.has(bare) ? i18next.t(`schedules:fieldPath.${bare.replace(/\./g, '_')}`) : path.replace(/\./g, ' ').replace(/_/g, ' ');
}

/** "Layer 2 › rotation count" for an error path, for messages shown away from their input. */
export function describeFieldPath(path: string): string {
  const m = /^layers\.(\d+)\.?(.*)$/.exec(path);
  if (!m) return fieldName(path);
  const layer = i18next.t('schedules:timeline.layerN', { n: Number(m[1]) + 1 });
  return m[2] ? `${layer} › ${fieldName(m[2])}` : layer;
}
