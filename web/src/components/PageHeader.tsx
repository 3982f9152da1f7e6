import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons on the right, e.g. "Create channel". */
  actions?: ReactNode;
  /** Shown above the title, e.g. a link back to the list. */
  breadcrumb?: ReactNode;
  /** Extra content beside the title, e.g. badges. */
  badges?: ReactNode;
}

/** The top of every page: title (also the browser tab's), description, actions. */
export function PageHeader({ title, description, actions, breadcrumb, badges }: PageHeaderProps) {
  useDocumentTitle(`${title} · Tocsin`);
  return (
    <Stack gap={4} mb="lg">
      {breadcrumb}
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {badges}
          </Group>
          {description && (
            <Text c="dimmed" size="sm">
              {description}
            </Text>
          )}
        </Stack>
        {actions && <Group gap="sm">{actions}</Group>}
      </Group>
    </Stack>
  );
}
