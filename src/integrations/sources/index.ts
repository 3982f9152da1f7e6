/**
 * The source registry: one pure mapper per push source of SPEC §3.1. Sources that need per-integration
 * settings are built by a factory; `email` is mapped by the email integration, not here.
 */
import type { SourceMapper } from '../model.js';
import { alertmanagerMapper } from './alertmanager.js';
import { cloudwatchMapper, createCloudWatchMapper } from './cloudwatch.js';
import { createCustomMapper } from './custom.js';
import { datadogMapper } from './datadog.js';
import { grafanaMapper } from './grafana.js';
import { heartbeatMapper } from './heartbeat.js';
import { nagiosMapper } from './nagios.js';
import { OPSGENIE_OPERATIONS } from './opsgenie.js';
import { pagerDutyChangeMapper, pagerDutyMapper } from './pagerduty.js';
import { standardMapper } from './standard.js';
import { zabbixMapper } from './zabbix.js';

/** The `source` names of `POST /api/v1/channels/{id}/integrations` (SPEC §9). */
export const SOURCE_NAMES = [
  'standard',
  'prometheus',
  'grafana',
  'zabbix',
  'nagios',
  'cloudwatch',
  'datadog',
  'custom',
  'pagerduty',
  'opsgenie',
  'email',
  'heartbeat',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Sources mapped without per-integration settings. */
export type FixedSourceName = Exclude<SourceName, 'custom' | 'email'>;

/**
 * The mapper of each settings-free source. `pagerduty` is `/v2/enqueue` and `opsgenie` is create-alert;
 * their other operations are in {@link PAGERDUTY_OPERATIONS} and {@link OPSGENIE_OPERATIONS}.
 * `cloudwatch` uses the default severities; {@link SOURCE_FACTORIES} builds one with options.
 */
export const SOURCES: Readonly<Record<FixedSourceName, SourceMapper>> = {
  standard: standardMapper,
  prometheus: alertmanagerMapper,
  grafana: grafanaMapper,
  zabbix: zabbixMapper,
  nagios: nagiosMapper,
  cloudwatch: cloudwatchMapper,
  datadog: datadogMapper,
  pagerduty: pagerDutyMapper,
  opsgenie: OPSGENIE_OPERATIONS.create,
  heartbeat: heartbeatMapper,
};

/** Builders for sources configured per integration (validate the settings on save first). */
export const SOURCE_FACTORIES = {
  custom: createCustomMapper,
  cloudwatch: createCloudWatchMapper,
} as const;

export const PAGERDUTY_OPERATIONS = { enqueue: pagerDutyMapper, change: pagerDutyChangeMapper } as const;

export { OPSGENIE_OPERATIONS };

/** True for a name of SPEC §9's source list. */
export function isSourceName(value: string): value is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(value);
}
