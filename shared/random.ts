/**
 * A small seeded random source, so the demo fleet and the simulators are the same on every
 * machine for the same seed. Not for secrets (use node:crypto).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** FNV-1a: turns a textual seed into 32 bits. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: fast, 32-bit state, good enough for simulation. */
export function seededRandom(seed: string | number): Random {
  let state = typeof seed === 'number' ? seed >>> 0 : hashSeed(seed);
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

/** A child source whose sequence depends only on the parent seed and the label. */
export function forkRandom(seed: string, label: string): Random {
  return seededRandom(`${seed}/${label}`);
}

export const uniform = (r: Random, min: number, max: number): number => min + (max - min) * r.next();

export const intBetween = (r: Random, min: number, maxInclusive: number): number =>
  Math.floor(uniform(r, min, maxInclusive + 1));

export function pick<T>(r: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(r.next() * items.length)] as T;
}

/** Picks by weight; weights need not sum to 1. */
export function pickWeighted<T>(r: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let x = r.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Exponentially distributed waiting time with the given mean (a Poisson process's gaps). */
export const exponential = (r: Random, mean: number): number => -Math.log(1 - r.next()) * mean;

/** Normally distributed (Box-Muller). */
export function normal(r: Random, mean: number, sd: number): number {
  const u = 1 - r.next();
  const v = r.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
