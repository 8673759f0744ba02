import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, secretMatches } from '../../../services/fleet/core/secrets.ts';

describe('device secrets', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('are stored as their SHA-256 in hex', () => {
    expect(hashSecret('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(hashSecret(generateSecret())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('match their own hash', () => {
    const secret = generateSecret();
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
  });

  it('do not match another secret of the same length', () => {
    const secret = generateSecret();
    const other = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(secretMatches(other, hashSecret(secret))).toBe(false);
  });

  it('do not match a shorter or longer secret, without throwing', () => {
    const secret = generateSecret();
    const stored = hashSecret(secret);
    expect(secretMatches(secret.slice(0, 10), stored)).toBe(false);
    expect(secretMatches(`${secret}x`, stored)).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
  });

  it('never match a malformed stored hash', () => {
    const secret = generateSecret();
    const stored = hashSecret(secret);
    expect(secretMatches(secret, stored.slice(0, 32))).toBe(false);
    expect(secretMatches(secret, `${stored}00`)).toBe(false);
    expect(secretMatches(secret, 'z'.repeat(64))).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });
});
