import {
  IconAlertTriangle,
  IconCalendarTime,
  IconChartBar,
  IconMessage2Bolt,
  IconPlugConnected,
  IconWebhook,
} from '@tabler/icons-react';
import { UpcomingPage } from './UpcomingPage';

const ICON_SIZE = 28;

export function IncidentsPage() {
  return (
    <UpcomingPage
      title="Incidents"
      description="Everything that needs a responder, across the channels you can see."
      icon={<IconAlertTriangle size={ICON_SIZE} />}
      emptyTitle="No incidents yet"
      emptyDescription="Incidents raised from your channels' alerts will appear here, ready to acknowledge, escalate and resolve."
    />
  );
}

export function IntegrationsPage() {
  return (
    <UpcomingPage
      title="Integrations"
      description="Shared integrations route alerts from one source to many channels."
      icon={<IconPlugConnected size={ICON_SIZE} />}
      emptyTitle="No shared integrations yet"
      emptyDescription="Shared integrations for Prometheus, Grafana, Zabbix, PagerDuty and more will live here, with routing rules that pick the channel for each alert."
    />
  );
}

export function SchedulesPage() {
  return (
    <UpcomingPage
      title="Schedules"
      description="Who is on call, when, and who covers for whom."
      icon={<IconCalendarTime size={ICON_SIZE} />}
      emptyTitle="No schedules yet"
      emptyDescription="On-call schedules with rotations, layers and overrides will be managed here and used by escalation rules."
    />
  );
}

export function AnalyticsPage() {
  return (
    <UpcomingPage
      title="Analytics"
      description="How fast incidents are handled and how much noise reaches people."
      icon={<IconChartBar size={ICON_SIZE} />}
      emptyTitle="No data to analyze yet"
      emptyDescription="MTTA, MTTR, noise reduction and interruptions per person will be charted here once incidents flow in."
    />
  );
}

export function WebhooksPage() {
  return (
    <UpcomingPage
      title="Webhooks"
      description="Send incident and alert events to your own systems."
      icon={<IconWebhook size={ICON_SIZE} />}
      emptyTitle="No webhooks yet"
      emptyDescription="Outbound webhooks that post signed incident and alert events to your URLs will be configured here."
    />
  );
}

export function NotificationProvidersPage() {
  return (
    <UpcomingPage
      title="Notification providers"
      description="The services Tocsin uses to call, text, email and message people."
      icon={<IconMessage2Bolt size={ICON_SIZE} />}
      emptyTitle="No providers configured yet"
      emptyDescription="Twilio, SMTP, Slack, Feishu, DingTalk, Telegram and other delivery providers will be set up here."
    />
  );
}
