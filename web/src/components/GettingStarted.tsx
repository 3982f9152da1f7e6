import { Anchor, Badge, Button, CloseButton, Group, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useIntegration } from '../api/integrations';
import { useOnboarding } from '../api/me';
import { isAdmin, useCurrentUser } from '../app/guards';
import { notifyError, notifySuccess } from '../lib/notify';
import { DemoDataButton } from './DemoDataButton';

interface Step {
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly done: boolean;
  readonly action: ReactNode;
}

/**
 * The console home's "Getting started" checklist for administrators: from an empty instance to the
 * first page, one step at a time, each ticking itself when done (the server says what exists) and
 * each leading to the page where it is done. Dismissable; gone once every step is done.
 */
export function GettingStarted() {
  const me = useCurrentUser();
  const { t } = useTranslation('push');
  const admin = isAdmin(me);
  const [dismissed, setDismissed] = useLocalStorage({ key: `tocsin.getting-started.dismissed.${me.id}`, defaultValue: false });
  const state = useOnboarding({ enabled: admin && !dismissed });
  if (!admin || dismissed || !state.data) return null;
  const s = state.data;
  const channelPath = s.channel_id ? `/channels/${s.channel_id}` : '/channels';
  const steps: Step[] = [
    {
      key: 'team',
      title: 'Create a team with you in it',
      description: 'Teams own channels and schedules; their members are who gets paged.',
      done: s.in_team,
      action: <StepLink to="/teams">Go to teams</StepLink>,
    },
    {
      key: 'channel',
      title: 'Create a channel',
      description: 'A channel is the war room of one service: its integrations, rules and incidents.',
      done: s.channel_id !== null,
      action: <StepLink to="/channels?create=1">Create a channel</StepLink>,
    },
    {
      key: 'integration',
      title: 'Add an integration',
      description: 'Point Alertmanager, Grafana, Zabbix or any HTTP client at the URL it gives you.',
      done: s.integration_id !== null,
      action: s.channel_id ? <StepLink to={`${channelPath}/integrations`}>Add an integration</StepLink> : <Text size="xs">Create a channel first</Text>,
    },
    {
      key: 'alert',
      title: 'Send a test alert',
      description: 'It opens an incident, so you see the whole path work.',
      done: s.has_alert,
      action: s.integration_id ? <TestAlertButton integrationId={s.integration_id} onSent={() => void state.refetch()} /> : <Text size="xs">Add an integration first</Text>,
    },
    {
      key: 'rule',
      title: 'Set an escalation rule',
      description: 'Who is notified, how, and who next if nobody acknowledges.',
      done: s.has_rule,
      action: s.channel_id ? <StepLink to={`${channelPath}/escalation`}>Add a rule</StepLink> : <Text size="xs">Create a channel first</Text>,
    },
    {
      key: 'contact',
      title: 'Verify your email or phone',
      description: 'Tocsin only pages verified contacts. Choose how you want to be reached per severity.',
      done: s.verified_contact,
      action: <StepLink to="/me">Personal center</StepLink>,
    },
    {
      key: 'push',
      title: t('onboarding.title'),
      description: t('onboarding.description'),
      done: s.push_device,
      action: <StepLink to="/me#push-devices">{t('onboarding.action')}</StepLink>,
    },
  ];
  const doneCount = steps.filter((step) => step.done).length;
  if (doneCount === steps.length) return null;

  return (
    <Paper withBorder radius="lg" p="lg" mb="lg" data-testid="getting-started" aria-labelledby="getting-started-title">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="getting-started-title">
            Getting started
          </Title>
          <Text size="sm" c="dimmed">
            From nothing to your phone ringing, in about ten minutes. Or look around first with demo data.
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {!s.channel_id && <DemoDataButton />}
          <CloseButton aria-label="Hide the getting-started checklist" onClick={() => setDismissed(true)} />
        </Group>
      </Group>
      <Progress value={(doneCount / steps.length) * 100} mt="md" mb="sm" aria-label={`${doneCount} of ${steps.length} steps done`} />
      <Stack gap={0} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {steps.map((step, index) => (
          <Group
            key={step.key}
            component="li"
            justify="space-between"
            wrap="wrap"
            gap="sm"
            py="sm"
            style={{ borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-default-border)' }}
            data-testid={`onboarding-step-${step.key}`}
            data-done={step.done}
          >
            <Group gap="sm" wrap="nowrap" align="flex-start" style={{ flex: '1 1 260px' }}>
              <ThemeIcon variant={step.done ? 'filled' : 'light'} color={step.done ? 'teal' : 'gray'} radius="xl" size="md" aria-hidden>
                {step.done ? <IconCheck size={16} /> : <IconCircleDashed size={16} />}
              </ThemeIcon>
              <Stack gap={0}>
                <Text fw={600} size="sm" td={step.done ? 'line-through' : undefined} c={step.done ? 'dimmed' : undefined}>
                  {index + 1}. {step.title}
                  {step.done && (
                    <Badge ml="xs" size="xs" color="teal" variant="light">
                      Done
                    </Badge>
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {step.description}
                </Text>
              </Stack>
            </Group>
            {!step.done && step.action}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function StepLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} size="sm" fw={500}>
      {children}
    </Anchor>
  );
}

/** Fires a test alert at the first integration from the browser, on the integration's own push path. */
function TestAlertButton({ integrationId, onSent }: { integrationId: string; onSent: () => void }) {
  const integration = useIntegration(integrationId);
  const [sending, setSending] = useState(false);
  const data = integration.data;
  if (!data?.push_url || !data.integration_key) return <Text size="xs">See the integration’s snippet</Text>;
  const body = testAlertBody(data.source);
  if (!body) {
    return (
      <StepLink to={data.channel_id ? `/channels/${data.channel_id}/integrations` : '/integrations'}>Use the integration’s snippet</StepLink>
    );
  }
  const push = new URL(data.push_url);
  const send = async () => {
    setSending(true);
    try {
      const response = await fetch(`${push.pathname}${push.search}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`The integration answered ${response.status}`);
      notifySuccess('Test alert sent: an incident opens in its channel');
      onSent();
    } catch (error) {
      notifyError(error, 'Could not send the test alert');
    } finally {
      setSending(false);
    }
  };
  return (
    <Button size="xs" variant="light" loading={sending} onClick={() => void send()} data-testid="onboarding-send-test-alert">
      Send a test alert
    </Button>
  );
}

/** A test payload in the source's own shape, for the sources whose shape is simple JSON. */
function testAlertBody(source: string): object | null {
  if (source === 'standard') {
    return { title_rule: 'Test alert from the Tocsin console', event_status: 'Critical', alert_key: `tocsin-test-${Date.now()}`, labels: { check: 'getting-started' } };
  }
  if (source === 'prometheus') {
    return {
      version: '4',
      status: 'firing',
      receiver: 'tocsin',
      alerts: [{ status: 'firing', fingerprint: `tocsin-test-${Date.now()}`, labels: { alertname: 'TocsinTest', severity: 'critical' }, annotations: { summary: 'Test alert from the Tocsin console' }, startsAt: new Date().toISOString() }],
    };
  }
  return null;
}
