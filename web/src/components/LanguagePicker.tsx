import { Select } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { applyLocale } from '../i18n';
import { CONSOLE_LANGUAGES, consoleLanguageFor, type ConsoleLanguage } from '../i18n/languages';

/** Each language named in itself, so a reader finds theirs whatever the page is showing. */
const NATIVE_NAMES: Record<ConsoleLanguage, string> = { en: 'English', 'zh-CN': '简体中文' };

/**
 * The console's language before anyone has signed in (the setup page): switches the page at once and
 * reports the choice, which the form sends as the new person's locale.
 */
export function LanguagePicker({ onChange }: { onChange?: (language: ConsoleLanguage) => void }) {
  const { t, i18n } = useTranslation('onboarding');
  const value = consoleLanguageFor(i18n.language);
  return (
    <Select
      label={t('setup.language')}
      leftSection={<IconLanguage size={16} aria-hidden />}
      data={CONSOLE_LANGUAGES.map((language) => ({ value: language, label: NATIVE_NAMES[language] }))}
      value={value}
      allowDeselect={false}
      onChange={(next) => {
        const language = consoleLanguageFor(next);
        applyLocale(language);
        onChange?.(language);
      }}
      data-testid="language-picker"
    />
  );
}
