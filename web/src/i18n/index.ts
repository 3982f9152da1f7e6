import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { browserLocale, CONSOLE_LANGUAGES, consoleLanguageFor } from './languages';

/**
 * One JSON file per language and namespace: `locales/<language>/<namespace>.json`. Pages use
 * `useTranslation('<namespace>')`; shared words (buttons, states) live in `common`. Every file is
 * bundled: both languages together are a few dozen kilobytes, less than a round trip to fetch one.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true });

function resourcesFrom(modules: typeof files): Resource {
  const resources: Resource = {};
  for (const [path, module] of Object.entries(modules)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, language = '', namespace = ''] = match;
    resources[language] = { ...resources[language], [namespace]: module.default };
  }
  return resources;
}

export const LOCALE_STORAGE_KEY = 'tocsin.locale';

function initialLocale(): string {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY) ?? browserLocale();
  } catch {
    return browserLocale();
  }
}

let currentLocale = initialLocale();

void i18next.use(initReactI18next).init({
  resources: resourcesFrom(files),
  lng: consoleLanguageFor(currentLocale),
  fallbackLng: 'en',
  supportedLngs: [...CONSOLE_LANGUAGES],
  defaultNS: 'common',
  ns: ['common'],
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  react: { useSuspense: false },
  showSupportNotice: false,
});
document.documentElement.lang = consoleLanguageFor(currentLocale);

/** The full locale tag dates and numbers are formatted with ("en-GB" keeps day-month order). */
export function formattingLocale(): string {
  return currentLocale;
}

/** Switches the console to `locale` (the signed-in person's, or the browser's before sign-in). */
export function applyLocale(locale: string): void {
  currentLocale = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Private mode: the choice still applies to this page.
  }
  const language = consoleLanguageFor(locale);
  document.documentElement.lang = language;
  if (i18next.language !== language) void i18next.changeLanguage(language);
}

export { i18next };
