/**
 * Importers (issue 14): what a vendor account becomes in Tocsin, independent of the vendor. Each
 * vendor module turns the vendor's REST API answers into a {@link Bundle} (pure); the service then
 * plans and applies it. Pure types and functions only.
 */
import { createHash } from 'node:crypto';

export const VENDORS = ['opsgenie', 'pagerduty', 'grafana-oncall'] as const;
export type Vendor = (typeof VENDORS)[number];

/** Display names for messages and the replacement table. */
export const VENDOR_NAMES: Readonly<Record<Vendor, string>> = { opsgenie: 'Opsgenie', pagerduty: 'PagerDuty', 'grafana-oncall': 'Grafana OnCall' };

export function isVendor(value: string): value is Vendor {
  return (VENDORS as readonly string[]).includes(value);
}

export interface ImportedPerson {
  readonly vendorId: string;
  readonly name: string;
  readonly email: string;
  readonly timeZone?: string | undefined;
  /** E.164, imported unverified: nobody is paged until they verify it. */
  readonly phone?: string | undefined;
}

export interface ImportedTeam {
  readonly vendorId: string;
  readonly name: string;
  readonly description: string;
  readonly memberIds: readonly string[];
}

/** A Tocsin schedule layer in its API form, with vendor person ids in `members`. */
export interface ImportedLayer {
  readonly name: string;
  readonly members: readonly (readonly string[])[];
  readonly rotation: { readonly unit: 'hour' | 'day' | 'week' | 'month'; readonly count: number; readonly handoff_time: string; readonly weekday?: string | undefined };
  readonly start: number;
  readonly end: number | null;
  readonly restrictions:
    | { readonly kind: 'none' }
    | { readonly kind: 'daily'; readonly windows: readonly { start: string; end: string }[] }
    | { readonly kind: 'weekly'; readonly windows: readonly { start_day: string; start: string; end_day: string; end: string }[] };
  readonly role: string;
}

export interface ImportedOverride {
  readonly vendorId: string;
  readonly personId: string;
  readonly start: number;
  readonly end: number;
  /** The layer role it replaces (default primary). */
  readonly role?: string | undefined;
}

export interface ImportedSchedule {
  readonly vendorId: string;
  readonly name: string;
  readonly description: string;
  readonly timeZone: string;
  readonly teamId?: string | undefined;
  /** Lowest first: later layers win, as in Tocsin. */
  readonly layers: readonly ImportedLayer[];
  readonly overrides: readonly ImportedOverride[];
}

export interface ImportedTarget {
  readonly kind: 'person' | 'team' | 'schedule';
  readonly vendorId: string;
}

export interface ImportedLevel {
  readonly targets: readonly ImportedTarget[];
  /** Minutes to the next level (Tocsin: 1–720). */
  readonly escalateAfterMin: number;
  readonly repeatEveryMin?: number | undefined;
  readonly repeatTimes?: number | undefined;
}

export interface ImportedPolicy {
  readonly vendorId: string;
  readonly name: string;
  readonly teamId?: string | undefined;
  readonly levels: readonly ImportedLevel[];
  /** After the last level: repeat the whole policy this many times (0 = stop). */
  readonly loops: number;
}

export interface ImportedIntegration {
  readonly vendorId: string;
  readonly name: string;
  /** The Tocsin source it becomes. */
  readonly source: string;
  /** The URL the monitoring tool sends to today (shown in the replacement table). */
  readonly oldUrl: string;
  /** Grafana OnCall inbound kind: the new URL is Tocsin's `/integrations/v1/<kind>/<key>/`. */
  readonly oncallKind?: string | undefined;
}

/** A vendor service / Opsgenie team routing / OnCall integration group → a Tocsin channel. */
export interface ImportedService {
  readonly vendorId: string;
  readonly name: string;
  readonly description: string;
  readonly teamId?: string | undefined;
  readonly policyId?: string | undefined;
  readonly integrations: readonly ImportedIntegration[];
}

/** Something the vendor has that Tocsin cannot carry, and why. */
export interface Unmapped {
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

/** Everything read from one vendor account. Ids are the vendor's. */
export interface Bundle {
  readonly vendor: Vendor;
  /** The vendor API's base URL (mappings are kept per account). */
  readonly account: string;
  readonly people: readonly ImportedPerson[];
  readonly teams: readonly ImportedTeam[];
  readonly schedules: readonly ImportedSchedule[];
  readonly policies: readonly ImportedPolicy[];
  readonly services: readonly ImportedService[];
  readonly unmapped: readonly Unmapped[];
}

export type PlanAction = 'create' | 'update' | 'unchanged' | 'match';

/** One line of the plan (dry run) or report (real run). */
export interface PlanItem {
  readonly kind: 'person' | 'team' | 'schedule' | 'override' | 'channel' | 'escalation_rule' | 'integration';
  readonly name: string;
  readonly action: PlanAction;
  readonly detail?: string | undefined;
}

/** "In <tool>, replace <old URL> with <new URL>". */
export interface Replacement {
  readonly integration: string;
  readonly oldUrl: string;
  /** Unknown in a dry run for integrations not created yet. */
  readonly newUrl: string;
}

export interface ImportReport {
  readonly vendor: Vendor;
  readonly dryRun: boolean;
  readonly items: readonly PlanItem[];
  readonly unmapped: readonly Unmapped[];
  readonly replacements: readonly Replacement[];
}

/** A stable hash of an imported object: equal → the re-run writes nothing. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The CLI's text: the plan or report, then the replacement table. */
export function renderReport(report: ImportReport): string {
  const lines: string[] = [];
  const tool = VENDOR_NAMES[report.vendor];
  lines.push(report.dryRun ? `Dry run: nothing was written. Importing from ${tool} would:` : `Imported from ${tool}:`);
  const verb: Record<PlanAction, string> = report.dryRun
    ? { create: 'create', update: 'update', unchanged: 'keep (unchanged)', match: 'use existing' }
    : { create: 'created', update: 'updated', unchanged: 'unchanged', match: 'matched existing' };
  for (const item of report.items) lines.push(`  ${verb[item.action].padEnd(18)} ${item.kind.padEnd(16)} ${item.name}${item.detail ? ` (${item.detail})` : ''}`);
  if (report.unmapped.length > 0) {
    lines.push('', 'Cannot be mapped:');
    for (const u of report.unmapped) lines.push(`  ${u.kind} ${u.name}: ${u.reason}`);
  }
  lines.push('', `Replace URLs in your monitoring tools (${report.replacements.length}):`);
  lines.push('  | in (the tool sending to) | replace | with |', '  |---|---|---|');
  for (const r of report.replacements) lines.push(`  | ${r.integration} | ${r.oldUrl} | ${r.newUrl} |`);
  return lines.join('\n');
}
