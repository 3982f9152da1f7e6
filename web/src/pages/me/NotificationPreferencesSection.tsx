import { i18next } from '../../i18n';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Chip, Group, List, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { PERSONAL_METHODS, useNotificationMethods, useNotificationPreferences, useProviders, useUpdateNotificationPreferences, type PersonalMethod } from '../../api/notifications';
import { SEVERITIES, type SeverityName } from '../../api/specs';
import type { Me, NotificationPreferences, ProviderConfig } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { SeverityBadge, severityLabel } from '../../components/IncidentBadges';
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
  const t = (key: string, values?: Record<string, string>) => i18next.t(`me:preferences.checks.${key}`, values);
  const chosen = new Set(SEVERITIES.flatMap((s) => prefs[s]));
  const checks: Check[] = [
    me.phone_verified
      ? { ok: true, text: t('phoneOk'), testId: 'check-phone' }
      : { ok: false, text: me.phone ? t('phoneUnverified') : t('phoneMissing'), testId: 'check-phone' },
    me.email_verified
      ? { ok: true, text: t('emailOk'), testId: 'check-email' }
      : { ok: false, text: t('emailUnverified'), testId: 'check-email' },
    prefs.Critical.includes('sms')
      ? { ok: true, text: t('smsOk'), testId: 'check-critical-sms' }
      : { ok: false, text: t('smsOff'), testId: 'check-critical-sms' },
    prefs.Critical.includes('voice')
      ? { ok: true, text: t('voiceOk'), testId: 'check-critical-voice' }
      : { ok: false, text: t('voiceOff'), testId: 'check-critical-voice' },
  ];
  if (providers) {
    const delivered = new Set(providers.filter((p) => p.enabled).flatMap((p) => p.methods));
    const missing = PERSONAL_METHODS.filter((m) => chosen.has(m) && !delivered.has(m)).map(methodLabel);
    if (missing.length > 0) {
      checks.push({ ok: false, text: t('noProvider', { methods: missing.join(i18next.t('me:preferences.listSeparator')) }), testId: 'check-providers' });
    }
  }
  return checks;
}

/** The server's reason a method is unavailable (src/notify/preferences.ts), in the console's language. */
const UNAVAILABLE_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/^No .+ provider is set up yet/, 'noProvider'],
  [/^Add your phone number and verify it\.$/, 'addPhone'],
  [/^Verify your phone number\.$/, 'verifyPhone'],
  [/^Verify your email address: IM accounts/, 'verifyEmailIm'],
  [/^Verify your email address\.$/, 'verifyEmail'],
  [/^No device is registered for app push yet\.$/, 'noDevice'],
];

function unavailableReason(method: string, reason: string): string {
  const known = UNAVAILABLE_REASONS.find(([pattern]) => pattern.test(reason));
  return known ? i18next.t(`me:preferences.unavailable.${known[1]}`, { method: methodLabel(method) }) : reason;
}

/** How Tocsin reaches me per severity (SPEC §6), used by every rule level that follows preferences. */
export function NotificationPreferencesSection({ me }: { me: Me }) {
  const prefs = useNotificationPreferences();
  const test = useTestPerson();
  const { t } = useTranslation('me');
  return (
    <SectionCard
      title={t('preferences.title')}
      description={t('preferences.description')}
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
        <Button variant="default" loading={test.isPending} onClick={() => test.mutate(me.id, { onError: (e) => notifyError(e, t('preferences.testFailed')) })} data-testid="test-my-notifications">
          {t('preferences.test')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('preferences.testHint')}
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
  const { t } = useTranslation('me');
  // A method nobody can deliver is not offered (issue 12); one already chosen stays, so it can be removed.
  const unavailable = new Map((methods.data ?? []).filter((m) => !m.available).map((m) => [m.method, m.reason ? unavailableReason(m.method, m.reason) : t('preferences.notAvailable')]));
  const checks = faqChecks(me, value, providers.data);
  const problems = checks.filter((c) => !c.ok);

  const save = () =>
    update.mutate(value, {
      onSuccess: () => notifySuccess(t('preferences.saved')),
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
            <Group gap={6} style={{ flex: '1 1 300px' }} role="group" aria-label={t('preferences.methodsFor', { severity: severityLabel(severity) })}>
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
              {t('preferences.nothingSelected', { severity: severityLabel(severity) })}
            </Text>
          )}
        </Group>
      ))}
      {unavailable.size > 0 && (
        <List spacing={2} size="xs" c="dimmed" data-testid="unavailable-methods">
          {[...unavailable].map(([method, reason]) => (
            <List.Item key={method} data-testid={`unavailable-${method}`}>
              {t('preferences.methodUnavailable', { method: methodLabel(method as PersonalMethod), reason })}
            </List.Item>
          ))}
        </List>
      )}
      <Group justify="flex-end" gap="sm">
        {dirty && (
          <Button variant="subtle" color="gray" onClick={() => setValue(saved)}>
            {t('preferences.reset')}
          </Button>
        )}
        <Button onClick={save} disabled={!dirty} loading={update.isPending} data-testid="preferences-save">
          {t('preferences.save')}
        </Button>
      </Group>
      <Alert
        color={problems.length > 0 ? 'yellow' : 'teal'}
        variant="light"
        icon={problems.length > 0 ? <IconAlertTriangle size={18} /> : <IconCheck size={18} />}
        title={problems.length > 0 ? t('preferences.checksProblem') : t('preferences.checksOk')}
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
