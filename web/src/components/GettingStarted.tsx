import { Anchor, Badge, CloseButton, Group, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconCheck, IconCircleDashed, IconConfetti } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useIntegration } from '../api/integrations';
import { useOnboarding } from '../api/me';
import { useProviders } from '../api/notifications';
import { isAdmin, useCurrentUser } from '../app/guards';
import { DemoDataButton } from './DemoDataButton';
import { NewTeamLink } from './NewTeamLink';
import { TestAlertButton } from './TestAlertButton';

interface Step {
  readonly key: string;
  readonly done: boolean;
  readonly action: ReactNode;
  /** Worth doing but not needed to be paged (app push is per device, and not every browser has it). */
  readonly optional?: boolean;
}

/** Methods a verification code or a first page can travel by. */
const CONTACT_METHODS = new Set(['email', 'sms', 'voice']);

/**
 * The console home's "Getting started" checklist for administrators: from an empty instance to the
 * first page, one step at a time, each ticking itself when done (the server says what exists) and
 * each leading to the page where it is done, or doing it in place. The test alert comes last, so it
 * pages the person through the rule they just made. Dismissable; once every step is done it says so.
 */
export function GettingStarted() {
  const { t } = useTranslation('onboarding');
  const me = useCurrentUser();
  const admin = isAdmin(me);
  const [dismissed, setDismissed] = useLocalStorage({ key: `tocsin.getting-started.dismissed.${me.id}`, defaultValue: false });
  const state = useOnboarding({ enabled: admin && !dismissed });
  const providers = useProviders();
  if (!admin || dismissed || !state.data) return null;
  const s = state.data;
  const refresh = () => void state.refetch();
  const channelPath = s.channel_id ? `/channels/${s.channel_id}` : '/channels';
  const needsChannel = (
    <Text size="xs" c="dimmed">
      {t('steps.needsChannel')}
    </Text>
  );
  const canDeliver = (providers.data ?? []).some((p) => p.enabled && p.methods.some((m) => CONTACT_METHODS.has(m)));
  const steps: Step[] = [
    { key: 'team', done: s.in_team, action: <NewTeamLink emphasise onCreated={refresh} /> },
    { key: 'channel', done: s.channel_id !== null, action: <StepLink to="/channels?create=1">{t('steps.channel.action')}</StepLink> },
    {
      key: 'integration',
      done: s.integration_id !== null,
      action: s.channel_id ? <StepLink to={`${channelPath}/integrations`}>{t('steps.integration.action')}</StepLink> : needsChannel,
    },
    { key: 'rule', done: s.has_rule, action: s.channel_id ? <StepLink to={`${channelPath}/escalation`}>{t('steps.rule.action')}</StepLink> : needsChannel },
    { key: 'delivery', done: canDeliver, action: <StepLink to="/settings/providers">{t('steps.delivery.action')}</StepLink> },
    { key: 'contact', done: s.verified_contact, action: <StepLink to="/me">{t('steps.contact.action')}</StepLink> },
    { key: 'push', done: s.push_device, optional: true, action: <StepLink to="/me#push-devices">{t('steps.push.action')}</StepLink> },
    {
      key: 'alert',
      done: s.has_alert,
      action: s.integration_id ? (
        <FirstIntegrationTestAlert integrationId={s.integration_id} onSent={refresh} />
      ) : (
        <Text size="xs" c="dimmed">
          {t('steps.needsIntegration')}
        </Text>
      ),
    },
  ];
  const required = steps.filter((step) => !step.optional);
  const doneCount = required.filter((step) => step.done).length;
  const allDone = doneCount === required.length;
  const hide = <CloseButton aria-label={t('checklist.hide')} onClick={() => setDismissed(true)} />;

  if (allDone) {
    return (
      <Paper withBorder radius="lg" p="lg" mb="lg" data-testid="getting-started" data-complete="true" aria-labelledby="getting-started-title">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon color="teal" variant="light" radius="xl" size="lg" aria-hidden>
              <IconConfetti size={20} />
            </ThemeIcon>
            <Stack gap={2}>
              <Title order={2} fz="lg" id="getting-started-title">
                {t('checklist.allDoneTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('checklist.allDoneText')}
              </Text>
              <Anchor component={Link} to="/people" size="sm" fw={500}>
                {t('checklist.invite')}
              </Anchor>
            </Stack>
          </Group>
          {hide}
        </Group>
        <StepList steps={steps} mt="md" />
      </Paper>
    );
  }

  return (
    <Paper withBorder radius="lg" p="lg" mb="lg" data-testid="getting-started" data-complete="false" aria-labelledby="getting-started-title">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        {/* The demo button sits beside the title where there is room and under it on a phone; the close button stays in the corner. */}
        <Group gap="xs" align="flex-start" justify="space-between" wrap="wrap" style={{ flex: 1 }}>
          <Stack gap={2} style={{ flex: '1 1 320px' }}>
            <Title order={2} fz="lg" id="getting-started-title">
              {t('checklist.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('checklist.subtitle')}
            </Text>
          </Stack>
          {!s.channel_id && <DemoDataButton />}
        </Group>
        {hide}
      </Group>
      <Progress value={(doneCount / required.length) * 100} mt="md" mb="sm" aria-label={t('checklist.progress', { done: doneCount, total: required.length })} />
      <StepList steps={steps} />
    </Paper>
  );
}

function StepList({ steps, mt }: { steps: Step[]; mt?: string }) {
  const { t } = useTranslation('onboarding');
  return (
    <Stack gap={0} component="ol" mt={mt} style={{ listStyle: 'none', padding: 0, marginBottom: 0, marginInline: 0 }}>
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
          data-optional={step.optional === true}
        >
          <Group gap="sm" wrap="nowrap" align="flex-start" style={{ flex: '1 1 260px' }}>
            <ThemeIcon variant={step.done ? 'filled' : 'light'} color={step.done ? 'teal' : 'gray'} radius="xl" size="md" aria-hidden>
              {step.done ? <IconCheck size={16} /> : <IconCircleDashed size={16} />}
            </ThemeIcon>
            <Stack gap={0}>
              <Text fw={600} size="sm" td={step.done ? 'line-through' : undefined} c={step.done ? 'dimmed' : undefined}>
                {index + 1}. {t(`steps.${step.key}.title`)}
                {step.done && (
                  <Badge ml="xs" size="xs" color="teal" variant="light">
                    {t('checklist.done')}
                  </Badge>
                )}
                {step.optional && !step.done && (
                  <Badge ml="xs" size="xs" color="gray" variant="light">
                    {t('checklist.optional')}
                  </Badge>
                )}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`steps.${step.key}.description`)}
              </Text>
            </Stack>
          </Group>
          {!step.done && step.action}
        </Group>
      ))}
    </Stack>
  );
}

function StepLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} size="sm" fw={500}>
      {children}
    </Anchor>
  );
}

function FirstIntegrationTestAlert({ integrationId, onSent }: { integrationId: string; onSent: () => void }) {
  const integration = useIntegration(integrationId);
  if (!integration.data) return null;
  return <TestAlertButton integration={integration.data} onSent={onSent} />;
}
