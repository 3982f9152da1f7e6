/**
 * Shapes the server's OpenAPI document leaves as `unknown` (routing, grouping, rule specs): it
 * validates them itself and answers field errors such as `spec.filter[0][1].values`. These mirror
 * SPEC §2.2, §2.4, §2.5 and §3; the server stays authoritative, so a shape it refuses comes back as
 * a 400 naming the field. Everything else is derived from schema.d.ts in types.ts.
 */

export type FilterOp = 'in' | 'not_in';

export interface FilterCondition {
  key: string;
  op: FilterOp;
  values: string[];
}

/** AND of its conditions. */
export type FilterGroup = FilterCondition[];
/** OR of its groups; an empty filter matches everything. */
export type Filter = FilterGroup[];

export interface RoutingCase {
  if: Filter;
  channels: string[];
  continue?: boolean;
}

/** Routing of a shared integration (SPEC §3). */
export interface RoutingSpec {
  cases?: RoutingCase[];
  default?: string[];
  name_mapping?: { label: string } | null;
}

export type GroupingWindow = { kind: 'off' } | { kind: 'fixed' | 'sliding'; minutes: number };

/** A channel's incident grouping (SPEC §2.2). */
export type GroupingSpec =
  | { mode: 'none' }
  | { mode: 'rules'; by: string[]; cases?: { if: Filter; by: string[] }[]; strict?: boolean; window?: GroupingWindow }
  | { mode: 'similarity'; threshold?: number; labels?: string[]; window?: GroupingWindow };

/** ISO weekdays 1 (Monday) … 7 (Sunday), local `HH:MM`; `end` ≤ `start` runs past midnight. */
export interface WeeklyWindow {
  days: number[];
  start: string;
  end: string;
}

export type SilenceTime = { kind: 'range'; start: number; end: number } | { kind: 'weekly'; time_zone: string; windows: WeeklyWindow[] };

export interface SilenceSpec {
  filter: Filter;
  time: SilenceTime;
  action?: 'mark' | 'discard';
}

export interface InhibitSpec {
  source: Filter;
  target: Filter;
  equal: string[];
}

export interface DropSpec {
  filter: Filter;
}

export type RuleKind = 'silence' | 'inhibit' | 'drop';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a filter defensively: anything malformed becomes "no conditions" rather than a crash. */
export function asFilter(value: unknown): Filter {
  if (!Array.isArray(value)) return [];
  return value.filter(Array.isArray).map((group: unknown[]) =>
    group.filter(isObject).map((c) => ({
      key: typeof c.key === 'string' ? c.key : 'title',
      op: c.op === 'not_in' ? 'not_in' : 'in',
      values: Array.isArray(c.values) ? c.values.filter((v): v is string => typeof v === 'string') : [],
    })),
  );
}

export function asRouting(value: unknown): RoutingSpec {
  if (!isObject(value)) return { cases: [], default: [], name_mapping: null };
  const cases = Array.isArray(value.cases)
    ? value.cases.filter(isObject).map((c) => ({
        if: asFilter(c.if),
        channels: Array.isArray(c.channels) ? c.channels.filter((id): id is string => typeof id === 'string') : [],
        continue: c.continue === true,
      }))
    : [];
  const fallback = Array.isArray(value.default) ? value.default.filter((id): id is string => typeof id === 'string') : [];
  const mapping = isObject(value.name_mapping) && typeof value.name_mapping.label === 'string' ? { label: value.name_mapping.label } : null;
  return { cases, default: fallback, name_mapping: mapping };
}

export function asGrouping(value: unknown): GroupingSpec {
  if (!isObject(value)) return { mode: 'none' };
  if (value.mode === 'rules' || value.mode === 'similarity') return value as GroupingSpec;
  return { mode: 'none' };
}

export function asSilenceSpec(value: unknown): SilenceSpec {
  const spec = isObject(value) ? value : {};
  const time = isObject(spec.time) ? (spec.time as SilenceTime) : { kind: 'range' as const, start: Date.now(), end: Date.now() + 3_600_000 };
  return { filter: asFilter(spec.filter), time, action: spec.action === 'discard' ? 'discard' : 'mark' };
}

