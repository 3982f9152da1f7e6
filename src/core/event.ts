/**
 * The event vocabulary every domain shares (DESIGN §2: shared vocabulary lives in core, so domain
 * folders never import each other for a type): statuses, severities and the normalized event that
 * source mappers produce and the alert and incident domains consume. Pure types only.
 */

export const EVENT_STATUSES = ['Critical', 'Warning', 'Info', 'Ok'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export type Severity = Exclude<EventStatus, 'Ok'>;

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { Critical: 3, Warning: 2, Info: 1 };

/** Every severity, highest first. */
export const SEVERITIES: readonly Severity[] = ['Critical', 'Warning', 'Info'];

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
