import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyStateProps {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  /** A call to action, usually the button that creates the first item. */
  action?: ReactNode;
  /** Show without the dashed frame, e.g. inside a card that already has one. */
  bare?: boolean;
}

/** What a page shows when it has nothing yet: what belongs here and how to add it. */
export function EmptyState({ icon, title, description, action, bare = false }: EmptyStateProps) {
  const content = (
    <Stack align="center" gap="sm" py={48} px="md" ta="center">
      <ThemeIcon size={56} radius="xl" variant="light">
        {icon}
      </ThemeIcon>
      <Title order={3} fz="lg">
        {title}
      </Title>
      <Text c="dimmed" size="sm" maw={460}>
        {description}
      </Text>
      {action}
    </Stack>
  );
  if (bare) return content;
  return (
    <Paper withBorder radius="lg" style={{ borderStyle: 'dashed' }}>
      {content}
    </Paper>
  );
}
