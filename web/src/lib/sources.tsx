import {
  IconApi,
  IconBellRinging,
  IconBraces,
  IconBrandAws,
  IconChartLine,
  IconDog,
  IconFlame,
  IconHeartbeat,
  IconMail,
  IconRadar,
  IconServer,
  type Icon,
} from '@tabler/icons-react';
import type { SourceName } from '../api/types';
import { i18next } from '../i18n';

/** What the console tells people about each source; snippets follow docs/integrations/<source>.md. */
export interface SourceInfo {
  name: SourceName;
  label: string;
  icon: Icon;
  color: string;
  /** One line for the source picker. */
  blurb: string;
  /** How the key travels: in the URL, as PagerDuty's routing_key, as Opsgenie's GenieKey, or an email address. */
  keyStyle: 'url' | 'routing_key' | 'genie_key' | 'email';
  /** The ready-to-paste configuration, with the real URL and key filled in. */
  snippet?: (ctx: SnippetContext) => { language: string; title: string; code: string };
  /** Steps in the source's own UI, shown under the snippet. */
  steps?: string[];
  /** Whether the routing preview can read its payloads (only the standard format). */
  previewable?: boolean;
}

export interface SnippetContext {
  /** The push URL with the key, as the server returned it. */
  pushUrl: string;
  key: string;
}

/** The push URL without `?integration_key=…`, for configs that send the key in a header. */
export function bareUrl(pushUrl: string): string {
  return pushUrl.replace(/\?integration_key=[^&]*$/, '');
}

/** The server's origin, taken from a push URL (`https://tocsin.example.com`). */
export function originOf(pushUrl: string): string {
  try {
    return new URL(pushUrl).origin;
  } catch {
    return window.location.origin;
  }
}

