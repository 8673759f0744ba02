/** The live forecast service: fed in order, held behind the demo history, read back after a restart. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ForecastService } from '../../../services/planning/forecast-service.ts';
import { COLLECTION_DROP, historyFromReadings, readingSourceOf, type StoredReading } from '../../../services/planning/forecast-seed.ts';
import { FakeRegistry, FakeTimeSeries, makeDevice } from '../../support/api-fakes.ts';
import { deposit, steadyFill, telemetry } from '../../support/forecast-feed.ts';

const HOUR_MS = 3_600_000;
const NOW = Date.parse('2026-11-10T04:00:00Z');
const box = makeDevice('B001');
const camera = makeDevice('C001', { kind: 'camera' });

function service(now = () => NOW, fullLevel = 0.9) {
  const registry = new FakeRegistry([box, camera, makeDevice('B002')]);
  return new ForecastService({ registry, fullLevelFor: () => fullLevel, utcOffsetMinutes: 480, now, logger: pino({ level: 'silent' }), boxesPerTurn: 1 });
}
const paperOf = (s: ForecastService) => s.boxForecast(box)!.compartments.find((c) => c.category === 'paper')!;

describe('ForecastService', () => {
  it('learns from the messages it observes; a camera has no forecast', () => {
    const s = service();
    for (const m of steadyFill('B001', 'paper', 120, 2, NOW - 48 * HOUR_MS, NOW)) s.observe(m, box);
    const paper = paperOf(s);
    expect(paper.level).toBeCloseTo(0.8, 5);
    expect(Date.parse(paper.fullAt!)).toBeGreaterThan(NOW);
    expect(s.boxForecast(camera)).toBeNull();
  });

  it('aims at the full level it is given per device', () => {
    const messages = steadyFill('B001', 'paper', 120, 2, NOW - 48 * HOUR_MS, NOW);
    const at = (fullLevel: number) => {
      const s = service(() => NOW, fullLevel);
      for (const m of messages) s.observe(m, box);
      return { level: paperOf(s).fullLevel, at: Date.parse(paperOf(s).fullAt!) };
    };
    expect(at(0.85).level).toBe(0.85);
    expect(at(0.85).at).toBeLessThan(at(0.95).at);
  });

  it('a new message replaces the cached forecast at once', () => {
    const s = service();
    for (const m of steadyFill('B001', 'paper', 120, 2, NOW - 48 * HOUR_MS, NOW)) s.observe(m, box);
    expect(paperOf(s).level).toBeCloseTo(0.8, 5);
    s.observe(deposit('B001', NOW, 'paper', 12), box);
    expect(paperOf(s).level).toBeCloseTo(0.9, 5);
  });

  it('holds live messages until the demo history is written, then applies them after it', () => {
    const s = service();
    const history = steadyFill('B001', 'paper', 120, 2, NOW - 48 * HOUR_MS, NOW - HOUR_MS);
    s.holdLive();
    s.observe(telemetry('B001', NOW, [{ category: 'paper', fillingLevel: 0.5, weightKg: 60 }]), box);
    for (const m of history) s.observeHistory(m, box);
    // Held: the history's last reading (94 kg) is the level meanwhile.
    expect(paperOf(s).level).toBeCloseTo(94 / 120, 5);
    s.releaseLive();
    expect(paperOf(s).level).toBe(0.5);
  });

  it('reads histories back from a store, rating a box poor (loading_history) until its turn', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    const s = service();
    s.seedFrom(async (deviceId, fromMs, toMs) => {
      asked.push(deviceId);
      expect(toMs - fromMs).toBe(14 * 24 * HOUR_MS);
      await gate;
      if (deviceId !== 'B001') return [];
      return Array.from({ length: 49 }, (_, i) => ({ category: 'paper' as const, atMs: NOW - (48 - i) * HOUR_MS, level: i / 60 }));
    });
    expect(paperOf(s).reliability).toMatchObject({ rating: 'poor', reasons: expect.arrayContaining(['loading_history']) });
    release();
    await s.seeded;
    expect(asked.sort()).toEqual(['B001', 'B002']);
    const paper = paperOf(s);
    expect(paper.reliability.reasons).not.toContain('loading_history');
    expect(paper.level).toBeCloseTo(0.8, 5);
    // The rate learned from rising readings alone (1/60 of the capacity an hour): 0.1 more in ~6 h.
    expect(paper.fillRatePerHour).toBeGreaterThan(0);
    expect(Date.parse(paper.fullAt!) - NOW).toBeGreaterThan(4 * HOUR_MS);
    expect(Date.parse(paper.fullAt!) - NOW).toBeLessThan(9 * HOUR_MS);
  });
});

describe('forecast-seed', () => {
  it('reads a sharp fall between two readings as a collection, noise not', () => {
    const r = (h: number, level: number): StoredReading => ({ category: 'paper', atMs: NOW + h * HOUR_MS, level });
    const noisy = historyFromReadings([r(0, 0.5), r(1, 0.5 - COLLECTION_DROP / 2), r(2, 0.55)], 120, 480);
    expect(noisy.lastCollectionMs).toBeNull();
    const emptied = historyFromReadings([r(0, 0.8), r(1, 0.05), r(2, 0.1)], 120, 480);
    expect(emptied.lastCollectionMs).toBe(NOW + HOUR_MS);
    expect(emptied.cycle).toBe(1);
  });

  it('without an hourly rollup, takes the fillingLevel points of the raw series', async () => {
    const ts = new FakeTimeSeries([
      { ts: '2026-11-10T01:00:00.000Z', metric: 'fillingLevel', category: 'paper', value: 0.3 },
      { ts: '2026-11-10T01:00:00.000Z', metric: 'temperatureC', category: null, value: 20 },
      { ts: '2026-11-10T01:05:00.000Z', metric: 'depositKg', category: 'paper', value: 2 },
    ]);
    const read = await readingSourceOf(ts)('B001', 0, NOW);
    expect(read).toEqual([{ category: 'paper', atMs: Date.parse('2026-11-10T01:00:00.000Z'), level: 0.3 }]);
  });

  it('with the hourly rollup, reads it (the last reading of each hour)', async () => {
    const store = {
      deviceSeries: async () => [],
      fillHourly: async () => [{ hour: NOW - HOUR_MS, deviceId: 'B001', category: 'glass' as const, maxFillingLevel: 0.5, lastFillingLevel: 0.4, lastTs: NOW - 1000 }],
    };
    expect(await readingSourceOf(store)('B001', 0, NOW)).toEqual([{ category: 'glass', atMs: NOW - 1000, level: 0.4 }]);
  });
});
