/**
 * The shapes every source mapper produces and the ingest pipeline consumes. Pure types and
 * functions only (DESIGN §2).
 */

export const EVENT_STATUSES = ['Critical', 'Warning', 'Info', 'Ok'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export type Severity = Exclude<EventStatus, 'Ok'>;

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { Critical: 3, Warning: 2, Info: 1 };

export interface EventImage {
  readonly src: string;
  readonly alt?: string | undefined;
  readonly href?: string | undefined;
}

/** A link a source attached to an event (PagerDuty `links`). */
export interface EventLink {
  readonly href: string;
  readonly text?: string | undefined;
}

/** What an event asks of its alert: most sources only trigger and resolve. */
export type EventAction = 'trigger' | 'acknowledge' | 'resolve';

/** One event after a source mapper: vendor specifics gone, nothing stored yet. */
export interface NormalizedEvent {
  /** Title (≤ 512 chars; longer is truncated by the pipeline). */
  readonly title: string;
  /** `Ok` means recovery. For `action: 'acknowledge'` the status is the alert's current severity or Info. */
  readonly status: EventStatus;
  readonly action: EventAction;
  /** The source's key for the alert, if it has one (fingerprint, dedup_key, alias, AlarmArn...). */
  readonly alertKey?: string | undefined;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  /** When the source says it happened, unix milliseconds. */
  readonly eventTime?: number | undefined;
  readonly images?: readonly EventImage[] | undefined;
  /** Links the source attached (PagerDuty `links`); other sources keep their URLs as labels. */
  readonly links?: readonly EventLink[] | undefined;
  /** A change event (PagerDuty change events): shown on incidents, never notifies. */
  readonly change?: boolean | undefined;
}

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
