/**
 * The user's language: chosen in the top bar, remembered in localStorage (a preference, not a
 * secret, and the same for every tab), else taken from the browser's languages.
 */
import { chooseLocale, type Locale } from '../core/i18n/locale.ts';

const KEY = 'binpulse.locale';

export function currentLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch {
    // Storage can be disabled (privacy settings): fall back to the browser's languages.
  }
  return chooseLocale(stored, navigator.languages ?? [navigator.language]);
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    // Not remembered; the choice still holds until the page is reloaded.
  }
}

/** The page's own language, for screen readers, fonts (CJK glyph choice) and hyphenation. */
export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}
