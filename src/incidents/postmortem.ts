/**
 * The post-mortem draft of an incident (SPEC §7, issue 11 item 6): markdown prefilled with what Tocsin
 * knows — summary, impact, the timeline as sentences, root cause and resolution — for people to edit.
 * Pure: the caller passes the incident, its channel name and the described timeline.
 */

export interface PostmortemIncident {
  readonly number: number;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly status: string;
  readonly impact: string;
  readonly created_at: number;
  readonly acknowledged_at: number | null;
  readonly closed_at: number | null;
  readonly root_cause: string | null;
  readonly resolution: string | null;
  readonly alert_count: number;
}

/** `2026-03-02 09:00 UTC`: post-mortems are shared across time zones, so one explicit zone. */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** Neutralises markdown that would break the document's own structure (a heading inside a title). */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

export function postmortemDraft(incident: PostmortemIncident, channelName: string, timeline: readonly { at: number; text: string; actor: string | null }[]): string {
  const lines: string[] = [];
  lines.push(`# Post-mortem: #${incident.number} ${inline(incident.title)}`, '');
  lines.push(`- **Channel:** ${inline(channelName)}`);
  lines.push(`- **Severity:** ${incident.severity}`);
  lines.push(`- **Status:** ${incident.status}`);
  lines.push(`- **Started:** ${utcMinute(incident.created_at)}`);
  if (incident.acknowledged_at !== null) lines.push(`- **Acknowledged:** ${utcMinute(incident.acknowledged_at)} (after ${duration(incident.acknowledged_at - incident.created_at)})`);
  if (incident.closed_at !== null) lines.push(`- **Resolved:** ${utcMinute(incident.closed_at)} (after ${duration(incident.closed_at - incident.created_at)})`);
  lines.push(`- **Alerts:** ${incident.alert_count}`, '');
  lines.push('## Summary', '', incident.description.trim() || '_What happened, in two or three sentences._', '');
  lines.push('## Impact', '', incident.impact.trim() || '_Who was affected, how, and for how long._', '');
  lines.push('## Timeline', '');
  if (timeline.length === 0) lines.push('_No entries._');
  for (const entry of timeline) lines.push(`- ${utcMinute(entry.at)} — ${inline(entry.text)}`);
  lines.push('');
  lines.push('## Root cause', '', incident.root_cause?.trim() || '_Why it happened._', '');
  lines.push('## Resolution', '', incident.resolution?.trim() || '_How it was fixed._', '');
  lines.push('## Action items', '', '- [ ] ', '');
  return lines.join('\n');
}