export const SOURCES: ReadonlyArray<SourceInfo> = [
  {
    name: 'prometheus',
    label: 'Prometheus Alertmanager',
    icon: IconFlame,
    color: 'orange',
    blurb: 'Alertmanager webhook receiver; each alert of a group becomes one event.',
    keyStyle: 'url',
    snippet: ({ pushUrl, key }) => ({
      language: 'yaml',
      title: 'alertmanager.yml',
      code: `receivers:
  - name: tocsin
    webhook_configs:
      - url: ${bareUrl(pushUrl)}
        send_resolved: true
        max_alerts: 0            # send every alert of a group
        http_config:
          authorization:
            type: Bearer
            credentials: ${key}

route:
  receiver: tocsin
  group_by: [alertname, cluster]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h`,
    }),
    steps: ['Keep send_resolved: true, otherwise alerts never recover in Tocsin.', 'Reload Alertmanager (SIGHUP or POST /-/reload).'],
  },
  {
    name: 'grafana',
    label: 'Grafana',
    icon: IconChartLine,
    color: 'yellow',
    blurb: 'Grafana unified alerting contact point (webhook).',
    keyStyle: 'url',
    snippet: ({ pushUrl, key }) => ({
      language: 'yaml',
      title: 'Contact point (provisioning file)',
      code: `apiVersion: 1
contactPoints:
  - orgId: 1
    name: Tocsin
    receivers:
      - uid: tocsin
        type: webhook
        settings:
          url: ${bareUrl(pushUrl)}
          httpMethod: POST
          authorization_scheme: Bearer
          authorization_credentials: ${key}`,
    }),
    steps: ['Or in the UI: Alerting → Contact points → Add → Webhook, URL = the push URL above.', 'Route your notification policy to the Tocsin contact point.'],
  },
  {
    name: 'standard',
    label: 'Standard (HTTP API)',
    icon: IconApi,
    color: 'blue',
    blurb: 'Tocsin’s own JSON event: scripts, cron jobs, anything that can POST.',
    keyStyle: 'url',
    previewable: true,
    snippet: ({ pushUrl }) => ({
      language: 'sh',
      title: 'Send a test alert',
      code: `curl -sS -X POST '${pushUrl}' \\
  -H 'Content-Type: application/json' \\
  -d '{
        "title_rule": "$resource::$check is failing",
        "event_status": "Critical",
        "alert_key": "db-01/disk",
        "description": "Disk usage 97% on /var/lib/postgresql",
        "labels": {"resource": "db-01", "check": "disk", "env": "prod"}
      }'`,
    }),
    steps: ['Send "event_status": "Ok" with the same alert_key to recover the alert.'],
  },
  {
    name: 'zabbix',
    label: 'Zabbix',
    icon: IconServer,
    color: 'red',
    blurb: 'Webhook media type shipped with Tocsin (Zabbix 6.0 and later).',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({ language: 'text', title: 'Media “Send to” value', code: pushUrl }),
    steps: [
      'Alerts → Media types → Import docs/integrations/zabbix/tocsin_media_type.yaml.',
      'Users → your alerting user → Media → Add → Type “Tocsin”, Send to = the URL above.',
      'In the trigger action, add Operations, Recovery operations and Update operations sending to that user.',
    ],
  },
  {
    name: 'nagios',
    label: 'Nagios / Icinga',
    icon: IconHeartbeat,
    color: 'grape',
    blurb: 'Notification commands posting Nagios macros with curl.',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({
      language: 'cfg',
      title: '/etc/nagios/objects/tocsin.cfg (service command; the host command is alike)',
      code: `define command {
    command_name    notify-service-by-tocsin
    command_line    /usr/bin/curl -fsS --max-time 10 -X POST "${pushUrl}" \\
        --data-urlencode "NOTIFICATIONTYPE=$NOTIFICATIONTYPE$" --data-urlencode "HOSTNAME=$HOSTNAME$" \\
        --data-urlencode "HOSTADDRESS=$HOSTADDRESS$" --data-urlencode "SERVICEDESC=$SERVICEDESC$" \\
        --data-urlencode "SERVICESTATE=$SERVICESTATE$" --data-urlencode "SERVICEOUTPUT=$SERVICEOUTPUT$" \\
        --data-urlencode "LONGSERVICEOUTPUT=$LONGSERVICEOUTPUT$" --data-urlencode "TIMET=$TIMET$"
}`,
    }),
    steps: ['Add a contact using notify-service-by-tocsin (and notify-host-by-tocsin, see docs/integrations/nagios.md), then reload Nagios.'],
  },
  {
    name: 'cloudwatch',
    label: 'Amazon CloudWatch',
    icon: IconBrandAws,
    color: 'orange',
    blurb: 'CloudWatch alarms through an SNS HTTPS subscription.',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({
      language: 'sh',
      title: 'SNS subscription',
      code: `aws sns create-topic --name tocsin-alarms
aws sns subscribe --topic-arn arn:aws:sns:REGION:ACCOUNT:tocsin-alarms --protocol https \\
  --notification-endpoint "${pushUrl}"`,
    }),
    steps: ['Tocsin confirms the subscription itself.', 'Add the topic to each alarm’s “In alarm” and “OK” actions, otherwise alarms never recover.'],
  },
  {
    name: 'datadog',
    label: 'Datadog',
    icon: IconDog,
    color: 'violet',
    blurb: 'Datadog Webhooks integration with Tocsin’s payload template.',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({
      language: 'json',
      title: `Webhook URL: ${pushUrl} — payload:`,
      code: `{
  "alert_id": "$ALERT_ID",
  "aggreg_key": "$AGGREG_KEY",
  "alert_cycle_key": "$ALERT_CYCLE_KEY",
  "alert_transition": "$ALERT_TRANSITION",
  "alert_type": "$ALERT_TYPE",
  "alert_priority": "$ALERT_PRIORITY",
  "alert_title": "$ALERT_TITLE",
  "event_title": "$EVENT_TITLE",
  "event_msg": "$TEXT_ONLY_MSG",
  "alert_status": "$ALERT_STATUS",
  "alert_scope": "$ALERT_SCOPE",
  "event_id": "$ID",
  "date": "$DATE",
  "last_updated": "$LAST_UPDATED",
  "hostname": "$HOSTNAME",
  "tags": "$TAGS",
  "link": "$LINK",
  "org_id": "$ORG_ID",
  "org_name": "$ORG_NAME"
}`,
    }),
    steps: ['Integrations → Webhooks → New: name it “tocsin”, paste the URL and payload, then mention @webhook-tocsin in monitors.'],
  },
  {
    name: 'custom',
    label: 'Custom JSON',
    icon: IconBraces,
    color: 'cyan',
    blurb: 'Any JSON body, mapped with JSONPath rules you configure.',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({
      language: 'json',
      title: 'Example mapping (settings.source_options; see docs/integrations/custom.md)',
      code: `// POST your JSON to ${pushUrl}
{
  "split": "$.checks[*]",
  "title": "$['check name']",
  "status": "$.state",
  "statusMap": { "DOWN": "Critical", "UP": "Ok" },
  "alertKey": "$.id",
  "labels": "$.meta"
}`,
    }),
  },
  {
    name: 'pagerduty',
    label: 'PagerDuty Events API',
    icon: IconBellRinging,
    color: 'green',
    blurb: 'Drop-in for PagerDuty Events API v2: change only the host name.',
    keyStyle: 'routing_key',
    snippet: ({ pushUrl, key }) => ({
      language: 'sh',
      title: 'Send a test event',
      code: `curl -sS -X POST ${pushUrl} -H 'Content-Type: application/json' -d '{
  "routing_key": "${key}",
  "event_action": "trigger",
  "dedup_key": "db-01/disk",
  "payload": {"summary": "Disk full on db-01", "source": "db-01", "severity": "critical"}
}'`,
    }),
    steps: ['In tools that speak to PagerDuty, replace events.pagerduty.com with this server and use the key above as the integration (routing) key.'],
  },
  {
    name: 'opsgenie',
    label: 'Opsgenie Alert API',
    icon: IconRadar,
    color: 'indigo',
    blurb: 'Drop-in for the Opsgenie Alert API (GenieKey authentication).',
    keyStyle: 'genie_key',
    snippet: ({ pushUrl, key }) => ({
      language: 'sh',
      title: 'Send a test alert',
      code: `curl -sS -X POST ${pushUrl} -H 'Authorization: GenieKey ${key}' \\
  -H 'Content-Type: application/json' -d '{
  "message": "Backup of db-01 failed", "alias": "backup-db-01", "priority": "P2",
  "description": "pg_dump exited with 1", "details": {"host": "db-01"}
}'`,
    }),
    steps: ['In tools that speak to Opsgenie, replace api.opsgenie.com with this server and use the key above as the API key (GenieKey).'],
  },
  {
    name: 'email',
    label: 'Email',
    icon: IconMail,
    color: 'teal',
    blurb: 'Every email sent to the integration’s address becomes an alert.',
    keyStyle: 'email',
    steps: ['Title = subject, description = text body. Emails over 5 MB are refused.'],
  },
  {
    name: 'heartbeat',
    label: 'Heartbeat',
    icon: IconHeartbeat,
    color: 'pink',
    blurb: 'A dead man’s switch: no ping within the interval (+ grace) opens an incident; the next ping recovers it.',
    keyStyle: 'url',
    snippet: ({ pushUrl }) => ({
      language: 'sh',
      title: 'Ping from cron after the job succeeded (any or no body; GET works too)',
      code: `0 3 * * * /usr/local/bin/backup && curl -fsS -X POST '${pushUrl}'`,
    }),
    steps: [
      'Expects a ping every 300 s with 60 s grace by default; set settings.interval_s and settings.grace_s through the API to change them.',
      'The switch is armed by the first ping. Prometheus’ Watchdog alert can ping it through an Alertmanager webhook receiver.',
    ],
  },
];

