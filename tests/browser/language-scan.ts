/**
 * Finding one language's catalogue text on a page shown in the other: every message of the other
 * catalogue split at its placeholders into literal fragments, looked for in the page's text after
 * the proper names (devices, communities, addresses, people, grid cells) are taken out.
 */
import type { Catalogue } from '../../services/console/core/i18n/catalogue.ts';
import type { Locale } from '../../services/console/core/i18n/locale.ts';
import { LOCALE_NAMES, LOCALES } from '../../services/console/core/i18n/locale.ts';
import type { DeviceWithState } from '../../shared/contracts/index.ts';

const CJK = /[\u3400-\u9fff]/;
const LATIN_WORD = /[A-Za-z]{3,}/;

function texts(catalogue: Catalogue): string[] {
  return Object.values(catalogue).flatMap((message) => (typeof message === 'string' ? [message] : Object.values(message)));
}

/** The other language's fragments worth looking for: Latin words of 3+ letters, or CJK text; not shared by both catalogues. */
export function foreignFragments(messages: Readonly<Record<Locale, Catalogue>>, shownIn: Locale): string[] {
  const other = LOCALES.find((l) => l !== shownIn)!;
  const own = texts(messages[shownIn]).join('\n');
  const pieces = texts(messages[other]).flatMap((text) => text.split(/\{\w+\}/));
  const wanted = pieces
    .map((piece) => piece.trim().replace(/^[\s.,:;·–—()（）：，。、…%/]+|[\s.,:;·–—()（）：，。、…%/]+$/g, ''))
    .filter((piece) => (other === 'en' ? LATIN_WORD.test(piece) : CJK.test(piece)))
    .filter((piece) => !own.includes(piece));
  return [...new Set(wanted)].sort((a, b) => b.length - a.length);
}

/** Names that are the same in every language: the registry's own, the people's, the language names. */
export function properNamesOf(devices: readonly DeviceWithState[], people: readonly string[]): string[] {
  const names = new Set<string>([...people, ...Object.values(LOCALE_NAMES)]);
  for (const d of devices) for (const name of [d.id, d.name, d.community, d.address, d.responsiblePerson, d.gridCell]) if (name) names.add(name);
  return [...names].sort((a, b) => b.length - a.length);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fragments found in the text once the proper names are removed (Latin ones as whole words). */
export function otherLanguageText(text: string, fragments: readonly string[], properNames: readonly string[]): string[] {
  let rest = text;
  for (const name of properNames) rest = rest.replaceAll(name, ' ');
  return fragments.filter((fragment) => {
    const pattern = CJK.test(fragment) ? escape(fragment) : `(?<![A-Za-z])${escape(fragment)}(?![A-Za-z])`;
    return new RegExp(pattern).test(rest);
  });
}
