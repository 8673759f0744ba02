import { describe, expect, it } from 'vitest';
import { placeholders, type Message } from '../../../services/console/core/i18n/catalogue.ts';
import { chooseLocale, LOCALES } from '../../../services/console/core/i18n/locale.ts';
import { MESSAGE_MODULES, MESSAGES } from '../../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';

const modules = Object.entries(MESSAGE_MODULES) as [string, Record<(typeof LOCALES)[number], Record<string, Message>>][];

/** Words a Chinese message may keep in Latin letters: names of things, units, formats. */
const LATIN_ALLOWED = new Set(['BinPulse', 'JSON', 'API', 'dBm', 'UTC', 'CSV', 'MQTT', 'ID', 'SSE', 'kg', 'fps', 'NB', 'IoT', 'WiFi', 'Wi', 'Fi', 'LTE', 'JavaScript']);

/** "zh-CN lacks x" for every key one language has and another lacks. */
function keyProblems(module: Record<(typeof LOCALES)[number], Record<string, Message>>): string[] {
  const all = new Set(LOCALES.flatMap((locale) => Object.keys(module[locale])));
  return LOCALES.flatMap((locale) => [...all].filter((key) => !(key in module[locale])).map((key) => `${locale} lacks ${key}`));
}

describe('message catalogues', () => {
  it.each(modules)('%s has the same keys in every language', (_name, module) => {
    expect(keyProblems(module)).toEqual([]);
  });

  it('reports a key missing in either language', () => {
    expect(keyProblems({ en: { a: 'A', b: 'B' }, 'zh-CN': { a: '甲' } })).toEqual(['zh-CN lacks b']);
    expect(keyProblems({ en: { a: 'A' }, 'zh-CN': { a: '甲', c: '丙' } })).toEqual(['en lacks c']);
  });

  it('defines each key in one module only', () => {
    const owner = new Map<string, string>();
    for (const [name, module] of modules) {
      for (const key of Object.keys(module.en)) {
        expect(owner.get(key), `${key} in ${name} and ${owner.get(key)}`).toBeUndefined();
        owner.set(key, name);
      }
    }
  });

  it('gives every message the same placeholders in every language', () => {
    for (const key of Object.keys(MESSAGES.en)) {
      const expected = placeholders(MESSAGES.en[key]!);
      for (const locale of LOCALES) expect(placeholders(MESSAGES[locale][key]!), `${locale} ${key}`).toEqual(expected);
    }
  });

  it('has an "other" form in every plural message, and a "count" placeholder', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of Object.entries(MESSAGES[locale])) {
        if (typeof message === 'string') continue;
        expect(message.other, `${locale} ${key}`).toBeTypeOf('string');
        expect(placeholders(message), `${locale} ${key}`).toContain('count');
      }
    }
  });

  it('leaves no English sentence in the Chinese catalogue', () => {
    const untranslated = Object.entries(MESSAGES['zh-CN']).filter(([, message]) => {
      const texts = typeof message === 'string' ? [message] : Object.values(message);
      return texts.some((text) => {
        const words = text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) ?? [];
        return words.some((word) => !LATIN_ALLOWED.has(word));
      });
    });
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

});

describe('chooseLocale', () => {
  it('takes a stored choice first', () => {
    expect(chooseLocale('en', ['zh-CN'])).toBe('en');
    expect(chooseLocale('zh-CN', ['en-US'])).toBe('zh-CN');
  });

  it('ignores a stored value it does not know and falls back to the browser languages in order', () => {
    expect(chooseLocale('fr', ['de-DE', 'en-GB', 'zh-CN'])).toBe('en');
    expect(chooseLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(chooseLocale(null, ['en-US'])).toBe('en');
  });

  it('speaks Chinese when the browser names no language we have', () => {
    expect(chooseLocale(null, ['fr-FR', 'de'])).toBe('zh-CN');
    expect(chooseLocale(undefined, [])).toBe('zh-CN');
  });
});

describe('translator', () => {
  const zh = createI18n('zh-CN', 480);
  const en = createI18n('en', 480);
  const now = Date.parse('2026-11-27T06:00:00Z'); // 14:00 in the district

  it('fills placeholders and formats numbers for the locale', () => {
    expect(en.t('unit.tonnes', { value: '70.46' })).toBe('70.46 t');
    expect(zh.t('unit.tonnes', { value: '70.46' })).toBe('70.46 吨');
    expect(en.number(20406)).toBe('20,406');
    expect(en.tonnes(70462.57)).toBe('70.46 t');
    expect(zh.kg(3.456)).toBe('3.5 公斤');
  });

  it('chooses plural forms by count', () => {
    expect(en.t('nav.criticalOpen', { count: 1 })).toBe('1 critical alert open');
    expect(en.t('nav.criticalOpen', { count: 3 })).toBe('3 critical alerts open');
    expect(zh.t('nav.criticalOpen', { count: 3 })).toBe('3 条紧急告警未处理');
  });

  it('floors percentages so a box below 90 % never reads 90 %', () => {
    expect(en.percent(0.899)).toBe('89%');
    expect(zh.percent(1)).toBe('100%');
    expect(en.percent(null)).toBe('–');
  });

  it('writes district times whatever the browser zone, and relative times in the language', () => {
    expect(en.dateTime('2026-11-26T20:23:00Z')).toBe('2026-11-27 04:23');
    expect(en.short('2026-11-27T05:10:00Z', now)).toBe('13:10');
    expect(en.short('2026-11-26T05:10:00Z', now)).toBe('11-26 13:10');
    expect(en.ago(now - 5 * 60_000, now)).toBe('5 min. ago');
    expect(zh.ago(now - 5 * 60_000, now)).toBe('5分钟前');
    expect(zh.ago(now - 3 * 3_600_000, now)).toBe('3小时前');
    expect(zh.ago(now + 10_000, now)).toBe('刚刚');
    expect(zh.ago(null, now)).toBe('从未');
  });

  it('names days and weekdays in the language', () => {
    expect(zh.day('2026-11-23', 'weekday')).toBe('周一');
    expect(en.day('2026-11-23', 'weekday')).toBe('Mon');
    expect(zh.day('2026-11-23', 'short')).toBe('11/23');
    expect(zh.day('2026-11-23', 'long')).toContain('11月23日');
  });

  it('answers an unknown key with the key itself rather than nothing', () => {
    expect(en.t('no.such.key' as never)).toBe('no.such.key');
  });
});
