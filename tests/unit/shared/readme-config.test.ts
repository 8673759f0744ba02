import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigShape } from '../../../shared/config.ts';

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));

  it('documents every setting the platform reads, and no other', () => {
    expect([...documented].sort()).toEqual(Object.keys(ConfigShape).sort());
  });
});
