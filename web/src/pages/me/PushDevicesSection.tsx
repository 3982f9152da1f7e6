import { ActionIcon, Alert, Badge, Button, Group, List, Paper, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBellOff, IconBellRinging, IconDeviceMobile, IconInfoCircle, IconSend, IconShare2, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePushConfig, usePushDevices, useRegisterPushDevice, useRemovePushDevice, useTestPushDevice, type PushDevice } from '../../api/pushDevices';
import { useCurrentUser } from '../../app/guards';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { notifyError } from '../../lib/notify';
import { currentSubscription, PermissionError, pushSupport, subscribe, subscribedWithOtherKey, SubscribeError, type PushSupport } from '../../pwa/pushSupport';
import { SectionCard } from './SectionCard';

/**
 * App push (issue 12 item 1): turn on notifications on this browser — the console installed on a
 * phone is the on-call app — and manage every device that receives them.
 */
export function PushDevicesSection() {
  const { t } = useTranslation('push');
  const me = useCurrentUser();
  const config = usePushConfig();
  const devices = usePushDevices();
  const register = useRegisterPushDevice();
  const remove = useRemovePushDevice();
  const test = useTestPushDevice();
  const [support, setSupport] = useState<PushSupport>(() => pushSupport());
  // Which registered device is this browser (the server never returns endpoints).
  const [thisDeviceId, setThisDeviceId] = useLocalStorage<string | null>({ key: `tocsin.push-device.${me.id}`, defaultValue: null });
  const [subscribedHere, setSubscribedHere] = useState(false);
  const [toRemove, setToRemove] = useState<PushDevice | null>(null);
  const [enabling, setEnabling] = useState(false);

  const publicKey = config.data?.public_key ?? null;
  useEffect(() => {
    if (!publicKey || support.kind !== 'supported') return;
    let cancelled = false;
    void currentSubscription(publicKey)
      .then((subscription) => !cancelled && setSubscribedHere(subscription !== null))
      .catch(() => !cancelled && setSubscribedHere(false));
    return () => {
      cancelled = true;
    };
  }, [publicKey, support.kind, devices.data]);

  // The server's VAPID keys changed since this browser subscribed: subscribe again with the new key
  // (permission is already granted, so no prompt) and register the new subscription in place.
  const registerDevice = register.mutateAsync;
  useEffect(() => {
    if (!publicKey || support.kind !== 'supported' || support.permission !== 'granted' || thisDeviceId === null) return;
    let cancelled = false;
    void (async () => {
      if (!(await subscribedWithOtherKey(publicKey)) || cancelled) return;
      const subscription = await subscribe(publicKey);
      const device = await registerDevice({ endpoint: subscription.endpoint ?? '', keys: { p256dh: subscription.keys?.p256dh ?? '', auth: subscription.keys?.auth ?? '' } });
      if (!cancelled) {
        setThisDeviceId(device.id);
        setSubscribedHere(true);
      }
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [publicKey, support, thisDeviceId, registerDevice, setThisDeviceId]);

  const list = devices.data ?? [];
  const enabledHere = subscribedHere && thisDeviceId !== null && list.some((d) => d.id === thisDeviceId);

  const enable = async () => {
    if (!publicKey) return;
    setEnabling(true);
    try {
      const subscription = await subscribe(publicKey);
      const device = await register.mutateAsync({
        endpoint: subscription.endpoint ?? '',
        keys: { p256dh: subscription.keys?.p256dh ?? '', auth: subscription.keys?.auth ?? '' },
      });
      setThisDeviceId(device.id);
      setSubscribedHere(true);
      notifications.show({ color: 'teal', message: t('enabled', { device: device.label }), autoClose: 4000 });
    } catch (error) {
      if (error instanceof PermissionError) setSupport(pushSupport());
      else if (error instanceof SubscribeError) notifications.show({ color: 'red', title: t('enableFailed'), message: t('subscribeFailed', { reason: error.reason }), autoClose: 12_000 });
      else notifyError(error, t('enableFailed'));
    } finally {
      setEnabling(false);
    }
  };

  const sendTest = (device: PushDevice) => {
    test.mutate(device.id, {
      onSuccess: (result) =>
        notifications.show({
          color: result.status === 'sent' ? 'teal' : 'red',
          title: result.status === 'sent' ? t('test.sentTitle') : t('test.failedTitle'),
          message: result.status === 'sent' ? t('test.sent', { device: device.label }) : result.removed ? t('test.removed', { device: device.label }) : (result.error ?? ''),
          autoClose: result.status === 'sent' ? 5000 : 12_000,
        }),
      onError: (error) => notifyError(error),
    });
  };

  const confirmRemove = () => {
    if (!toRemove) return;
    remove.mutate(toRemove.id, {
      onSuccess: () => notifications.show({ color: 'teal', message: t('removed', { device: toRemove.label }), autoClose: 3000 }),
      onError: (error) => notifyError(error),
      onSettled: () => setToRemove(null),
    });
  };

  return (
    <SectionCard title={t('title')} description={t('description')} testId="push-devices-section">
      <Stack gap="md" id="push-devices">
        {config.isError ? (
          <ErrorState error={config.error} onRetry={() => void config.refetch()} />
        ) : config.isPending ? (
          <Skeleton height={36} />
        ) : !config.data.available ? (
          <Alert variant="light" color="gray" icon={<IconBellOff size={18} />} data-testid="push-state-off">
            {t('state.off')}
          </Alert>
        ) : (
          <ThisDevice support={support} enabledHere={enabledHere} enabling={enabling || register.isPending} onEnable={() => void enable()} />
        )}

        {devices.isError ? (
          <ErrorState error={devices.error} onRetry={() => void devices.refetch()} />
        ) : devices.isPending ? (
          <Skeleton height={56} />
        ) : list.length === 0 ? (
          <EmptyState bare icon={<IconDeviceMobile size={28} />} title={t('empty.title')} description={t('empty.description')} />
        ) : (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('listLabel')}>
            {list.map((device) => (
              <Paper key={device.id} component="li" withBorder radius="md" p="sm" data-testid="push-device-row">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Stack gap={0}>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {device.label}
                      </Text>
                      {device.id === thisDeviceId && (
                        <Badge size="sm" variant="light" color="teal">
                          {t('thisDevice')}
                        </Badge>
                      )}
                    </Group>
                    <Group gap={4} wrap="wrap">
                      <Text size="xs" c="dimmed">
                        {t('added')}
                      </Text>
                      <RelativeTime ms={device.created_at} />
                      <Text size="xs" c="dimmed">
                        · {device.last_success_at ? t('lastDelivered') : t('neverDelivered')}
                      </Text>
                      {device.last_success_at && <RelativeTime ms={device.last_success_at} />}
                    </Group>
                  </Stack>
                  <Group gap="xs">
                    <Button size="xs" variant="light" leftSection={<IconSend size={14} />} loading={test.isPending && test.variables === device.id} onClick={() => sendTest(device)} data-testid="push-device-test">
                      {t('sendTest')}
                    </Button>
                    <Tooltip label={t('remove', { device: device.label })}>
                      <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('remove', { device: device.label })} onClick={() => setToRemove(device)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
      <ConfirmDialog
        opened={toRemove !== null}
        onClose={() => setToRemove(null)}
        title={t('confirmRemove.title')}
        message={t('confirmRemove.message', { device: toRemove?.label ?? '' })}
        confirmLabel={t('confirmRemove.confirm')}
        loading={remove.isPending}
        onConfirm={confirmRemove}
      />
    </SectionCard>
  );
}

/** This browser: the button that turns notifications on, or why it cannot (and what to do). */
function ThisDevice({ support, enabledHere, enabling, onEnable }: { support: PushSupport; enabledHere: boolean; enabling: boolean; onEnable: () => void }) {
  const { t } = useTranslation('push');
  switch (support.kind) {
    case 'insecure':
      return (
        <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} />} data-testid="push-state-insecure">
          {t('state.insecure')}
        </Alert>
      );
    case 'unsupported':
      return (
        <Alert variant="light" color="gray" icon={<IconBellOff size={18} />} data-testid="push-state-unsupported">
          {t('state.unsupported')}
        </Alert>
      );
    case 'ios-needs-install':
      return (
        <Alert variant="light" color="blue" icon={<IconShare2 size={18} />} title={t('ios.title')} data-testid="push-state-ios">
          <List size="sm" type="ordered" spacing={2}>
            <List.Item>{t('ios.step1')}</List.Item>
            <List.Item>{t('ios.step2')}</List.Item>
            <List.Item>{t('ios.step3')}</List.Item>
          </List>
        </Alert>
      );
    case 'supported':
      if (support.permission === 'denied') {
        return (
          <Alert variant="light" color="red" icon={<IconBellOff size={18} />} title={t('denied.title')} data-testid="push-state-denied">
            {t('denied.body')}
          </Alert>
        );
      }
      if (enabledHere) {
        return (
          <Alert variant="light" color="teal" icon={<IconBellRinging size={18} />} data-testid="push-state-enabled">
            {t('state.enabledHere')}
          </Alert>
        );
      }
      return (
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text size="sm" c="dimmed" maw={480}>
            {t('state.ready')}
          </Text>
          <Button leftSection={<IconBellRinging size={16} />} onClick={onEnable} loading={enabling} data-testid="push-enable">
            {t('enable')}
          </Button>
        </Group>
      );
  }
}
