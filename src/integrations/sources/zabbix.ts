/**
 * The JSON sent by our Zabbix webhook media type (`docs/integrations/zabbix/tocsin_media_type.yaml`,
 * `POST /event/push/alert/zabbix`). Each field carries one Zabbix macro; numbers may arrive as text.
 *
 * | field | macro |
 * |---|---|
 * | event_id | {EVENT.ID} (the problem's id, also in recovery and update messages) |
 * | event_value | {EVENT.VALUE}: 1 problem, 0 recovery |
 * | event_update | {EVENT.UPDATE.STATUS}: 1 for an update operation |
 * | event_ack | {EVENT.ACK.STATUS}: Yes / No |
 * | event_name | {EVENT.NAME} |
 * | event_severity / event_nseverity | {EVENT.SEVERITY} / {EVENT.NSEVERITY} |
 * | event_timestamp / event_recovery_timestamp | {EVENT.TIMESTAMP} / {EVENT.RECOVERY.TIMESTAMP} (unix seconds) |
 * | event_tags | {EVENT.TAGSJSON}: [{tag, value}] (the script parses it; a JSON string is accepted too) |
 * | event_opdata, event_update_action, event_update_user, event_update_message | {EVENT.OPDATA}, {EVENT.UPDATE.ACTION}, {USER.FULLNAME}, {EVENT.UPDATE.MESSAGE} |
 * | trigger_id, trigger_name, trigger_description, trigger_url | {TRIGGER.ID}, {TRIGGER.NAME}, {TRIGGER.DESCRIPTION}, {TRIGGER.URL} |
 * | host_name, host_host, host_ip, host_groups | {HOST.NAME}, {HOST.HOST}, {HOST.IP}, {TRIGGER.HOSTGROUP.NAME} |
 * | item_name, item_key, item_value | {ITEM.NAME}, {ITEM.KEY}, {ITEM.VALUE} |
 * | zabbix_url | {$ZABBIX.URL} |
 * | subject, message | {ALERT.SUBJECT}, {ALERT.MESSAGE} |
 */
import { parseBoundedJson } from '../../core/json.js';
import { ownValue } from '../../core/lookup.js';
import { SourceError, type EventStatus, type NormalizedEvent, type Severity, type SourceMapper } from '../model.js';
import { bodyObject, encodeUriPart, epochToMs, isRecord, labelsOf, optionalScalar, type JsonObject } from './read.js';
import { applySeverityOverride, ZABBIX_NSEVERITY, ZABBIX_SEVERITY } from './severity.js';

/** Zabbix media type JSON → one event; `event_id` is the alert key. */
export const zabbixMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const text = (key: string): string | undefined => optionalScalar(body, key, key);

  const eventId = text('event_id');
  if (eventId === undefined) throw new SourceError('event_id', 'is required');
  const value = text('event_value');
  if (value === undefined) throw new SourceError('event_value', 'is required');
  if (value !== '0' && value !== '1') throw new SourceError('event_value', 'must be 1 (problem) or 0 (recovery)');
  const title = text('event_name') ?? text('trigger_name') ?? text('subject');
  if (title === undefined) throw new SourceError('event_name', 'is required');

  const recovery = value === '0';
  const acknowledged = !recovery && text('event_update') === '1' && text('event_ack')?.toLowerCase() === 'yes';
  const severity = readSeverity(text('event_severity'), text('event_nseverity'));
  const status: EventStatus = recovery ? 'Ok' : severity;

  const zabbixUrl = text('zabbix_url')?.replace(/\/+$/, '');
  const triggerId = text('trigger_id');
  const eventUrl =
    zabbixUrl && triggerId ? `${zabbixUrl}/tr_events.php?triggerid=${encodeUriPart(triggerId)}&eventid=${encodeUriPart(eventId)}` : undefined;
  const hostName = text('host_name');
  const hostTechnical = text('host_host');

  const labels = labelsOf(readTags(body.event_tags), {
    host: hostName ?? hostTechnical,
    host_host: hostTechnical !== undefined && hostTechnical !== hostName ? hostTechnical : undefined,
    host_ip: text('host_ip'),
    host_groups: text('host_groups'),
    item_name: text('item_name'),
    item_key: text('item_key'),
    item_value: text('item_value'),
    opdata: text('event_opdata'),
    trigger_id: triggerId,
    trigger_url: text('trigger_url'),
    zabbix_event_id: eventId,
    zabbix_severity: text('event_severity'),
    zabbix_event_url: eventUrl,
  });

  const timestamp = readSeconds(
    recovery ? (text('event_recovery_timestamp') ?? text('event_timestamp')) : text('event_timestamp'),
    recovery ? 'event_recovery_timestamp' : 'event_timestamp',
  );
  const updateNote = acknowledged ? [text('event_update_user'), text('event_update_message')].filter(Boolean).join(': ') : '';

  const event: NormalizedEvent = {
    title,
    status: acknowledged ? severity : status,
    action: recovery ? 'resolve' : acknowledged ? 'acknowledge' : 'trigger',
    alertKey: eventId,
    description: text('trigger_description') ?? (updateNote || (text('message') ?? '')),
    labels,
    eventTime: timestamp ?? input.now,
  };
  return applySeverityOverride([event], input.query);
};

/** The severity name decides; the number is the fallback for renamed or translated severities. */
function readSeverity(name: string | undefined, number: string | undefined): Severity {
  const byName = name === undefined ? undefined : ownValue(ZABBIX_SEVERITY, name.toLowerCase());
  if (byName) return byName;
  const byNumber = number !== undefined && /^[0-5]$/.test(number) ? ZABBIX_NSEVERITY[Number(number)] : undefined;
  if (byNumber) return byNumber;
  if (name === undefined && number === undefined) throw new SourceError('event_severity', 'is required');
  if (name === undefined) throw new SourceError('event_nseverity', 'must be a number from 0 to 5');
  throw new SourceError('event_severity', 'must be one of Disaster, High, Average, Warning, Information, Not classified');
}

function readSeconds(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0) throw new SourceError(field, 'must be a unix time in seconds');
  return epochToMs(seconds);
}

/** `[{tag, value}]` (or its JSON text) → labels; a tag without value is `"true"`, a repeated tag joins with `,`. */
function readTags(value: unknown): Record<string, string> {
  let tags = value;
  if (tags === undefined || tags === null || tags === '') return {};
  if (typeof tags === 'string') {
    const parsed = parseBoundedJson(tags);
    if (!parsed.ok) throw new SourceError('event_tags', 'must be a list of {tag, value}');
    tags = parsed.value;
  }
  if (!Array.isArray(tags)) throw new SourceError('event_tags', 'must be a list of {tag, value}');
  const out: Record<string, string> = {};
  tags.forEach((item: unknown, i) => {
    if (!isRecord(item)) throw new SourceError(`event_tags[${i}]`, 'must be an object');
    const entry: JsonObject = item;
    const name = optionalScalar(entry, 'tag', `event_tags[${i}].tag`);
    if (name === undefined) throw new SourceError(`event_tags[${i}].tag`, 'is required');
    const tagValue = optionalScalar(entry, 'value', `event_tags[${i}].value`) ?? 'true';
    const previous = out[name];
    out[name] = previous === undefined || previous === tagValue ? tagValue : `${previous},${tagValue}`;
  });
  return out;
}
