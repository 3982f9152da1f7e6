/**
 * The languages the console is written in. A person's locale is any BCP 47 tag (the API stores what
 * they chose, such as "en-GB" or "zh-Hans-CN"); the console shows the closest language it has and
 * formats dates and numbers with the full tag.
 */
export const CONSOLE_LANGUAGES = ['en', 'zh-CN'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** "zh", "zh-CN", "zh-Hans-SG" → zh-CN; everything else → en. */
export function consoleLanguageFor(locale: string | undefined | null): ConsoleLanguage {
  return locale && /^zh\b/i.test(locale) ? 'zh-CN' : 'en';
}

/** The browser's preferred language, the default until a person chooses one. */
export function browserLocale(): string {
  return (typeof navigator !== 'undefined' && (navigator.languages?.[0] ?? navigator.language)) || 'en';
}
