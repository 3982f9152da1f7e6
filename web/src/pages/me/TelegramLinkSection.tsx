import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/http';
import { queryKeys } from '../../api/queryKeys';
import { formatDateTime } from '../../lib/time';
import { notifyError, notifySuccess } from '../../lib/notify';
import { SectionCard } from './SectionCard';

const LINKS_KEY = ['me', 'im-links'] as const;

/** My chats on IM bots that need linking (Telegram) — ADR 0062. */
function useImLinks() {
  return useQuery({
    queryKey: LINKS_KEY,
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/im-links', { signal })),
    select: (answer) => answer.data,
  });
}

/**
 * Personal center: link my Telegram chat so "IM direct message" pages reach me there. Renders
 * nothing when no Telegram bot is set up. The deep link is one-time and short-lived, so it is only
 * made when asked for and shown as a link to open, never as a QR code or in the URL bar.
 */
export function TelegramLinkSection() {
  const { t } = useTranslation('imlink');
  const links = useImLinks();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Record<string, { url: string; expiresAt: number }>>({});
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: LINKS_KEY });
    await queryClient.invalidateQueries({ queryKey: queryKeys.notificationMethods });
  };
  const start = useMutation({
    mutationFn: (providerId: string) => call(api.POST('/api/v1/me/im-links/{provider_id}', { params: { path: { provider_id: providerId } } })),
    onSuccess: (answer, providerId) => setPending((p) => ({ ...p, [providerId]: { url: answer.url, expiresAt: answer.expires_at } })),
    onError: (error) => notifyError(error),
  });
  const unlink = useMutation({
    mutationFn: (providerId: string) => call(api.DELETE('/api/v1/me/im-links/{provider_id}', { params: { path: { provider_id: providerId } } })),
    onSuccess: async () => {
      notifySuccess(t('unlinkedToast'));
      await refresh();
    },
    onError: (error) => notifyError(error),
  });

  const bots = links.data ?? [];
  if (bots.length === 0) return null;

  const check = async (providerId: string) => {
    const fresh = await queryClient.fetchQuery({ queryKey: LINKS_KEY, queryFn: ({ signal }) => call(api.GET('/api/v1/me/im-links', { signal })) });
    await queryClient.invalidateQueries({ queryKey: queryKeys.notificationMethods });
    if (fresh.data.find((b) => b.provider_id === providerId)?.linked) {
      setPending(({ [providerId]: _done, ...rest }) => rest);
      notifySuccess(t('linkedToast'));
    } else notifySuccess(t('stillWaiting'));
  };

  return (
    <SectionCard title={t('title')} description={t('description')} testId="telegram-link-section">
      <Stack gap="md">
        {bots.map((bot) => {
          const deepLink = pending[bot.provider_id];
          return (
            <Stack key={bot.provider_id} gap={6} data-testid={`im-link-${bot.provider_id}`}>
              <Text fw={600} size="sm">
                {bot.provider_name}
              </Text>
              {bot.linked ? (
                <Text size="sm">
                  {t('linked', { name: bot.display_name ?? bot.provider_name })}
                  {bot.linked_at !== null && (
                    <Text span c="dimmed" size="sm">
                      {' · '}
                      {t('linkedSince', { date: formatDateTime(bot.linked_at) })}
                    </Text>
                  )}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {bot.ready ? t('notLinked') : t('notReady')}
                </Text>
              )}
              {deepLink && (
                <Stack gap={4}>
                  <Anchor href={deepLink.url} target="_blank" rel="noopener noreferrer" fw={600} data-testid="telegram-deep-link">
                    {t('open')}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t('openHint', { time: formatDateTime(deepLink.expiresAt) })}
                  </Text>
                </Stack>
              )}
              {bot.ready && (
                <Group gap="xs" wrap="wrap">
                  {deepLink ? (
                    <Button size="xs" onClick={() => void check(bot.provider_id)}>
                      {t('check')}
                    </Button>
                  ) : (
                    <Button size="xs" variant={bot.linked ? 'default' : 'filled'} loading={start.isPending && start.variables === bot.provider_id} onClick={() => start.mutate(bot.provider_id)}>
                      {bot.linked ? t('relink') : t('link')}
                    </Button>
                  )}
                  {bot.linked && (
                    <Button size="xs" variant="subtle" color="red" loading={unlink.isPending} onClick={() => unlink.mutate(bot.provider_id)}>
                      {t('unlink')}
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          );
        })}
      </Stack>
    </SectionCard>
  );
}
