import { Alert, Button, Chip, Group, List, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { PERSONAL_METHODS, useNotificationMethods, useNotificationPreferences, useProviders, useUpdateNotificationPreferences, type PersonalMethod } from '../../api/notifications';
import { SEVERITIES, type SeverityName } from '../../api/specs';
import type { Me, NotificationPreferences, ProviderConfig } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { SeverityBadge } from '../../components/IncidentBadges';
import { methodIcon, methodLabel } from '../../lib/methods';
import { notifyError, notifySuccess } from '../../lib/notify';
import { SectionCard } from './SectionCard';
import { useTestPerson } from '../../api/testNotifications';

interface Check {
  ok: boolean;
  text: string;
  testId: string;
}

/**
 * The seed FAQ ("why did I not get a call?") as live checks: is the phone verified, are calls and
 * SMS on for Critical, and is there a provider that can deliver each chosen method at all.
 */
function faqChecks(me: Me, prefs: NotificationPreferences, providers: ProviderConfig[] | undefined): Check[] {
  const chosen = new Set(SEVERITIES.flatMap((s) => prefs[s]));
  const checks: Check[] = [
    me.phone_verified
      ? { ok: true, text: 'Phone verified — calls and SMS can reach you', testId: 'check-phone' }
      : { ok: false, text: me.phone ? 'Phone not verified — no calls or SMS' : 'No phone number — no calls or SMS', testId: 'check-phone' },
    me.email_verified
      ? { ok: true, text: 'Email verified', testId: 'check-email' }
      : { ok: false, text: 'Email not verified — no email notifications', testId: 'check-email' },
    prefs.Critical.includes('sms')
      ? { ok: true, text: 'SMS enabled for Critical', testId: 'check-critical-sms' }
      : { ok: false, text: 'SMS not enabled for Critical', testId: 'check-critical-sms' },
    prefs.Critical.includes('voice')
      ? { ok: true, text: 'Calls enabled for Critical', testId: 'check-critical-voice' }
      : { ok: false, text: 'Calls not enabled for Critical', testId: 'check-critical-voice' },
  ];
  if (providers) {
    const delivered = new Set(providers.filter((p) => p.enabled).flatMap((p) => p.methods));
    const missing = PERSONAL_METHODS.filter((m) => chosen.has(m) && !delivered.has(m)).map(methodLabel);
    if (missing.length > 0) {
      checks.push({ ok: false, text: `No provider delivers ${missing.join(', ')} yet — ask an administrator`, testId: 'check-providers' });
    }
  }
  return checks;
}

/** How Tocsin reaches me per severity (SPEC §6), used by every rule level that follows preferences. */
export function NotificationPreferencesSection({ me }: { me: Me }) {
  const prefs = useNotificationPreferences();
  const test = useTestPerson();
  return (
    <SectionCard
      title="Notification preferences"
      description="How you are notified for each severity, whenever an escalation rule follows preferences. A failed method falls back to the next one you have."
      testId="notification-preferences-section"
    >
      {prefs.isPending ? (
        <Stack gap="sm">
          <Skeleton height={32} />
          <Skeleton height={32} />
          <Skeleton height={32} />
        </Stack>
      ) : prefs.isError ? (
        <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} />
      ) : (
        <PreferencesForm key={JSON.stringify(prefs.data)} me={me} saved={prefs.data} />
      )}
      <Group mt="md">
        <Button variant="default" loading={test.isPending} onClick={() => test.mutate(me.id, { onError: (e) => notifyError(e, 'Could not send the test') })} data-testid="test-my-notifications">
          Send me a test notification
        </Button>
        <Text size="xs" c="dimmed">
          One message through each verified method; the result of each appears here.
        </Text>
      </Group>
    </SectionCard>
  );
}

