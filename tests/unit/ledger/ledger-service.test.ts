import { describe, expect, it } from 'vitest';
import type { LedgerQuery } from '../../../services/ledger/adapters/store-source.ts';
import { CATCH_UP_DAYS, LedgerService, LOOKBACK_DAYS } from '../../../services/ledger/ledger-service.ts';
import type { SystemAlertCommand } from '../../../services/alerts/core/ports.ts';
import { at, collection, inputs, OFFSET } from './fixtures.ts';

const NOW = at('12:00', '2026-12-05');

function service() {
  const queries: LedgerQuery[] = [];
  const applied: SystemAlertCommand[][] = [];
  const ledger = new LedgerService({
    source: {
      inputs: async (query) => {
        queries.push(query);
        // A trip of 2026-12-01 never weighed in: inside the catch-up window, outside the lookback.
        return inputs({ collections: [collection('truck-01', '08:00', 'hongmei', { paper: 700 })] });
      },
    },
    alerts: { applySystemCommands: (commands) => void applied.push([...commands]), list: () => ({ total: 0, items: [] }) },
    utcOffsetMinutes: OFFSET,
    now: () => NOW,
  });
  return { ledger, queries, applied };
}

describe('LedgerService.check', () => {
  it('catches up over the collection log\'s days first, then looks back 3 days', async () => {
    const { ledger, queries, applied } = service();
    const first = await ledger.check();
    expect(queries[0]).toEqual({ fromDay: '2026-11-01', toDay: '2026-12-05', utcOffsetMinutes: OFFSET, nowMs: NOW });
    expect(CATCH_UP_DAYS).toBe(35);
    expect(first.map((c) => c.op === 'raise' && c.message.code)).toEqual(['ledger_mismatch.missing_weigh_in']);
    expect(applied).toHaveLength(1);
    // The day of that trip is outside the lookback now: nothing is raised (nor could it be twice).
    expect(await ledger.check()).toEqual([]);
    expect(queries[1]).toMatchObject({ fromDay: '2026-12-03', toDay: '2026-12-05' });
    expect(LOOKBACK_DAYS).toBe(3);
  });
});
