import {
  IconCalendarTime,
  IconChartBar,
  IconWebhook,
} from '@tabler/icons-react';
import { UpcomingPage } from './UpcomingPage';

const ICON_SIZE = 28;

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
