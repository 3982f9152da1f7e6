import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';

/** The product name with its bell; `size` "lg" is for the sign-in and setup pages. */
export function BrandMark({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={large ? 40 : 30} radius="md" variant="gradient" gradient={{ from: 'ember.5', to: 'red.7', deg: 135 }}>
        <IconBell size={large ? 24 : 18} stroke={2.2} />
      </ThemeIcon>
      <Text fw={750} fz={large ? 26 : 20} lts={-0.3}>
        Tocsin
      </Text>
    </Group>
  );
}
