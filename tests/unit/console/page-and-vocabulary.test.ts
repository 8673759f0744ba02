import { describe, expect, it } from 'vitest';
import { CONFIG_PLACEHOLDER, contentSecurityPolicy, renderIndexHtml } from '../../../services/console/core/page.ts';
import { MESSAGES } from '../../../services/console/core/i18n/messages/index.ts';
import * as vocabulary from '../../../services/console/core/vocabulary.ts';
import { SEVERITIES, SUBDISTRICT_NAMES, SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/contracts/index.ts';

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

describe("the console's copies of the contracts' lists", () => {
  it('hold the same values in the same order', () => {
    expect(vocabulary.SUBDISTRICTS).toEqual(SUBDISTRICTS);
    expect(vocabulary.WASTE_CATEGORIES).toEqual(WASTE_CATEGORIES);
    expect(vocabulary.SEVERITIES).toEqual(SEVERITIES);
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
