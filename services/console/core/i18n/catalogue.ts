/**
 * Message catalogues: one per language, keyed by a stable message key. A message is a whole
 * sentence with named placeholders ("{count} boxes to empty"), never fragments glued together, so
 * a translation can reorder words. Where the wording depends on a number, the message gives one
 * form per plural category of Intl.PluralRules ("one", "other", …) and is chosen by `count`.
 *
 * Each area of the console keeps its messages in its own module under messages/, defined with
 * `defineMessages(en, zh)`: the English table is the source of the keys, and the type system
 * refuses a Chinese table that misses one (tests/unit/console/i18n.test.ts checks the merged
 * catalogues again, keys and placeholders, in both directions).
 */
import type { Locale } from './locale.ts';

export type PluralMessage = { other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>;
export type Message = string | PluralMessage;
export type Catalogue = Readonly<Record<string, Message>>;

export type Messages<K extends string> = Readonly<Record<Locale, Readonly<Record<K, Message>>>>;

/** One module's messages in both languages; the Chinese table must have every English key, and no other. */
export function defineMessages<const E extends Catalogue>(en: E, zh: { readonly [K in keyof E]: Message }): Messages<Extract<keyof E, string>> {
  return { en, 'zh-CN': zh } as Messages<Extract<keyof E, string>>;
}

/** The placeholders a message uses, e.g. ["count", "name"], sorted (for the parity test). */
export function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
  return [...names].sort();
}
