/** Device secrets: the MQTT password of one box or camera point. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_BYTES = 32;
const HASH_BYTES = 32;

/** 256 random bits, base64url so it can be typed into a device's MQTT settings as is. */
export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * SHA-256, hex. A slow password hash (scrypt, argon2) exists to make guessing low-entropy
 * human passwords expensive; a device secret is 256 random bits, so there is nothing to
 * guess and a fast hash is as safe. It also keeps an MQTT connect storm cheap: 10,000
 * devices reconnecting after a broker restart cost milliseconds, not minutes of CPU.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compares in constant time. Both sides are 32-byte digests, so neither the secret's length
 * nor the position of the first differing byte shows in the timing.
 */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = /^[0-9a-f]{64}$/i.test(storedHash) ? Buffer.from(storedHash, 'hex') : null;
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  // A malformed stored hash still costs one comparison, against itself, and never matches.
  if (expected === null || expected.length !== HASH_BYTES) {
    timingSafeEqual(actual, actual);
    return false;
  }
  return timingSafeEqual(actual, expected);
}