const BY_NAME = new Map<string, SourceInfo>(SOURCES.map((s) => [s.name, s]));

/**
 * The entry in the console's language: texts live in the `integrations` namespace under
 * `sources.<name>`; the English above is the fallback (and what an unknown key shows).
 */
function localized(source: SourceInfo): SourceInfo {
  const key = `integrations:sources.${source.name}`;
  const t = (suffix: string, english: string, values: Record<string, string> = {}) => i18next.t(`${key}.${suffix}`, { defaultValue: english, ...values });
  const snippet = source.snippet;
  return {
    ...source,
    label: t('label', source.label),
    blurb: t('blurb', source.blurb),
    ...(source.steps && { steps: source.steps.map((step, index) => t(`steps.${index}`, step)) }),
    ...(snippet && {
      snippet: (ctx: SnippetContext) => {
        const english = snippet(ctx);
        return { ...english, title: t('snippetTitle', english.title, { url: ctx.pushUrl }) };
      },
    }),
  };
}

/** Every source, in the console's language, in catalog order. */
export function sourceList(): SourceInfo[] {
  return SOURCES.map(localized);
}

/** Catalog entry for a source name (unknown names get a neutral entry, never a crash). */
export function sourceInfo(name: string): SourceInfo {
  const known = BY_NAME.get(name);
  return known ? localized(known) : { name: name as SourceName, label: name, icon: IconApi, color: 'gray', blurb: '', keyStyle: 'url' };
}
