import { browserLocale } from '../../i18n/languages';
import { applyLocale } from '../../i18n';
import { useEffect } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { BrandMark } from '../../components/BrandMark';
import { ColorSchemeToggle } from '../../components/ColorSchemeToggle';

interface AuthCardProps {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
}

/** The frame of the signed-out pages: brand, a card, nothing else to get lost in. */
export function AuthCard({ title, subtitle, children }: AuthCardProps) {
  // Nobody is signed in here, so the browser's language applies (a person's own choice takes over
  // at sign-in, through LocaleSync).
  useEffect(() => applyLocale(browserLocale()), []);
  useDocumentTitle(`${title} · Tocsin`);
  return (
    <Box mih="100vh" bg="var(--mantine-color-body)" style={{ backgroundImage: 'radial-gradient(circle at 50% -20%, var(--mantine-color-ember-light), transparent 60%)' }}>
      <Group justify="flex-end" p="md">
        <ColorSchemeToggle />
      </Group>
      <Center px="md" pb="xl">
        <Stack w="100%" maw={440} gap="lg">
          <Center>
            <BrandMark size="lg" />
          </Center>
          <Paper withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 'xl' }}>
            <Stack gap={4} mb="lg">
              <Title order={2} fz={22}>
                {title}
              </Title>
              <Text c="dimmed" size="sm">
                {subtitle}
              </Text>
            </Stack>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
