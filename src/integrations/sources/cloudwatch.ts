/**
 * AWS SNS HTTP(S) messages carrying CloudWatch alarms (`POST /event/push/alert/cloudwatch`, body sent
 * as `text/plain` JSON). The route first calls {@link classifySnsMessage}: subscription and unsubscribe
 * confirmations are not events (the route confirms by fetching a trusted `SubscribeURL`), and it checks
 * the signature with {@link verifySnsSignature} after fetching a certificate from a URL that passes
 * {@link isTrustedSnsCertUrl}. Only then does the mapper turn the notification into an event.
 */
import { parseBoundedJson } from '../../core/json.js';
import { ownValue } from '../../core/lookup.js';
import { createVerify } from 'node:crypto';
import { SourceError, type EventStatus, type NormalizedEvent, type Severity, type SourceMapper } from '../model.js';
import { bodyObject, isRecord, labelsOf, optionalString, parseTime, truncate, type JsonObject } from './read.js';
import { applySeverityOverride, CLOUDWATCH_STATE } from './severity.js';

/** The fields of an SNS HTTP(S) message that matter here. */
export interface SnsMessage {
  readonly Type: string;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly Subject?: string | undefined;
  readonly SubscribeURL?: string | undefined;
  readonly Token?: string | undefined;
  readonly SignatureVersion?: string | undefined;
  readonly Signature?: string | undefined;
  readonly SigningCertURL?: string | undefined;
  readonly UnsubscribeURL?: string | undefined;
}

export type SnsClassification =
  | { readonly kind: 'subscription'; readonly subscribeUrl: string; readonly topicArn: string; readonly message: SnsMessage }
  | { readonly kind: 'unsubscribe'; readonly topicArn: string; readonly message: SnsMessage }
  | { readonly kind: 'notification'; readonly topicArn: string; readonly message: SnsMessage };

/** Parses an SNS message (text or parsed JSON) and says what it is; malformed messages throw SourceError. */
export function classifySnsMessage(body: unknown): SnsClassification {
  const message = readSnsMessage(body);
  switch (message.Type) {
    case 'SubscriptionConfirmation': {
      if (!message.SubscribeURL) throw new SourceError('SubscribeURL', 'is required');
      return { kind: 'subscription', subscribeUrl: message.SubscribeURL, topicArn: message.TopicArn, message };
    }
    case 'UnsubscribeConfirmation':
      return { kind: 'unsubscribe', topicArn: message.TopicArn, message };
    case 'Notification':
      return { kind: 'notification', topicArn: message.TopicArn, message };
    default:
      throw new SourceError('Type', 'must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation');
  }
}

function readSnsMessage(body: unknown): SnsMessage {
  const obj = bodyObject(body);
  const required = (key: string): string => {
    const value = optionalString(obj, key, key);
    if (value === undefined) throw new SourceError(key, 'is required');
    return value;
  };
  const optional = (key: string): string | undefined => optionalString(obj, key, key);
  return {
    Type: required('Type'),
    MessageId: required('MessageId'),
    TopicArn: required('TopicArn'),
    Message: required('Message'),
    Timestamp: required('Timestamp'),
    Subject: optional('Subject'),
    SubscribeURL: optional('SubscribeURL'),
    Token: optional('Token'),
    SignatureVersion: optional('SignatureVersion'),
    Signature: optional('Signature'),
    SigningCertURL: optional('SigningCertURL'),
    UnsubscribeURL: optional('UnsubscribeURL'),
  };
}

/** The string SNS signs: `Key\nvalue\n` for the type's fields in byte order (Subject only when present). */
export function snsSigningString(message: SnsMessage): string {
  const keys: (keyof SnsMessage)[] =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let out = '';
  for (const key of keys) {
    const value = message[key];
    if (value === undefined) continue;
    out += `${key}\n${value}\n`;
  }
  return out;
}

/**
 * Verifies an SNS signature (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA) with the signing
 * certificate (PEM; a PEM public key works too). False for any other version or a missing signature.
 */
export function verifySnsSignature(message: SnsMessage, certificatePem: string): boolean {
  const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : message.SignatureVersion === '2' ? 'RSA-SHA256' : undefined;
  if (!algorithm || !message.Signature) return false;
  try {
    return createVerify(algorithm).update(snsSigningString(message), 'utf8').verify(certificatePem, message.Signature, 'base64');
  } catch {
    return false;
  }
}

/** SNS endpoints of commercial regions: `sns.<region>.amazonaws.com`. */
export const SNS_HOST_PATTERN = /^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/;

/** True when `url` may be fetched as the signing certificate: https, a trusted host, a `.pem` path. */
export function isTrustedSnsCertUrl(url: string, allowedHostPattern: RegExp = SNS_HOST_PATTERN): boolean {
  const parsed = parseHttpsUrl(url, allowedHostPattern);
  return parsed !== undefined && parsed.pathname.endsWith('.pem');
}

/** True when a `SubscribeURL` may be fetched: https and a trusted host. */
export function isTrustedSnsSubscribeUrl(url: string, allowedHostPattern: RegExp = SNS_HOST_PATTERN): boolean {
  return parseHttpsUrl(url, allowedHostPattern) !== undefined;
}

