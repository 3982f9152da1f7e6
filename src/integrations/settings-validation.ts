import type { FieldError } from '../core/errors.js';
import { compileEnrichment, compilePipeline, type EnrichmentRule, type PipelineRule } from './enrichment.js';
import type { IntegrationSettings } from './integration-model.js';
import { compileRouting } from './routing.js';
import { validateCustomMapperSettings } from './sources/custom.js';
import { validateEmailOptions } from './email/mapper.js';
import { validateHeartbeatOptions } from './sources/heartbeat.js';

const SEVERITIES = ['Critical', 'Warning', 'Info'];

/** Source options each source understands; anything else is refused so typos surface on save. */
function checkSourceOptions(source: string, options: Readonly<Record<string, unknown>>): FieldError[] {
  const field = 'settings.source_options';
  if (source === 'custom') return validateCustomMapperSettings(options).map((p) => ({ field: p.field.replace(/^settings/, field), message: p.rule }));
  if (source === 'email') return validateEmailOptions(options);
  if (source === 'heartbeat') return validateHeartbeatOptions(options);
  const allowed: Record<string, (v: unknown) => string | undefined> =
    source === 'grafana'
      ? {
          hmac_secret: (v) => (typeof v === 'string' && v.length >= 8 && v.length <= 256 ? undefined : 'must be a secret of 8–256 characters'),
          signature_header: (v) => (typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v) ? undefined : 'must be an HTTP header name'),
          timestamp_header: (v) => (typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v) ? undefined : 'must be an HTTP header name'),
        }
      : source === 'cloudwatch'
        ? {
            alarmSeverity: (v) => (typeof v === 'string' && SEVERITIES.includes(v) ? undefined : 'must be Critical, Warning or Info'),
            insufficientDataSeverity: (v) => (typeof v === 'string' && SEVERITIES.includes(v) ? undefined : 'must be Critical, Warning or Info'),
            topic_arn: (v) => (typeof v === 'string' && /^arn:aws[a-z-]*:sns:[a-z0-9-]{1,32}:\d{12}:[A-Za-z0-9_.-]{1,256}$/.test(v) ? undefined : 'must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alarms'),
          }
        : {};
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(options)) {
    const check = allowed[key];
    const problem = check ? check(value) : `is not an option of ${source} integrations`;
    if (problem) errors.push({ field: `${field}.${key}`, message: problem });
  }
  return errors;
}

/** Every problem of an integration's settings, each with its dotted field (run on save). */
export function validateIntegrationSettings(source: string, settings: IntegrationSettings, shared: boolean): FieldError[] {
  const errors: FieldError[] = [...checkSourceOptions(source, settings.sourceOptions)];
  const enrichment = compileEnrichment(settings.enrichment as EnrichmentRule[], { field: 'settings.enrichment' });
  if (!enrichment.ok) errors.push(...enrichment.errors);
  const pipeline = compilePipeline(settings.pipeline as PipelineRule[], { field: 'settings.pipeline' });
  if (!pipeline.ok) errors.push(...pipeline.errors);
  if (shared) {
    const routing = compileRouting(settings.routing);
    if (!routing.ok) errors.push(...routing.errors);
  } else if (settings.routing !== null && settings.routing !== undefined) {
    errors.push({ field: 'settings.routing', message: 'only shared integrations route; a dedicated integration always feeds its channel' });
  }
  return errors;
}
