import { Anchor, Button, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Integration } from '../api/types';
import { notifyError, notifySuccess } from '../lib/notify';

/**
 * Fires a test alert at an integration from the browser, on the integration's own push path (the same
 * request a monitoring tool would send), so the whole path runs: incident, rule, notifications.
 */
export function TestAlertButton({ integration, onSent, size = 'xs' }: { integration: Integration; onSent?: () => void; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation('onboarding');
  const [sending, setSending] = useState(false);
  if (!integration.push_url || !integration.integration_key) return <Text size="xs">{t('testAlert.seeSnippet')}</Text>;
  const body = testAlertBody(integration.source);
  if (!body) {
    return (
      <Anchor component={Link} to={integration.channel_id ? `/channels/${integration.channel_id}/integrations` : '/integrations'} size="sm" fw={500}>
        {t('testAlert.useSnippet')}
      </Anchor>
    );
  }
  const push = new URL(integration.push_url);
  const send = async () => {
    setSending(true);
    try {
      const response = await fetch(`${push.pathname}${push.search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(t('testAlert.answered', { status: response.status }));
      notifySuccess(t('testAlert.sent'));
      onSent?.();
    } catch (error) {
      notifyError(error, t('testAlert.failed'));
    } finally {
      setSending(false);
    }
  };
  return (
    <Button size={size} variant="light" loading={sending} onClick={() => void send()} data-testid="send-test-alert">
      {t('testAlert.send')}
    </Button>
  );
}

/** A test payload in the source's own shape, for the sources whose shape is simple JSON. */
function testAlertBody(source: string): object | null {
  // A new key each time: every test opens its own alert instead of refreshing the last one.
  const key = `tocsin-test-${Date.now()}`;
  if (source === 'standard') {
    return { title_rule: 'Test alert from the Tocsin console', event_status: 'Critical', alert_key: key, labels: { check: 'getting-started' } };
  }
  if (source === 'prometheus') {
    return {
      version: '4',
      status: 'firing',
      receiver: 'tocsin',
      alerts: [
        {
          status: 'firing',
          fingerprint: key,
          labels: { alertname: 'TocsinTest', severity: 'critical' },
          annotations: { summary: 'Test alert from the Tocsin console' },
          startsAt: new Date().toISOString(),
        },
      ],
    };
  }
  return null;
}