function parseHttpsUrl(url: string, hostPattern: RegExp): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return undefined;
  return hostPattern.test(parsed.hostname) ? parsed : undefined;
}

export interface CloudWatchOptions {
  /** Severity of `ALARM` (default Warning). */
  readonly alarmSeverity?: Severity | undefined;
  /** Severity of `INSUFFICIENT_DATA` (default Info). */
  readonly insufficientDataSeverity?: Severity | undefined;
}

/**
 * A CloudWatch mapper with per-integration options. `AlarmArn` is the alert key (alarms older than the
 * ARN field fall back to `<account>:<region>:<name>`). A notification whose Message is not an alarm
 * (another publisher on the topic) becomes a Warning event titled by its Subject, without a key.
 */
export function createCloudWatchMapper(options: CloudWatchOptions = {}): SourceMapper {
  const states: Readonly<Record<string, EventStatus>> = {
    ...CLOUDWATCH_STATE,
    ...(options.alarmSeverity ? { ALARM: options.alarmSeverity } : {}),
    ...(options.insufficientDataSeverity ? { INSUFFICIENT_DATA: options.insufficientDataSeverity } : {}),
  };
  return (input) => {
    const classified = classifySnsMessage(input.body);
    if (classified.kind !== 'notification') return [];
    const message = classified.message;

    const parsed = parseBoundedJson(message.Message);
    const alarm: unknown = parsed.ok ? parsed.value : undefined;
    const event = isRecord(alarm) && 'NewStateValue' in alarm ? alarmEvent(alarm, message, states, input.now) : plainEvent(message, input.now);
    return applySeverityOverride([event], input.query);
  };
}

function alarmEvent(alarm: JsonObject, message: SnsMessage, states: Readonly<Record<string, EventStatus>>, now: number): NormalizedEvent {
  const text = (key: string): string | undefined => optionalString(alarm, key, `Message.${key}`);
  const name = text('AlarmName');
  if (name === undefined || name === '') throw new SourceError('Message.AlarmName', 'is required');
  const state = text('NewStateValue') ?? '';
  const status = ownValue(states, state);
  if (status === undefined) throw new SourceError('Message.NewStateValue', 'must be ALARM, OK or INSUFFICIENT_DATA');

  const account = typeof alarm.AWSAccountId === 'number' ? String(alarm.AWSAccountId) : text('AWSAccountId');
  const region = text('Region');
  const changeTime = text('StateChangeTime');
  const eventTime = changeTime === undefined ? undefined : parseTime(changeTime);
  if (changeTime !== undefined && eventTime === undefined) throw new SourceError('Message.StateChangeTime', 'must be an ISO 8601 time');

  const trigger = alarm.Trigger;
  if (trigger !== undefined && trigger !== null && !isRecord(trigger)) throw new SourceError('Message.Trigger', 'must be an object');
  const metric: JsonObject = isRecord(trigger) ? trigger : {};

  const description = [text('AlarmDescription'), text('NewStateReason')].filter((part) => part !== undefined && part !== '').join('\n');
  return {
    title: name,
    status,
    action: status === 'Ok' ? 'resolve' : 'trigger',
    alertKey: text('AlarmArn') || `${account ?? ''}:${region ?? ''}:${name}`,
    description: truncate(description, 2048),
    labels: labelsOf(dimensionLabels(metric.Dimensions), {
      alarm_name: name,
      aws_account_id: account,
      region,
      namespace: metric.Namespace,
      metric_name: metric.MetricName,
      statistic: metric.Statistic ?? metric.ExtendedStatistic,
      comparison_operator: metric.ComparisonOperator,
      threshold: metric.Threshold,
      old_state: text('OldStateValue'),
      new_state: state,
      topic_arn: message.TopicArn,
    }),
    eventTime: eventTime ?? parseTime(message.Timestamp) ?? now,
  };
}

/** Each metric dimension becomes a label of its own name, e.g. `InstanceId=i-0abc`. */
function dimensionLabels(dimensions: unknown): Record<string, string> {
  if (!Array.isArray(dimensions)) return {};
  const out: Record<string, string> = {};
  for (const dimension of dimensions) {
    if (!isRecord(dimension)) continue;
    const name = dimension.name ?? dimension.Name;
    const value = dimension.value ?? dimension.Value;
    if (typeof name === 'string' && typeof value === 'string') out[name] = value;
  }
  return out;
}

function plainEvent(message: SnsMessage, now: number): NormalizedEvent {
  const firstLine = message.Message.split('\n', 1)[0] ?? '';
  return {
    title: truncate(message.Subject || firstLine || 'SNS notification', 512),
    status: 'Warning',
    action: 'trigger',
    alertKey: undefined,
    description: truncate(message.Message, 2048),
    labels: { topic_arn: message.TopicArn },
    eventTime: parseTime(message.Timestamp) ?? now,
  };
}

/** CloudWatch with the default severities (ALARM → Warning, INSUFFICIENT_DATA → Info). */
export const cloudwatchMapper: SourceMapper = createCloudWatchMapper();
