import { useTranslation } from 'react-i18next';
import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Text, Textarea, TypographyStylesProvider } from '@mantine/core';
import { IconDownload, IconGitCommit } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useIncidentChanges, usePostmortem, useSavePostmortem } from '../../api/incidents';
import { ErrorState } from '../../components/ErrorState';
import { RelativeTime } from '../../components/RelativeTime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { markdownToHtml } from './markdown';

/** The incident's post-mortem: a markdown textarea with a preview, saved on demand, downloadable as a file. */
export function IncidentPostmortem({ incidentId }: { incidentId: string }) {
  const postmortem = usePostmortem(incidentId);
  const save = useSavePostmortem(incidentId);
  const [text, setText] = useState<string | null>(null);
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const { t } = useTranslation('incidents');
  useEffect(() => {
    if (postmortem.data && text === null) setText(postmortem.data.markdown);
  }, [postmortem.data, text]);
  if (postmortem.isError) return <ErrorState error={postmortem.error} onRetry={() => void postmortem.refetch()} />;
  if (!postmortem.data || text === null) return <Skeleton height={320} />;
  const dirty = text !== postmortem.data.markdown || !postmortem.data.saved;
  const submit = () =>
    save.mutate(text, {
      onSuccess: () => notifySuccess(t('postmortem.saved')),
      onError: (error) => notifyError(error),
    });
  return (
    <Stack gap="sm" maw={900}>
      <Group justify="space-between">
        <Group gap="xs">
          <SegmentedControl size="xs" value={mode} onChange={(v) => setMode(v === 'preview' ? 'preview' : 'write')} data={[{ value: 'write', label: t('postmortem.write') }, { value: 'preview', label: t('postmortem.preview') }]} data-testid="postmortem-mode" />
          {postmortem.data.saved ? (
            <Text size="xs" c="dimmed" component="div">
              {t('postmortem.savedAt')} {postmortem.data.updated_at && <RelativeTime ms={postmortem.data.updated_at} />}
            </Text>
          ) : (
            <Badge variant="light" color="yellow">
              {t('postmortem.draft')}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <Button component="a" href={`/api/v1/incidents/${incidentId}/postmortem.md`} download variant="default" leftSection={<IconDownload size={16} />} data-testid="postmortem-download">
            {t('postmortem.download')}
          </Button>
          <Button onClick={submit} loading={save.isPending} disabled={!dirty} data-testid="postmortem-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Group>
      {mode === 'write' ? (
        <Textarea autosize minRows={16} maxRows={40} value={text} onChange={(e) => setText(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} aria-label={t('postmortem.textLabel')} data-testid="postmortem-text" />
      ) : (
        <Paper withBorder p="md" radius="md" data-testid="postmortem-preview">
          <TypographyStylesProvider>
            {/* markdownToHtml escapes every character of the input before adding its own tags. */}
            <div dangerouslySetInnerHTML={{ __html: markdownToHtml(text) }} />
          </TypographyStylesProvider>
        </Paper>
      )}
    </Stack>
  );
}

/** Change events (deploys, config changes) of the channel around the incident. */
export function RecentChanges({ incidentId }: { incidentId: string }) {
  const changes = useIncidentChanges(incidentId);
  const { t } = useTranslation('incidents');
  if (!changes.data || changes.data.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" mb="lg" data-testid="recent-changes">
      <Text fw={600} size="sm" mb={6}>
        <IconGitCommit size={14} /> {t('postmortem.recentChanges')}
      </Text>
      <Stack gap={4}>
        {changes.data.slice(0, 5).map((change) => (
          <Group key={change.id} gap={6} wrap="nowrap">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {change.links[0] ? (
                <Anchor href={change.links[0].href} target="_blank" rel="noreferrer" inherit>
                  {change.title}
                </Anchor>
              ) : (
                change.title
              )}
            </Text>
            <Text size="xs" c="dimmed" component="div" style={{ flexShrink: 0 }}>
              <RelativeTime ms={change.event_time} />
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
