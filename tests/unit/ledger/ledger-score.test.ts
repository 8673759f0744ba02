/** Scoring the ledger evaluation (evaluate/ledger/score.ts) on hand-made anomalies and alerts. */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/units.ts';
import type { LoggedAlert } from '../../../evaluate/ledger/alert-log.ts';
import { scoreLedger } from '../../../evaluate/ledger/score.ts';
import type { InjectedAnomaly } from '../../../simulators/core/anomalies.ts';

const T0 = Date.parse('2026-11-02T00:00:00+08:00');
const h = (hours: number) => T0 + hours * HOUR_MS;
const anomaly = (kind: InjectedAnomaly['kind'], atMs: number, more: Partial<InjectedAnomaly> = {}): InjectedAnomaly => ({
  kind,
  atMs,
  at: new Date(atMs).toISOString(),
  siteId: 'ts-01',
  scaleId: 'scale-ts-01',
  plate: '苏D·P8074',
  ...more,
});
const alert = (key: string, firstSeenMs: number, evidence: Record<string, unknown> = {}, sightings = [firstSeenMs]): LoggedAlert => ({
  key,
  firstSeenMs,
  lastSeenMs: sightings.at(-1)!,
  sightings,
  open: true,
  evidence,
});

describe('ledger evaluation score', () => {
  it('gives each of two light loads of one truck its own alert, in time order', () => {
    const anomalies = [anomaly('light', h(11)), anomaly('light', h(17))];
    const alerts = [alert('ledger_mismatch:trip:苏DP8074:a', h(12), { plate: '苏D·P8074' }), alert('ledger_mismatch:trip:苏DP8074:b', h(18), { plate: '苏DP8074' })];
    const score = scoreLedger(anomalies, alerts, h(30 * 24));
    expect(score.byKind.light).toMatchObject({ injected: 2, found: 2, missed: 0, medianHoursToAlert: 1 });
    expect(score.falseAlerts).toBe(0);
  });

  it('finds a drift by a sighting of its scale alert during it, and calls a young unseen drift pending', () => {
    const until = h(24 * 6);
    const drifts = [anomaly('drift', h(0), { driftUntilMs: until }), anomaly('drift', h(24 * 27), { scaleId: 'scale-ts-02', driftUntilMs: h(24 * 33) })];
    const scaleAlert = alert('ledger_mismatch:scale:scale-ts-01', h(60), {}, [h(60), h(70)]);
    const score = scoreLedger(drifts, [scaleAlert], h(24 * 28));
    expect(score.byKind.drift).toMatchObject({ injected: 2, pending: 1, found: 1, missed: 0, medianHoursToAlert: 60 });
  });

  it('counts a missed anomaly and an alert nothing explains', () => {
    const score = scoreLedger([anomaly('missing', h(10))], [alert('ledger_mismatch:trip:苏DX0001:a', h(12), { plate: '苏D·X0001' })], h(24 * 3));
    expect(score.byKind.missing).toMatchObject({ found: 0, missed: 1 });
    expect(score.missed).toHaveLength(1);
    expect(score.falseAlertKeys).toEqual(['ledger_mismatch:trip:苏DX0001:a']);
  });

  it("counts a day's shipments short while a scale drifted apart from the false alerts", () => {
    const drift = anomaly('drift', h(0), { driftUntilMs: h(24 * 5) });
    const during = alert('ledger_mismatch:shipped_received:2026-11-04', h(24 * 3));
    const after = alert('ledger_mismatch:shipped_received:2026-11-20', h(24 * 19));
    const score = scoreLedger([drift], [during, after], h(24 * 28));
    expect(score.shipmentAlertsDuringDrift).toBe(1);
    expect(score.falseAlertKeys).toEqual(['ledger_mismatch:shipped_received:2026-11-20']);
  });
});
