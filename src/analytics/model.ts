/**
 * Incident response analytics (SPEC §7), as pure functions of loaded facts: MTTA (first
 * acknowledgement − trigger), MTTR (close − trigger), counts, noise reduction, response rate and
 * interruptions per person by work / off / sleep hours in the person's own time zone.
 */

/** One incident as analytics needs it. */
export interface IncidentFact {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly channelId: string;
  readonly teamId: string;
  readonly severity: string;
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: number;
  /** The first acknowledgement ever (kept when later withdrawn). */
  readonly firstAckAt: number | null;
  readonly closedAt: number | null;
  readonly alertCount: number;
}

export interface Summary {
  readonly incidents: number;
  readonly alerts: number;
  readonly events: number;
  readonly acknowledged: number;
  readonly closed: number;
  readonly mtta_s: number | null;
  readonly mttr_s: number | null;
  /** 1 − incidents/alerts: how many alerts grouping kept from becoming incidents. */
  readonly noise_reduction: number | null;
  /** 1 − alerts/events: how many events dedup folded into existing alerts. */
  readonly event_noise_reduction: number | null;
  /** Share of incidents somebody acknowledged. */
  readonly response_rate: number | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return round(values.reduce((a, b) => a + b, 0) / values.length, 1);
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

/** Seconds from trigger to first acknowledgement, for acknowledged incidents. */
export function ackSeconds(facts: readonly IncidentFact[]): number[] {
  return facts.filter((f) => f.firstAckAt !== null).map((f) => ((f.firstAckAt ?? 0) - f.createdAt) / 1000);
}

/** Seconds from trigger to close, for closed incidents. */
export function resolveSeconds(facts: readonly IncidentFact[]): number[] {
  return facts.filter((f) => f.closedAt !== null).map((f) => ((f.closedAt ?? 0) - f.createdAt) / 1000);
}

/** What the database sums up for a summary (so a year of incidents never leaves it row by row). */
export interface Totals {
  readonly incidents: number;
  readonly acknowledged: number;
  readonly ackSecondsSum: number;
  readonly closed: number;
  readonly resolveSecondsSum: number;
  readonly alerts: number;
  readonly events: number;
}

export function summaryFrom(t: Totals): Summary {
  const noise = ratio(t.incidents, t.alerts);
  const eventNoise = ratio(t.alerts, t.events);
  return {
    incidents: t.incidents,
    alerts: t.alerts,
    events: t.events,
    acknowledged: t.acknowledged,
    closed: t.closed,
    mtta_s: t.acknowledged === 0 ? null : round(t.ackSecondsSum / t.acknowledged, 1),
    mttr_s: t.closed === 0 ? null : round(t.resolveSecondsSum / t.closed, 1),
    noise_reduction: noise === null ? null : round(1 - noise, 4),
    event_noise_reduction: eventNoise === null ? null : round(1 - eventNoise, 4),
    response_rate: ratio(t.acknowledged, t.incidents),
  };
}

export function summarize(facts: readonly IncidentFact[], alerts: number, events: number): Summary {
  const acks = ackSeconds(facts);
  const resolves = resolveSeconds(facts);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return summaryFrom({ incidents: facts.length, acknowledged: acks.length, ackSecondsSum: sum(acks), closed: resolves.length, resolveSecondsSum: sum(resolves), alerts, events });
}

export interface BreakdownRow {
  readonly key: string;
  readonly incidents: number;
  readonly acknowledged: number;
  readonly closed: number;
  readonly mtta_s: number | null;
  readonly mttr_s: number | null;
  readonly response_rate: number | null;
}

/** Incidents grouped by a key (channel, team, a label's value); largest groups first. */
export function breakdown(facts: readonly IncidentFact[], keyOf: (f: IncidentFact) => string | undefined): BreakdownRow[] {
  const groups = new Map<string, IncidentFact[]>();
  for (const fact of facts) {
    const key = keyOf(fact);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  return [...groups]
    .map(([key, group]) => {
      const acks = ackSeconds(group);
      const resolves = resolveSeconds(group);
      return { key, incidents: group.length, acknowledged: acks.length, closed: resolves.length, mtta_s: mean(acks), mttr_s: mean(resolves), response_rate: ratio(acks.length, group.length) };
    })
    .sort((a, b) => b.incidents - a.incidents || a.key.localeCompare(b.key));
}

export type Period = 'work' | 'off' | 'sleep';

// Building an Intl formatter costs far more than using one: keep one per time zone (a bounded set).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    if (formatters.size < 1000) formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Working hours Monday–Friday 09:00–18:00; sleep 22:00–07:00 every day; the rest is off hours. */
export function periodAt(instant: number, timeZone: string): Period {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const weekday = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  if (hour >= 22 || hour < 7) return 'sleep';
  if (weekday !== 'Sat' && weekday !== 'Sun' && hour >= 9 && hour < 18) return 'work';
  return 'off';
}

export interface InterruptionRow {
  readonly person_id: string;
  readonly total: number;
  readonly work: number;
  readonly off: number;
  readonly sleep: number;
}

const SAME_INTERRUPTION_MS = 60_000;

/**
 * Interruptions per person: voice, SMS and push notifications sent to them, where several within a
 * minute of the first count once; each is classed by the local time it started.
 */
export function interruptions(sent: readonly { personId: string; at: number }[], timeZoneOf: (personId: string) => string): InterruptionRow[] {
  const byPerson = new Map<string, number[]>();
  for (const s of sent) {
    const list = byPerson.get(s.personId);
    if (list) list.push(s.at);
    else byPerson.set(s.personId, [s.at]);
  }
  const rows: InterruptionRow[] = [];
  for (const [personId, times] of byPerson) {
    times.sort((a, b) => a - b);
    const counts = { work: 0, off: 0, sleep: 0 };
    let start = -Infinity;
    for (const at of times) {
      if (at - start < SAME_INTERRUPTION_MS) continue;
      start = at;
      counts[periodAt(at, timeZoneOf(personId))] += 1;
    }
    rows.push({ person_id: personId, total: counts.work + counts.off + counts.sleep, ...counts });
  }
  return rows.sort((a, b) => b.total - a.total || a.person_id.localeCompare(b.person_id));
}

export interface DailyPoint {
  readonly day: string;
  readonly incidents: number;
  readonly acknowledged: number;
  readonly mtta_s: number | null;
  readonly mttr_s: number | null;
}

/** One point per UTC day of [from, to), for charts. */
export function daily(facts: readonly IncidentFact[], from: number, to: number): DailyPoint[] {
  const DAY = 86_400_000;
  const first = Math.floor(from / DAY) * DAY;
  const buckets = new Map<number, IncidentFact[]>();
  for (let day = first; day < to; day += DAY) buckets.set(day, []);
  for (const fact of facts) buckets.get(Math.floor(fact.createdAt / DAY) * DAY)?.push(fact);
  return [...buckets].map(([day, group]) => {
    const acks = ackSeconds(group);
    return { day: new Date(day).toISOString().slice(0, 10), incidents: group.length, acknowledged: acks.length, mtta_s: mean(acks), mttr_s: mean(resolveSeconds(group)) };
  });
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The incidents of a period as CSV, one row each with its response times. */
export function incidentsCsv(facts: readonly IncidentFact[], channelName: (id: string) => string): string {
  const header = ['number', 'id', 'title', 'channel', 'severity', 'status', 'created_at', 'first_ack_at', 'closed_at', 'time_to_ack_s', 'time_to_resolve_s', 'alert_count'];
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const lines = facts.map((f) =>
    [
      f.number,
      f.id,
      f.title,
      channelName(f.channelId),
      f.severity,
      f.status,
      iso(f.createdAt),
      iso(f.firstAckAt),
      iso(f.closedAt),
      f.firstAckAt === null ? null : Math.round((f.firstAckAt - f.createdAt) / 1000),
      f.closedAt === null ? null : Math.round((f.closedAt - f.createdAt) / 1000),
      f.alertCount,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
