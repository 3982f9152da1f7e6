/**
 * The shapes every source mapper produces and the ingest pipeline consumes. Pure types and
 * functions only (DESIGN §2).
 */

export { EVENT_STATUSES, SEVERITIES, SEVERITY_RANK } from '../core/event.js';
export type { EventAction, EventImage, EventLink, EventStatus, NormalizedEvent, Severity } from '../core/event.js';
import type { NormalizedEvent } from '../core/event.js';

/** A mapper's complaint about a payload: which field, which rule (answered as 400 InvalidParameter). */
export class SourceError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'SourceError';
  }
}

/** What a push request gives a mapper. */
export interface SourceInput {
  /** Parsed body (JSON object, form fields as an object, or the raw text for text bodies). */
  readonly body: unknown;
  /** Raw body text, for signature checks. */
  readonly rawBody: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Path parameters of the route, e.g. the Opsgenie `{alias}` of `/v2/alerts/{alias}/close`. */
  readonly params?: Readonly<Record<string, string | undefined>> | undefined;
  /** Current time, unix milliseconds (mappers never read the clock). */
  readonly now: number;
}

/** A pure mapper: vendor payload in, normalized events out, or a SourceError thrown. */
export type SourceMapper = (input: SourceInput) => NormalizedEvent[];
