import { useTranslation } from 'react-i18next';
import { Center, Loader } from '@mantine/core';

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh" aria-busy="true" aria-label={t('loading')}>
      <Loader type="dots" />
    </Center>
  );
}
