/**
 * Nagios (and Icinga 1 / Naemon) notifications (`POST /event/push/alert/nagios`): form or JSON fields
 * named after Nagios macros, e.g. `NOTIFICATIONTYPE=PROBLEM&HOSTNAME=db-01&SERVICEDESC=Disk&SERVICESTATE=CRITICAL`.
 * Field names are matched case-insensitively and may carry the `NAGIOS_` prefix of Nagios' environment macros.
 */
import { ownValue } from '../../core/lookup.js';
import { SourceError, type EventStatus, type NormalizedEvent, type SourceMapper } from '../model.js';
import { bodyObject, epochToMs, labelsOf, optionalScalar } from './read.js';
import { applySeverityOverride, NAGIOS_STATE } from './severity.js';

const HOST_STATES: readonly string[] = ['UP', 'DOWN', 'UNREACHABLE'];
const SERVICE_STATES: readonly string[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

/** Nagios notification → one event; the alert key is `HOSTNAME` or `HOSTNAME/SERVICEDESC`. */
export const nagiosMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const fields = new Map<string, string>();
  for (const key of Object.keys(body)) {
    // Macro names are identifiers; any other key cannot be a macro and is ignored.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)) continue;
    const name = key.toUpperCase().replace(/^NAGIOS_/, '');
    const text = optionalScalar(body, key, key);
    if (text !== undefined) fields.set(name, text);
  }
  const get = (name: string): string | undefined => fields.get(name);

  const host = get('HOSTNAME');
  if (host === undefined) throw new SourceError('HOSTNAME', 'is required');
  const service = get('SERVICEDESC');
  const stateField = service === undefined ? 'HOSTSTATE' : 'SERVICESTATE';
  const state = get(stateField)?.toUpperCase();
  const type = get('NOTIFICATIONTYPE')?.toUpperCase() ?? 'PROBLEM';
  const acknowledgement = type === 'ACKNOWLEDGEMENT';

  if (state === undefined) throw new SourceError(stateField, 'is required');
  const allowed = service === undefined ? HOST_STATES : SERVICE_STATES;
  const mapped: EventStatus | undefined = allowed.includes(state) ? ownValue(NAGIOS_STATE, state) : undefined;
  if (mapped === undefined) throw new SourceError(stateField, `must be one of ${allowed.join(', ')}`);

  const output = service === undefined ? [get('HOSTOUTPUT'), get('LONGHOSTOUTPUT')] : [get('SERVICEOUTPUT'), get('LONGSERVICEOUTPUT')];
  const comment = acknowledgement ? [get('NOTIFICATIONAUTHOR'), get('NOTIFICATIONCOMMENT')].filter(Boolean).join(': ') : '';
  const timet = get('TIMET');
  let eventTime = input.now;
  if (timet !== undefined) {
    if (!/^\d+$/.test(timet) || Number(timet) <= 0) throw new SourceError('TIMET', 'must be a unix time in seconds');
    eventTime = epochToMs(Number(timet));
  }

  const event: NormalizedEvent = {
    // The state is a label, not part of the title, so WARNING → CRITICAL stays one alert with one title.
    title: service === undefined ? `Host ${host}` : `${service} on ${host}`,
    // An acknowledgement of a problem keeps the problem's severity; of an OK state (rare) it is Info.
    status: acknowledgement && mapped === 'Ok' ? 'Info' : mapped,
    action: acknowledgement ? 'acknowledge' : mapped === 'Ok' ? 'resolve' : 'trigger',
    alertKey: service === undefined ? host : `${host}/${service}`,
    description: output.filter(Boolean).join('\n') || comment,
    labels: labelsOf({
      host,
      service,
      state,
      host_address: get('HOSTADDRESS'),
      host_alias: get('HOSTALIAS'),
      host_groups: get('HOSTGROUPNAMES'),
      service_groups: get('SERVICEGROUPNAMES'),
      notification_type: type,
      ack_author: acknowledgement ? get('NOTIFICATIONAUTHOR') : undefined,
      ack_comment: acknowledgement ? get('NOTIFICATIONCOMMENT') : undefined,
    }),
    eventTime,
  };
  return applySeverityOverride([event], input.query);
};
