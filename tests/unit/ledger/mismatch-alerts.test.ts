import { describe, expect, it } from 'vitest';
import { ledgerMismatchCommands, type RecordedAlert } from '../../../services/ledger/core/mismatch-alerts.ts';
import { ledgerFindings } from '../../../services/ledger/core/findings.ts';
import { ledgerWorkings } from '../../../services/ledger/core/mass-balance.ts';
import { at, collection, DAY, inputs, OFFSET, ticket } from './fixtures.ts';

/** The next day at noon: the day's books are closed (over, nothing on the road). */
const NOW = at('12:00', '2026-12-02');
const options = { fromDay: DAY, toDay: DAY, utcOffsetMinutes: OFFSET, nowMs: NOW };

/** One day with one of each anomaly: a light load, a missing weigh-in, two heavy trips at a drifting scale, a shipment received short. */
function anomalousDay() {
  return inputs({
    collections: [
      collection('truck-01', '08:00', 'hongmei', { paper: 1000 }),
      collection('truck-02', '08:00', 'tianning', { paper: 1500 }),
      collection('苏D·R0003', '08:00', 'lanling', { glass: 900 }),
      collection('苏D·R0004', '08:00', 'chashan', { metal: 500 }),
      collection('苏D·R0004', '14:00', 'chashan', { metal: 600 }),
    ],
    tickets: [
      ticket({ plate: '苏D·H0001', netKg: 850, hhmm: '11:30', ticketId: 'TS01-1' }), // 150 kg short
      ticket({ plate: '苏D·R0004', netKg: 560, hhmm: '11:30', scaleId: 'scale-ts-04', ticketId: 'TS04-1' }), // 60 kg heavy
      ticket({ plate: '苏D·R0004', netKg: 680, hhmm: '17:30', scaleId: 'scale-ts-04', ticketId: 'TS04-2' }), // 80 kg heavy
      ticket({ plate: '苏D·H0002', netKg: 1500, hhmm: '11:30' }),
      ticket({ plate: '苏D·S0001', netKg: 3000, hhmm: '18:30', direction: 'out', reference: 'N1' }),
      ticket({ plate: '苏D·S0001', netKg: 2800, hhmm: '19:30', siteKind: 'sorting_centre', reference: 'N1' }),
    ],
  });
}

const nothingRecorded = (): RecordedAlert => undefined;

