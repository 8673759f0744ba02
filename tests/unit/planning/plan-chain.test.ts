/** Which boxes earlier plans will still empty before a shift (services/planning/core/plan-chain.ts). */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/contracts/index.ts';
import { stopsAheadBefore } from '../../../services/planning/core/plan-chain.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-05-10T06:00:00Z'); // 14:00 in Changzhou

function plan(id: string, startMs: number, createdAtMs: number, stops: [string, number][]): Plan {
  return {
    id,
    createdAt: new Date(createdAtMs).toISOString(),
    createdBy: 'test',
    shift: { date: '2026-05-10', startAt: new Date(startMs).toISOString(), endAt: new Date(startMs + 8 * H).toISOString() },
    routes: [
      {
        vehicleId: 'V001',
        plate: '苏D·H0001',
        depotId: 'S001',
        stops: stops.map(([deviceId, etaMs], i) => ({
          sequence: i + 1,
          deviceId,
          name: deviceId,
          community: 'c',
          position: { lat: 31.8, lon: 119.9 },
          eta: new Date(etaMs).toISOString(),
          dueAt: null,
          expectedKg: 10,
          kgByCategory: { paper: 10 },
        })),
        km: 1,
        durationMinutes: 60,
        loadKg: 10 * stops.length,
        capacityKg: 8000,
      },
    ],
    unassigned: [],
    totals: { stops: stops.length, km: 1, kg: 10 * stops.length, vehiclesUsed: 1 },
  };
}

describe('stopsAheadBefore', () => {
  const now = T0 - 2 * H;
  const nextMorning = T0 + 16 * H;

  it("an earlier shift's stops still ahead, by box; not those already due, nor a later shift's", () => {
    const afternoon = plan('a', T0, now - H, [['B1', T0 + H], ['B2', T0 + 2 * H]]);
    const running = plan('r', T0 - 8 * H, now - 9 * H, [['B3', now - H], ['B4', now + H]]);
    const later = plan('l', nextMorning, now, [['B5', nextMorning + H]]);
    expect(Object.fromEntries(stopsAheadBefore([afternoon, running, later], nextMorning, now))).toEqual({ B1: T0 + H, B2: T0 + 2 * H, B4: now + H });
  });

  it('only the newest plan of a shift counts: the vehicles follow it', () => {
    const first = plan('a', T0, now - 2 * H, [['B1', T0 + H]]);
    const replanned = plan('b', T0, now - H, [['B2', T0 + H]]);
    expect([...stopsAheadBefore([replanned, first], nextMorning, now).keys()]).toEqual(['B2']);
  });

  it("a box on two earlier shifts' routes is emptied last at the later stop", () => {
    const one = plan('a', T0 - 8 * H, now - 9 * H, [['B1', now + H]]);
    const two = plan('b', T0, now - H, [['B1', T0 + 3 * H]]);
    expect(stopsAheadBefore([one, two], nextMorning, now).get('B1')).toBe(T0 + 3 * H);
  });
});
