/**
 * Caps every push source shares (issue 10 item 12), applied at the edge after a mapper ran: one request
 * carries at most {@link MAX_EVENTS_PER_REQUEST} events (Alertmanager's batches are far smaller), and
 * one event at most {@link MAX_LABELS} labels of bounded size. Mappers of batch sources check the batch
 * length before mapping, so a 100 000-alert body costs no mapping work. Pure.
 *
 * Vendor payloads are cut rather than refused (a page with fewer labels beats a lost page, and
 * Alertmanager never resends a 4xx batch): extra labels are dropped in payload order and the label
 * `labels_cut=true` says so; long names and values are truncated. The standard event keeps the
 * stricter rules of SPEC §3.1 (it refuses over 50 labels), checked by its own mapper.
 */
import { SourceError, type NormalizedEvent } from '../model.js';
import { LABEL_VALUE_MAX, truncate } from './read.js';

export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_LABELS = 50;
export const LABEL_NAME_MAX = 128;
export const CUT_LABEL = 'labels_cut';

/** A payload over a size cap: answered 413 (not 400), so the sender knows to split it. */
export class TooLargeError extends SourceError {
  constructor(field: string, rule: string) {
    super(field, rule);
    this.name = 'TooLargeError';
  }
}

/** Throws {@link TooLargeError} when a batch has more items than one request may carry. */
export function checkBatchSize(length: number, field: string): void {
  if (length > MAX_EVENTS_PER_REQUEST) {
    throw new TooLargeError(field, `at most ${MAX_EVENTS_PER_REQUEST} per request (got ${length}); send smaller batches`);
  }
}

/** The events of one request within the shared caps. */
export function limitEvents(events: readonly NormalizedEvent[]): NormalizedEvent[] {
  checkBatchSize(events.length, 'events');
  return events.map(limitLabels);
}

function limitLabels(event: NormalizedEvent): NormalizedEvent {
  const entries = Object.entries(event.labels);
  const tooLong = entries.some(([name, value]) => name.length > LABEL_NAME_MAX || value.length > LABEL_VALUE_MAX);
  if (entries.length <= MAX_LABELS && !tooLong) return event;
  const labels: Record<string, string> = {};
  let kept = 0;
  const room = entries.length > MAX_LABELS ? MAX_LABELS - 1 : MAX_LABELS;
  for (const [name, value] of entries) {
    if (kept >= room) break;
    const key = truncate(name, LABEL_NAME_MAX);
    if (Object.hasOwn(labels, key)) continue;
    labels[key] = truncate(value, LABEL_VALUE_MAX);
    kept += 1;
  }
  if (entries.length > MAX_LABELS) labels[CUT_LABEL] = 'true';
  return { ...event, labels };
}
