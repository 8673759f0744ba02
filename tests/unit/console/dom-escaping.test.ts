/**
 * The console's two guards for strings that could become markup (issue 15 item 5): escapeHtml for
 * the few library options that only take HTML, and isSafeAttribute, which h() asks before it sets
 * an attribute from a string. The whole console in a browser is tests/browser/markup-injection.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeAttribute } from '../../../services/console/web/dom.ts';

describe('escapeHtml', () => {
  it('turns every markup-sensitive character into an entity', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;`)).toBe('&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;amp;');
  });

  it('leaves other text as it is, Chinese and the © of an attribution included', () => {
    expect(escapeHtml('地图瓦片 © tiles.example.cn')).toBe('地图瓦片 © tiles.example.cn');
    expect(escapeHtml('')).toBe('');
  });

  it('reads back as the original text when a browser parses it', () => {
    const text = `a<b>"c"</b>'d'&e`;
    const decoded = escapeHtml(text).replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(decoded).toBe(text);
  });
});

describe('isSafeAttribute', () => {
  it('allows ordinary attributes with any text, markup included (an attribute value is never parsed as HTML)', () => {
    expect(isSafeAttribute('title', '<img src=x onerror=alert(1)>')).toBe(true);
    expect(isSafeAttribute('aria-label', 'javascript:alert(1)')).toBe(true);
    expect(isSafeAttribute('data-device', 'box-0001')).toBe(true);
  });

  it('refuses event handlers given as strings, whatever their case', () => {
    expect(isSafeAttribute('onclick', 'alert(1)')).toBe(false);
    expect(isSafeAttribute('onError', 'alert(1)')).toBe(false);
    expect(isSafeAttribute('srcdoc', '<script>alert(1)</script>')).toBe(false);
  });

  it("allows the console's own links: in-page, relative, http(s), blob downloads", () => {
    for (const href of ['#/health', '/api/v1/devices', 'https://example.cn/a', 'http://x/y', 'blob:http://127.0.0.1:8080/6c1f', 'mailto:ops@example.cn', 'report.csv']) {
      expect(isSafeAttribute('href', href), href).toBe(true);
    }
  });

  it('refuses script and data URLs in links and sources, however they are disguised', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0000javascript:x', 'vbscript:x', 'data:text/html,<script>alert(1)</script>']) {
      expect(isSafeAttribute('href', url), JSON.stringify(url)).toBe(false);
      expect(isSafeAttribute('src', url), JSON.stringify(url)).toBe(false);
    }
    expect(isSafeAttribute('xlink:href', 'javascript:alert(1)')).toBe(false);
    expect(isSafeAttribute('formaction', 'javascript:alert(1)')).toBe(false);
  });
});
