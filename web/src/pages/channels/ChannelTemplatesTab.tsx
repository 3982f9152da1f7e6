import { useTranslation } from 'react-i18next';
import { Alert, Button, Code, Group, SegmentedControl, Skeleton, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useChannelTemplates, useSaveChannelTemplate, useTemplatePreview, type TemplateParts } from '../../api/templates';
import type { Channel } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { notifyError, notifySuccess } from '../../lib/notify';
import { i18next } from '../../i18n';
import { translateRule } from '../../i18n/serverErrors';

const TEMPLATE_METHODS = new Set(['sms', 'voice', 'email', 'push', 'im', 'webhook']);

/** Per-channel notification templates with a live preview against the channel's latest incident. */
export function ChannelTemplatesTab({ channel }: { channel: Channel }) {
  const templates = useChannelTemplates(channel.id);
  const [method, setMethod] = useState('sms');
  const { t: tr } = useTranslation('channels');
  if (templates.isPending) return <Skeleton height={240} />;
  if (templates.isError) return <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />;
  const current = templates.data.find((t) => t.method === method) ?? templates.data[0];
  if (!current) return null;
  return (
    <Stack gap="md" data-testid="channel-templates">
      <Text size="sm" c="dimmed">
        {tr('templates.intro', { variables: '{{variables}}', sections: '{{#sections}}…{{/sections}}', interpolation: { escapeValue: false, skipOnVariables: true } })}
      </Text>
      <SegmentedControl
        value={method}
        onChange={setMethod}
        data={templates.data.map((t) => ({ value: t.method, label: TEMPLATE_METHODS.has(t.method) ? tr(`templates.methods.${t.method}`) : t.method }))}
      />
      <TemplateEditor key={`${method}:${JSON.stringify(current.override)}`} channelId={channel.id} method={method} override={current.override} defaults={current.defaults} />
    </Stack>
  );
}

function TemplateEditor({ channelId, method, override, defaults }: { channelId: string; method: string; override: TemplateParts; defaults: TemplateParts }) {
  const [parts, setParts] = useState<TemplateParts>({ ...defaults, ...override });
  const [debounced] = useDebouncedValue(parts, 300);
  const preview = useTemplatePreview(channelId, method, debounced);
  const save = useSaveChannelTemplate(channelId);
  const { t } = useTranslation('channels');
  // Parts equal to the default are stored as "use the default", so later default improvements apply.
  const toStore = (): TemplateParts => Object.fromEntries(Object.entries(parts).filter(([name, value]) => value !== defaults[name as keyof TemplateParts])) as TemplateParts;
  const onSave = () =>
    save.mutate({ method, parts: toStore() }, { onSuccess: () => notifySuccess(t('templates.saved')), onError: (error) => notifyError(error) });
  return (
    <Stack gap="sm">
      {defaults.subject !== undefined && <TextInput label={t('templates.subject')} value={parts.subject ?? ''} onChange={(e) => setParts({ ...parts, subject: e.currentTarget.value })} data-testid="template-subject" />}
      <Textarea label={t('templates.text')} autosize minRows={4} maxRows={16} value={parts.text ?? ''} onChange={(e) => setParts({ ...parts, text: e.currentTarget.value })} data-testid="template-text" styles={{ input: { fontFamily: 'monospace' } }} />
      {defaults.html !== undefined && <Textarea label="HTML" autosize minRows={4} maxRows={16} value={parts.html ?? ''} onChange={(e) => setParts({ ...parts, html: e.currentTarget.value })} styles={{ input: { fontFamily: 'monospace' } }} />}
      <Group justify="flex-end" gap="sm">
        <Button variant="subtle" color="gray" onClick={() => setParts({ ...defaults })} data-testid="template-reset">
          {t('templates.reset')}
        </Button>
        <Button onClick={onSave} loading={save.isPending} data-testid="template-save">
          {t('templates.save')}
        </Button>
      </Group>
      <Title order={5}>{t('templates.preview')}</Title>
      <Text size="xs" c="dimmed">
        {preview.data?.incident_id ? t('templates.previewRecent') : t('templates.previewSample')}
      </Text>
      {preview.data && preview.data.errors.length > 0 && (
        <Alert color="yellow" variant="light" data-testid="template-errors">
          {preview.data.errors.map((e) => t('common:errors.fieldRule', { field: e.field, rule: translateRule(e.message, i18next.t) ?? e.message })).join(t('common:errors.separator'))}
        </Alert>
      )}
      {preview.data?.content.subject !== undefined && <Text fw={600}>{preview.data.content.subject}</Text>}
      <Code block data-testid="template-preview">
        {preview.data?.content.text ?? ''}
      </Code>
    </Stack>
  );
}