export function asInhibitSpec(value: unknown): InhibitSpec {
  const spec = isObject(value) ? value : {};
  return {
    source: asFilter(spec.source),
    target: asFilter(spec.target),
    equal: Array.isArray(spec.equal) ? spec.equal.filter((v): v is string => typeof v === 'string') : [],
  };
}

export function asDropSpec(value: unknown): DropSpec {
  return { filter: asFilter(isObject(value) ? value.filter : undefined) };
}

// ---- Escalation rules (SPEC §4) -----------------------------------------------------------------

/** Methods an escalation level may name explicitly. */
export const ESCALATION_METHODS = ['voice', 'sms', 'email', 'push', 'slack_dm', 'feishu_dm', 'dingtalk_dm', 'wecom_dm', 'teams_dm', 'telegram_dm'] as const;
export type EscalationMethod = (typeof ESCALATION_METHODS)[number];

export const SEVERITIES = ['Critical', 'Warning', 'Info'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** Limits the server enforces (src/escalation/model.ts). */
export const ESCALATION_LIMITS = {
  levels: 10,
  delaySeconds: 3600,
  repeatEveryMin: [0.5, 120],
  repeatTimes: 6,
  escalateAfterMin: [1, 720],
  loopTimes: 10,
  people: 50,
  teams: 20,
  schedules: 20,
  groupChats: 20,
} as const;

export interface ScheduleTarget {
  id: string;
  roles?: string[];
}

export interface EscalationTargets {
  people?: string[];
  teams?: string[];
  schedules?: ScheduleTarget[];
  /** Ids of notification provider configurations (group chat bots, webhooks). */
  group_chats?: string[];
}

export type LevelMethods = { kind: 'preferences' } | { kind: 'explicit'; by_severity: Partial<Record<SeverityName, EscalationMethod[]>> };

export interface EscalationLevel {
  targets: EscalationTargets;
  methods: LevelMethods;
  /** 0.5–120; null = no repeats. */
  repeat_every_min?: number | null;
  /** 0–6. */
  repeat_times?: number;
  /** 1–720. */
  escalate_after_min: number;
}

export interface TimeCondition {
  time_zone: string;
  windows: WeeklyWindow[];
  outside?: boolean;
}

export interface EscalationSpec {
  conditions?: { filter?: Filter; time?: TimeCondition };
  delay_seconds?: number;
  mode?: 'unacknowledged' | 'unresolved';
  levels: EscalationLevel[];
  after_last?: { kind: 'stop' } | { kind: 'loop'; times: number };
  /** Alert labels tocsin_level_N_emails/_teams may pick this incident's targets (channel teams only). */
  dynamic_assignment?: boolean;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function asLevel(value: unknown): EscalationLevel {
  const level = isObject(value) ? value : {};
  const t = isObject(level.targets) ? level.targets : {};
  const schedules = Array.isArray(t.schedules)
    ? t.schedules.filter(isObject).map((s) => ({ id: typeof s.id === 'string' ? s.id : '', ...(Array.isArray(s.roles) ? { roles: strings(s.roles) } : {}) }))
    : [];
  const m = isObject(level.methods) ? level.methods : {};
  let methods: LevelMethods = { kind: 'preferences' };
  if (m.kind === 'explicit' && isObject(m.by_severity)) {
    const bySeverity: Partial<Record<SeverityName, EscalationMethod[]>> = {};
    for (const s of SEVERITIES) {
      const list = strings(m.by_severity[s]).filter((x): x is EscalationMethod => (ESCALATION_METHODS as readonly string[]).includes(x));
      if (list.length > 0) bySeverity[s] = list;
    }
    methods = { kind: 'explicit', by_severity: bySeverity };
  }
  return {
    targets: { people: strings(t.people), teams: strings(t.teams), schedules, group_chats: strings(t.group_chats) },
    methods,
    repeat_every_min: typeof level.repeat_every_min === 'number' ? level.repeat_every_min : null,
    repeat_times: typeof level.repeat_times === 'number' ? level.repeat_times : 0,
    escalate_after_min: typeof level.escalate_after_min === 'number' ? level.escalate_after_min : 30,
  };
}

/** Reads a stored rule spec defensively, with every default written out and every target list present. */
export function asEscalationSpec(value: unknown): EscalationSpec {
  const spec = isObject(value) ? value : {};
  const conditions = isObject(spec.conditions) ? spec.conditions : {};
  const time = isObject(conditions.time) ? conditions.time : null;
  const afterLast = isObject(spec.after_last) && spec.after_last.kind === 'loop' && typeof spec.after_last.times === 'number'
    ? { kind: 'loop' as const, times: spec.after_last.times }
    : { kind: 'stop' as const };
  const levels = Array.isArray(spec.levels) ? spec.levels.map(asLevel) : [];
  return {
    conditions: {
      filter: asFilter(conditions.filter),
      ...(time && {
        time: {
          time_zone: typeof time.time_zone === 'string' ? time.time_zone : 'UTC',
          windows: Array.isArray(time.windows)
            ? time.windows.filter(isObject).map((w) => ({
                days: Array.isArray(w.days) ? w.days.filter((d): d is number => typeof d === 'number') : [],
                start: typeof w.start === 'string' ? w.start : '09:00',
                end: typeof w.end === 'string' ? w.end : '18:00',
              }))
            : [],
          outside: time.outside === true,
        },
      }),
    },
    delay_seconds: typeof spec.delay_seconds === 'number' ? spec.delay_seconds : 0,
    mode: spec.mode === 'unresolved' ? 'unresolved' : 'unacknowledged',
    levels,
    after_last: afterLast,
    dynamic_assignment: spec.dynamic_assignment === true,
  };
}

/** True when the rule applies to every incident: no filter conditions and no time window. */
export function isCatchAll(spec: EscalationSpec): boolean {
  return (spec.conditions?.filter?.length ?? 0) === 0 && !spec.conditions?.time;
}

// ---- Notification providers (SPEC §8.2) ---------------------------------------------------------

export type ProviderFieldType = 'string' | 'secret' | 'number' | 'boolean' | 'select' | 'url' | 'email';

/** One settings field a provider declares; the console draws its input from it. */
export interface ProviderField {
  name: string;
  label: string;
  type: ProviderFieldType;
  required?: boolean;
  options?: string[];
  default?: string | number | boolean;
  help?: string;
  pattern?: string;
  /** A number's bounds, or a text's length bounds. */
  min?: number;
  max?: number;
  multiline?: boolean;
  /** A url/string value that is a credential: stored sealed and shown as •••••• like a secret. */
  secret?: boolean;
}

const FIELD_TYPES: readonly string[] = ['string', 'secret', 'number', 'boolean', 'select', 'url', 'email'];

/** Reads a provider type's `fields` defensively; an unknown type is drawn as a text input. */
export function asProviderFields(value: unknown): ProviderField[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((f): ProviderField[] => {
    if (typeof f.name !== 'string') return [];
    const field: ProviderField = {
      name: f.name,
      label: typeof f.label === 'string' ? f.label : f.name,
      type: typeof f.type === 'string' && FIELD_TYPES.includes(f.type) ? (f.type as ProviderFieldType) : 'string',
    };
    if (f.required === true) field.required = true;
    if (Array.isArray(f.options)) field.options = strings(f.options);
    if (typeof f.default === 'string' || typeof f.default === 'number' || typeof f.default === 'boolean') field.default = f.default;
    if (typeof f.help === 'string') field.help = f.help;
    if (typeof f.pattern === 'string') field.pattern = f.pattern;
    if (typeof f.min === 'number') field.min = f.min;
    if (typeof f.max === 'number') field.max = f.max;
    if (f.multiline === true) field.multiline = true;
    if (f.secret === true) field.secret = true;
    return [field];
  });
}

/** What the server shows in place of a stored secret; sending it back keeps the secret. */
export const REDACTED_SECRET = '••••••';

// ---- Delivery log -------------------------------------------------------------------------------

/** Who a message went to, as recorded in the outbox. */
export type DeliveryRecipient = { kind: 'person'; personId?: string; name: string; address: string } | { kind: 'group_chat'; name: string };

export function asRecipient(value: unknown): DeliveryRecipient {
  const r = isObject(value) ? value : {};
  const name = typeof r.name === 'string' ? r.name : 'unknown';
  if (r.kind === 'group_chat') return { kind: 'group_chat', name };
  return { kind: 'person', name, address: typeof r.address === 'string' ? r.address : '', ...(typeof r.personId === 'string' && { personId: r.personId }) };
}
