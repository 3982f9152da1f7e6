import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/types';
import { NoiseSettingsForm } from './NoiseSettingsForm';
import { RulesSection } from './RulesSection';

/** The channel's Noise reduction tab: grouping and friends, then silence, inhibit and drop rules. */
export function NoiseReductionTab({ channel }: { channel: Channel }) {
  const { t } = useTranslation('noise');
  return (
    <Stack gap="xl" maw={980}>
      <NoiseSettingsForm channel={channel} />
      <Stack gap="md">
        <Title order={3} fz="lg">
          {t('rules.title')}
        </Title>
        <RulesSection channel={channel} kind="silence" />
        <RulesSection channel={channel} kind="inhibit" />
        <RulesSection channel={channel} kind="drop" />
      </Stack>
    </Stack>
  );
}
