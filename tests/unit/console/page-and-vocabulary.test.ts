import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_PLACEHOLDER, contentSecurityPolicy, renderIndexHtml } from '../../../services/console/core/page.ts';
import { MESSAGES } from '../../../services/console/core/i18n/messages/index.ts';
import * as contracts from '../../../shared/contracts/index.ts';
import { SUBDISTRICT_NAMES, SUBDISTRICTS } from '../../../shared/contracts/index.ts';
import * as vocabulary from '../../../shared/vocabulary.ts';

describe('the console page', () => {
  it('embeds the config as inert JSON that cannot close its script element', () => {
    const html = renderIndexHtml(`<head>${CONFIG_PLACEHOLDER}</head>`, { tileUrl: 'https://t.example/</script><b>{z}/{x}/{y}', utcOffsetMinutes: 480, shifts: [{ start: '07:00', end: '15:00' }] });
    expect(html).toContain('<script id="console-config" type="application/json">');
    expect(html).not.toContain('</script><b>');
    const json = /<script[^>]*>(.*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual({ tileUrl: 'https://t.example/</script><b>{z}/{x}/{y}', utcOffsetMinutes: 480, shifts: [{ start: '07:00', end: '15:00' }] });
  });

  it('allows images from the tile server only when tiles are configured', () => {
    expect(contentSecurityPolicy(null)).toContain("img-src 'self' data:;");
    expect(contentSecurityPolicy('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toContain("img-src 'self' data: https://*.tile.openstreetmap.org;");
    expect(contentSecurityPolicy('http://10.1.2.3:8081/tiles/{z}/{x}/{y}.png')).toContain('img-src \'self\' data: http://10.1.2.3:8081;');
    // A wildcard that is not a leading label is no CSP source: fall back to the scheme.
    expect(contentSecurityPolicy('https://tiles-{s}.example.com/{z}/{x}/{y}.png')).toContain("img-src 'self' data: https:;");
    expect(contentSecurityPolicy(null)).toContain("script-src 'self'");
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self'");
  });
});

describe('the vocabulary the console shares with the contracts', () => {
  it('imports nothing, so a list never bundles zod into the console', () => {
    const source = readFileSync(new URL('../../../shared/vocabulary.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m);
  });

  it('is what the contracts export: the same arrays, not copies', () => {
    const lists = Object.entries(vocabulary);
    expect(lists.length).toBeGreaterThanOrEqual(20);
    for (const [name, list] of lists) expect((contracts as Record<string, unknown>)[name], name).toBe(list);
    expect(contracts.Subdistrict.options).toEqual([...vocabulary.SUBDISTRICTS]);
    expect(contracts.AlertType.options).toEqual([...vocabulary.ALERT_TYPES]);
    expect(contracts.DeadLetterReason.options).toEqual([...vocabulary.DEAD_LETTER_REASONS]);
  });
});

describe("the console's subdistrict names", () => {
  it('are the contracts\' names: Chinese in zh-CN, English in en', () => {
    for (const subdistrict of SUBDISTRICTS) {
      expect(MESSAGES['zh-CN'][`subdistrict.${subdistrict}`]).toBe(SUBDISTRICT_NAMES[subdistrict].zh);
      expect(MESSAGES.en[`subdistrict.${subdistrict}`]).toBe(SUBDISTRICT_NAMES[subdistrict].en);
    }
  });
});
