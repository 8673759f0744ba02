/** The registry-changed → re-check live sessions mechanism (services/broker/adapters/session-recheck.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { startSessionRecheck, type SessionRecheck } from '../../../services/broker/adapters/session-recheck.ts';

let recheck: SessionRecheck | undefined;
afterEach(() => recheck?.stop());

function setUp(allowed: Set<string>) {
  let mark = 0;
  const live = new Set(['box-0001', 'box-0002', 'box-0003']);
  const ended: Array<[string, string]> = [];
  let verdicts = 0;
  recheck = startSessionRecheck<string>({
    changes: { changeMark: () => mark },
    sessions: () => live,
    verdict: (id) => {
      verdicts += 1;
      return allowed.has(id) ? undefined : `${id} withdrawn`;
    },
    end: (id, why) => {
      live.delete(id); // ending removes it from the collection being looked at
      ended.push([id, why]);
    },
    intervalMs: 60_000, // polled by hand below
  });
  return { change: () => (mark += 1), ended, live, verdicts: () => verdicts };
}

describe('session re-check', () => {
  it('looks at no session while the registry is unchanged', () => {
    const t = setUp(new Set());
    expect(recheck!.poll()).toBe(0);
    expect(t.verdicts()).toBe(0);
    expect(t.ended).toEqual([]);
  });

  it('after a change, ends exactly the sessions no longer allowed, with their reason, once', () => {
    const allowed = new Set(['box-0001', 'box-0002', 'box-0003']);
    const t = setUp(allowed);
    allowed.delete('box-0002');
    t.change();
    expect(recheck!.poll()).toBe(1);
    expect(t.ended).toEqual([['box-0002', 'box-0002 withdrawn']]);
    expect([...t.live]).toEqual(['box-0001', 'box-0003']);
    expect(recheck!.poll()).toBe(0); // no new change: nothing looked at again
    expect(t.verdicts()).toBe(3);
  });

  it('ends several sessions in one pass although ending removes them from the live set', () => {
    const t = setUp(new Set(['box-0003']));
    t.change();
    expect(recheck!.poll()).toBe(2);
    expect(t.ended.map(([id]) => id)).toEqual(['box-0001', 'box-0002']);
  });
});
