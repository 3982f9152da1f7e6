import type { FieldError } from '../core/errors.js';
import { checkLength, collect } from '../core/validate.js';

import type { SourceName } from './sources/index.js';

export { isSourceName, SOURCE_NAMES, type SourceName } from './sources/index.js';

export interface RateLimit {
  readonly perSecond: number;
  readonly perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 100, perMinute: 1000 };

/** An ingestion endpoint. Dedicated ones belong to a channel; shared ones route to channels. */
export interface Integration {
  readonly id: string;
  /** Local part of the address of an email integration (`<prefix>@<inbound domain>`). */
  readonly emailPrefix: string | null;
  readonly channelId: string | null;
  readonly teamId: string | null;
  readonly name: string;
  readonly source: SourceName;
  readonly settings: IntegrationSettings;
  readonly disabled: boolean;
  readonly lastEventAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Per-integration settings, validated on save (never an unchecked blob). */
export interface IntegrationSettings {
  readonly rateLimit: RateLimit;
  /** Source-specific options (custom JSONPath mapping, Grafana HMAC secret name, CloudWatch severity…). */
  readonly sourceOptions: Readonly<Record<string, unknown>>;
  readonly enrichment: readonly unknown[];
  readonly pipeline: readonly unknown[];
  readonly routing: unknown;
}

export const DEFAULT_SETTINGS: IntegrationSettings = { rateLimit: DEFAULT_RATE_LIMIT, sourceOptions: {}, enrichment: [], pipeline: [], routing: null };

/** Checks the fields common to every integration. */
export function checkIntegrationBasics(input: { name?: string | undefined; rateLimit?: Partial<RateLimit> | undefined }): FieldError[] {
  const rate = input.rateLimit;
  return collect(
    input.name === undefined ? undefined : checkLength('name', input.name.trim(), 1, 100),
    rate?.perSecond === undefined || (Number.isInteger(rate.perSecond) && rate.perSecond >= 1 && rate.perSecond <= 10_000)
      ? undefined
      : { field: 'settings.rate_limit.per_second', message: 'must be an integer from 1 to 10000' },
    rate?.perMinute === undefined || (Number.isInteger(rate.perMinute) && rate.perMinute >= 1 && rate.perMinute <= 600_000)
      ? undefined
      : { field: 'settings.rate_limit.per_minute', message: 'must be an integer from 1 to 600000' },
  );
}

/** Where a source's events are pushed (SPEC §3.1); for email integrations, the address to mail. */
export function pushUrl(publicUrl: string, source: SourceName, key: string, email?: { prefix: string | null; domain: string }): string {
  switch (source) {
    case 'pagerduty':
      return `${publicUrl}/v2/enqueue`;
    case 'opsgenie':
      return `${publicUrl}/v2/alerts`;
    case 'email':
      return email?.prefix ? `${email.prefix}@${email.domain}` : '';
    case 'heartbeat':
      return `${publicUrl}/event/push/heartbeat?integration_key=${key}`;
    default:
      return `${publicUrl}/event/push/alert/${source === 'standard' ? 'standard' : source}?integration_key=${key}`;
  }
}
