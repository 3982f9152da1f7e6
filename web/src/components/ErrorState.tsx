import { useTranslation } from 'react-i18next';
import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { errorMessage } from '../lib/notify';

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  /** Fill the viewport: used before the app shell exists (setup/session checks). */
  fullPage?: boolean;
}

/** A failed load, with the server's explanation and a way to try again. */
export function ErrorState({ error, onRetry, fullPage = false }: ErrorStateProps) {
  const { t } = useTranslation();
  return (
    <Center h={fullPage ? '100vh' : undefined} py={fullPage ? 0 : 'xl'} role="alert">
      <Stack align="center" gap="xs" maw={420} ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" color="red">
          <IconPlugConnectedX size={26} />
        </ThemeIcon>
        <Title order={4}>{t('errorState.title')}</Title>
        <Text c="dimmed" size="sm">
          {errorMessage(error)}
        </Text>
        {onRetry && (
          <Button variant="default" onClick={onRetry}>
            {t('actions.tryAgain')}
          </Button>
        )}
      </Stack>
    </Center>
  );
}