describe('ledger_mismatch', () => {
  it('raises one alert per light trip, missing weigh-in, heavy scale and short day, with the evidence', () => {
    const findings = ledgerFindings(ledgerWorkings(anomalousDay(), options), OFFSET, NOW);
    const commands = ledgerMismatchCommands(findings, nothingRecorded, [], at('23:59'));
    const raises = commands.filter((c) => c.op === 'raise');
    expect(raises.map((c) => [c.message.code, c.key.replace(/c-\d+$/u, 'c-N')]).sort()).toEqual(
      [
        ['ledger_mismatch.missing_weigh_in', 'ledger_mismatch:trip:苏DR0003:c-N'],
        ['ledger_mismatch.shipments', 'ledger_mismatch:shipped_received:2026-12-01'],
        ['ledger_mismatch.trip_heavy', 'ledger_mismatch:scale:scale-ts-04'],
        ['ledger_mismatch.trip_heavy', 'ledger_mismatch:scale:scale-ts-04'], // one alert, counted twice
        ['ledger_mismatch.trip_light', 'ledger_mismatch:trip:苏DH0001:c-N'],
      ].sort(),
    );
    const light = raises.find((c) => c.key.startsWith('ledger_mismatch:trip:苏DH0001'))!;
    expect(light).toMatchObject({
      type: 'ledger_mismatch',
      severity: 'warning',
      title: 'Load of 苏D·H0001 weighed in at 850 kg (ticket TS01-1), 1,000 kg collected: 150 kg short (tolerance 50 kg)',
      evidence: { plate: '苏D·H0001', ticketId: 'TS01-1', scaleId: 'scale-ts-01', fromKg: 1000, toKg: 850, lossKg: 150, toleranceKg: 50, leg: 'collected_weighed_in' },
    });
    const missing = raises.find((c) => c.message.code === 'ledger_mismatch.missing_weigh_in')!;
    expect(missing.title).toBe('No weigh-in for 苏D·R0003: 900 kg collected from 1 boxes on 2026-12-01');
    const day = raises.find((c) => c.message.code === 'ledger_mismatch.shipments')!;
    expect(day.evidence).toEqual({ day: DAY, leg: 'shipped_received', fromKg: 3000, toKg: 2800, lossKg: 200, toleranceKg: 100, references: ['N1'] });
  });

  it("judges a day's shipments only once the day is over and none of them is on the road", () => {
    const shipments = (nowMs: number) =>
      ledgerFindings(ledgerWorkings(anomalousDay(), { ...options, nowMs }), OFFSET, nowMs).filter((f) => f.kind === 'shipments');
    expect(shipments(at('23:59'))).toEqual([]); // the day is not over: more shipments may come
    expect(shipments(NOW)).toHaveLength(1);
    // A shipment weighed out at 23:30 and not yet received at 00:30 keeps the day open.
    const late = anomalousDay();
    const onTheRoad = inputs({ ...late, tickets: [...late.tickets, ticket({ plate: '苏D·S0002', netKg: 2000, hhmm: '23:30', direction: 'out', reference: 'N2' })] });
    const early = at('00:30', '2026-12-02');
    expect(ledgerFindings(ledgerWorkings(onTheRoad, { ...options, nowMs: early }), OFFSET, early).filter((f) => f.kind === 'shipments')).toEqual([]);
  });

  it("leaves a day's shipments short only by what left over a scale reading trips heavy to that scale's alert", () => {
    const day = anomalousDay();
    // The short shipment (3,000 out, 2,800 in) weighed out over scale-ts-04, which reads trips heavy.
    const overHeavyScale = inputs({ ...day, tickets: day.tickets.map((t) => (t.reference === 'N1' && t.direction === 'out' ? { ...t, scaleId: 'scale-ts-04' } : t)) });
    const kinds = ledgerFindings(ledgerWorkings(overHeavyScale, options), OFFSET, NOW).map((f) => f.kind);
    expect(kinds).not.toContain('shipments');
    expect(kinds).toContain('trip_heavy');
    // Over a scale nobody suspects, the same shortfall is the day's own finding.
    expect(ledgerFindings(ledgerWorkings(day, options), OFFSET, NOW).map((f) => f.kind)).toContain('shipments');
  });

  it('a day without anomalies raises nothing', () => {
    const quiet = anomalousDay();
    const fine = inputs({
      collections: quiet.collections.filter((c) => c.vehicleId === 'truck-02'),
      tickets: quiet.tickets.filter((t) => t.plate === '苏D·H0002'),
    });
    expect(ledgerFindings(ledgerWorkings(fine, options), OFFSET, NOW)).toEqual([]);
  });

  it('is idempotent: a key already recorded (open or resolved) is not raised again; a heavy scale counts only newer trips', () => {
    const findings = ledgerFindings(ledgerWorkings(anomalousDay(), options), OFFSET, NOW);
    const first = ledgerMismatchCommands(findings, nothingRecorded, [], at('23:59'));
    const recorded = new Map<string, RecordedAlert>(first.map((c) => [c.key, { open: false, lastSeenMs: at('12:00') }]));
    const again = ledgerMismatchCommands(findings, (key) => recorded.get(key), [], at('23:59'));
    // The scale's alert last saw a trip at 12:00: only the 17:30 trip is new.
    expect(again.map((c) => [c.key, c.op === 'raise' ? c.evidence.ticketId : null])).toEqual([['ledger_mismatch:scale:scale-ts-04', 'TS04-2']]);
  });

  it('clears the day whose shipments agree now, only when its alert is open', () => {
    const open = (key: string): RecordedAlert => (key.endsWith(DAY) ? { open: true, lastSeenMs: 0 } : undefined);
    expect(ledgerMismatchCommands([], open, [DAY, '2026-12-02'], at('23:59'))).toEqual([
      { op: 'clear', key: `ledger_mismatch:shipped_received:${DAY}`, at: at('23:59'), reason: 'the shipments of the day agree with what the sorting centre received' },
    ]);
  });
});
