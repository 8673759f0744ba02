import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.ts';
import { tokenWeakness } from '../../../shared/token-strength.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('tokenWeakness (ADMIN_TOKEN)', () => {
  it('accepts a generated token and a random base64 one', () => {
    expect(tokenWeakness('bp_3Fq0yV7kLrM2xN9pQwE4tZ8sA1cD6gH5jK0uB2oI-_w')).toBeUndefined();
    expect(tokenWeakness('q7Vd2LxN9sKwT4mRz8HcYp3JfB6gUe1A')).toBeUndefined();
  });

  it.each([
    ['short', 'bp_q7Vd2LxN9sKwT4mRz8Hc', /at least 32 characters/],
    ['one character', 'a'.repeat(32), /distinct characters/],
    ['few characters', 'abcabcabcabdabcabcabcabcabcabcabc', /distinct characters/],
    ['a long run', 'q7Vd2LxN9sKwT4mRz8HcYp3000000Jf', /at least 32/],
    ['a long run, long enough', 'q7Vd2LxN9sKwT4mRz8HcYp3000000JfB6g', /run of 6/],
    ['a repeated pattern', 'abcdefghijklmn'.repeat(3), /repeated/],
    ['the compose default', 'change-me-binpulse-admin-token-2026', /change-me/],
    ['an example', 'this-is-an-EXAMPLE-token-q7Vd2LxN9sKw', /example/],
  ])('refuses %s', (_what, token, reason) => {
    expect(tokenWeakness(token)).toMatch(reason);
  });

  it('refuses a token listed as documented', () => {
    const token = 'q7Vd2LxN9sKwT4mRz8HcYp3JfB6gUe1A';
    expect(tokenWeakness(token, [token])).toMatch(/documentation/);
  });

  it('refuses start-up naming ADMIN_TOKEN for aaaa… and the documented change-me default', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'a'.repeat(32) })).toThrow(/ADMIN_TOKEN: too little variety/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me-binpulse-admin-token' })).toThrow(/ADMIN_TOKEN: /);
  });

  it('never echoes the refused token in the error', () => {
    const token = 'q7Vd2LxN9sKwT4mRz8Hc';
    expect(() => loadConfig({ ADMIN_TOKEN: token })).toThrow(/ADMIN_TOKEN: at least 32/);
    try {
      loadConfig({ ADMIN_TOKEN: token });
    } catch (error) {
      expect((error as Error).message).not.toContain(token);
    }
  });

  it('refuses every token-like value the README, docs and deploy files print after ADMIN_TOKEN or Bearer', () => {
    const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f)), 'deploy/binpulse.env.example', 'docker-compose.yml'];
    const found: string[] = [];
    for (const file of files) {
      if (!/\.(md|example|yml)$/.test(file)) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/(?:ADMIN_TOKEN[=:]\s*(?:\$\{ADMIN_TOKEN:-)?|Bearer )['"]?([A-Za-z0-9_.~+/-]{8,})/g)) found.push(m[1]!);
    }
    for (const token of found) expect(tokenWeakness(token), token).toBeDefined();
  });
});
