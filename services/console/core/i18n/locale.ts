/**
 * The console's languages: Chinese first (the district's operators, engineers and managers work in
 * Chinese), English as the alternative. The user's choice is remembered; without one, the
 * browser's preferred languages decide, and Chinese is the default when they name neither.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** What a language switch shows for each locale, in that locale's own words. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale for one of the browser's language tags (zh, zh-TW, en-GB …), or undefined. */
function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return undefined;
}

/**
 * The stored choice if it is valid, else the first of the browser's languages we speak
 * (navigator.languages, most preferred first), else Chinese.
 */
export function chooseLocale(stored: string | null | undefined, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of browserLanguages) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
