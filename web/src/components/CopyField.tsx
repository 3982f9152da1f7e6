import { useTranslation } from 'react-i18next';
import { ActionIcon, Code, CopyButton, Group, Paper, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

function CopyIcon({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('actions.copied') : label} withArrow position="left">
          <ActionIcon variant={copied ? 'light' : 'subtle'} color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label} data-testid="copy-button">
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

interface CopyFieldProps {
  label: string;
  value: string;
  description?: string;
  testId?: string;
}

/** A one-line secret or URL people paste elsewhere: monospace, wraps anywhere, with a copy button. */
export function CopyField({ label, value, description, testId }: CopyFieldProps) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Paper withBorder radius="md" px="sm" py={6} bg="var(--mantine-color-default-hover)">
        <Group gap="xs" wrap="nowrap" align="center">
          <Text ff="monospace" size="sm" style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }} data-testid={testId}>
            {value}
          </Text>
          {/* "Copy push URL" reads as a sentence in English; Chinese has no case to lower. */}
          <CopyIcon value={value} label={t('copyField.copyNamed', { label: i18n.language === 'en' ? label.toLowerCase() : label })} />
        </Group>
      </Paper>
      {description && (
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      )}
    </Stack>
  );
}

interface CodeBlockProps {
  code: string;
  title?: string;
  /** Height limit before the block scrolls. */
  maxHeight?: number;
  copyLabel?: string;
  testId?: string;
}

/** A snippet to paste into another tool's configuration, with a copy button. */
export function CodeBlock({ code, title, maxHeight = 360, copyLabel, testId }: CodeBlockProps) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      {/* The copy button sits in a header row, never over the snippet: long lines scroll under nothing. */}
      <Group justify={title ? 'space-between' : 'flex-end'} gap="xs" wrap="nowrap">
        {title && (
          <Text size="sm" fw={500}>
            {title}
          </Text>
        )}
        <CopyIcon value={code} label={copyLabel ?? t('copyField.copySnippet')} />
      </Group>
      <ScrollArea.Autosize mah={maxHeight} type="auto" offsetScrollbars>
        <Code block fz="xs" style={{ whiteSpace: 'pre' }} data-testid={testId}>
          {code}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}