function PreferencesForm({ me, saved }: { me: Me; saved: NotificationPreferences }) {
  const update = useUpdateNotificationPreferences();
  const providers = useProviders();
  const [value, setValue] = useState<NotificationPreferences>(saved);
  const dirty = JSON.stringify(value) !== JSON.stringify(saved);
  const methods = useNotificationMethods();
  // A method nobody can deliver is not offered (issue 12); one already chosen stays, so it can be removed.
  const unavailable = new Map((methods.data ?? []).filter((m) => !m.available).map((m) => [m.method, m.reason ?? 'Not available']));
  const checks = faqChecks(me, value, providers.data);
  const problems = checks.filter((c) => !c.ok);

  const save = () =>
    update.mutate(value, {
      onSuccess: () => notifySuccess('Notification preferences saved'),
      onError: (error) => notifyError(error),
    });

  return (
    <Stack gap="md">
      {SEVERITIES.map((severity: SeverityName) => (
        <Group key={severity} gap="md" align="flex-start" wrap="wrap" data-testid={`preferences-${severity}`}>
          <div style={{ width: 90, paddingTop: 4, flexShrink: 0 }}>
            <SeverityBadge severity={severity} />
          </div>
          <Chip.Group multiple value={value[severity]} onChange={(methods) => setValue({ ...value, [severity]: PERSONAL_METHODS.filter((m) => methods.includes(m)) })}>
            <Group gap={6} style={{ flex: '1 1 300px' }} role="group" aria-label={`${severity} methods`}>
              {PERSONAL_METHODS.map((method: PersonalMethod) => {
                const Icon = methodIcon(method);
                return (
                  <Chip
                    key={method}
                    value={method}
                    size="sm"
                    icon={<IconCheck size={14} />}
                    disabled={unavailable.has(method) && !value[severity].includes(method)}
                    title={unavailable.get(method)}
                    data-testid={`pref-${severity}-${method}`}
                  >
                    <Group gap={4} wrap="nowrap" component="span">
                      <Icon size={14} />
                      {methodLabel(method)}
                    </Group>
                  </Chip>
                );
              })}
            </Group>
          </Chip.Group>
          {value[severity].length === 0 && (
            <Text size="xs" c="orange" w="100%" pl={{ base: 0, sm: 106 }}>
              Nothing selected: {severity} incidents will not reach you unless a rule names methods explicitly.
            </Text>
          )}
        </Group>
      ))}
      {unavailable.size > 0 && (
        <List spacing={2} size="xs" c="dimmed" data-testid="unavailable-methods">
          {[...unavailable].map(([method, reason]) => (
            <List.Item key={method} data-testid={`unavailable-${method}`}>
              {methodLabel(method as PersonalMethod)} is not available: {reason}
            </List.Item>
          ))}
        </List>
      )}
      <Group justify="flex-end" gap="sm">
        {dirty && (
          <Button variant="subtle" color="gray" onClick={() => setValue(saved)}>
            Reset
          </Button>
        )}
        <Button onClick={save} disabled={!dirty} loading={update.isPending} data-testid="preferences-save">
          Save preferences
        </Button>
      </Group>
      <Alert
        color={problems.length > 0 ? 'yellow' : 'teal'}
        variant="light"
        icon={problems.length > 0 ? <IconAlertTriangle size={18} /> : <IconCheck size={18} />}
        title={problems.length > 0 ? 'Not getting calls or SMS? Check these' : 'Everything needed to reach you is in place'}
        data-testid="preference-checks"
      >
        <List spacing={4} size="sm" center>
          {checks.map((check) => (
            <List.Item
              key={check.testId}
              data-testid={check.testId}
              data-ok={check.ok}
              icon={
                <ThemeIcon size={18} radius="xl" variant="light" color={check.ok ? 'teal' : 'yellow'}>
                  {check.ok ? <IconCheck size={12} /> : <IconAlertTriangle size={12} />}
                </ThemeIcon>
              }
            >
              {check.text}
            </List.Item>
          ))}
        </List>
      </Alert>
    </Stack>
  );
}
