import { describe, expect, it } from 'vitest';
import { createTurnstile } from '../../../services/api/core/turnstile.ts';
import { StreamRegistry, type LiveStream } from '../../../services/api/core/stream-registry.ts';

describe('createTurnstile', () => {
  it('lets perTurn callers through per turn, the rest in later turns, in order', async () => {
    const turns: Array<() => void> = [];
    const pass = createTurnstile(2, (fn) => turns.push(fn));
    const order: number[] = [];
    const all = [1, 2, 3, 4, 5].map((n) => pass().then(() => order.push(n)));
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    turns.shift()!();
    await Promise.resolve();
    expect(order).toEqual([1, 2, 3, 4]);
    turns.shift()!();
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    // A quiet turn resets the count: the next two pass at once.
    while (turns.length) turns.shift()!();
    const later: number[] = [];
    void pass().then(() => later.push(6));
    void pass().then(() => later.push(7));
    await Promise.resolve();
    expect(later).toEqual([6, 7]);
  });
});

function fakeStream(): LiveStream & { buffered: number; closed: boolean; closedAs: string | null } {
  const s = {
    buffered: 0,
    closed: false,
    closedAs: null as string | null,
    bufferedBytes: () => s.buffered,
    close: (reason: string) => void Object.assign(s, { closed: true, closedAs: reason }),
  };
  return s;
}

describe('StreamRegistry', () => {
  const options = { maxPerToken: 2, slowBytes: 100, slowAfterMs: 5000 };

  it('caps streams per token and frees a place when one closes', () => {
    const registry = new StreamRegistry(options);
    const forget = registry.add('tok_a', fakeStream());
    registry.add('tok_a', fakeStream());
    expect(registry.admits('tok_a')).toBe(false);
    expect(registry.admits('tok_b')).toBe(true);
    forget();
    forget();
    expect(registry.admits('tok_a')).toBe(true);
    expect(registry.streamsOf('tok_a')).toBe(1);
  });

  it("ends every stream of a revoked token, and only those", () => {
    const ended: string[] = [];
    const registry = new StreamRegistry({ ...options, onEnded: (reason, token) => ended.push(`${token}:${reason}`) });
    const [a1, a2, b] = [fakeStream(), fakeStream(), fakeStream()];
    registry.add('tok_a', a1);
    registry.add('tok_a', a2);
    registry.add('tok_b', b);
    expect(registry.endToken('tok_a', 'revoked')).toBe(2);
    expect([a1.closed, a2.closed, b.closed]).toEqual([true, true, false]);
    // Told why, so the route ends a revoked stream cleanly (the browser then meets the 401).
    expect(a1.closedAs).toBe('revoked');
    expect(ended).toEqual(['tok_a:revoked', 'tok_a:revoked']);
    expect(registry.size).toBe(1);
  });

  it('ends a stream whose buffer stays above the bound for slowAfterMs, not one that catches up', () => {
    const registry = new StreamRegistry(options);
    const [stuck, recovering] = [fakeStream(), fakeStream()];
    registry.add('tok_a', stuck);
    registry.add('tok_b', recovering);
    stuck.buffered = recovering.buffered = 500;
    expect(registry.check(0)).toBe(0);
    expect(registry.check(4000)).toBe(0);
    recovering.buffered = 0;
    expect(registry.check(4500)).toBe(0);
    recovering.buffered = 500;
    expect(registry.check(5000)).toBe(1);
    expect([stuck.closed, recovering.closed]).toEqual([true, false]);
    expect(stuck.closedAs).toBe('slow');
    expect(registry.check(9400)).toBe(0);
    expect(registry.check(10_000)).toBe(1);
    expect(recovering.closed).toBe(true);
  });
});
