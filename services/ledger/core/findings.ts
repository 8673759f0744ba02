/**
 * What the ledger_mismatch alert is raised for (issue 14): per trip, collected vs weighed in; per
 * day, shipped vs received. Pure: the workings in, the findings out, each with its evidence.
 *
 * A trip weighed in lighter than collected lost material on the way (or at the station): one
 * finding per trip. A trip weighed in heavier points at the weighbridge, since nothing is added to
 * a truck between the boxes and the station; a drifting scale makes every trip there heavy, so
 * those are one finding per scale (the alert counts the trips). A missing weigh-in is per trip.
 */
import type { LegBalance } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { normalisePlate } from './inputs.ts';
import type { LedgerWorkings } from './mass-balance.ts';
import { dayLegs } from './mass-balance.ts';
import { shipmentAtMs } from './shipments.ts';
import { SHIPMENT_TOLERANCE, toleranceKg, withinTolerance } from './tolerance.ts';
import { tripAtMs, type Trip } from './trips.ts';

interface TripEvidence {
  plate: string;
  day: string;
  /** When the trip ended (its weigh-in, else its last collection), epoch ms. */
  atMs: number;
  collections: number;
  collectedKg: number;
  toleranceKg: number;
  /** Stable per trip: its plate and first collection (its ticket when it collected nothing). */
  tripId: string;
}

export type LedgerFinding =
  | (TripEvidence & { kind: 'trip_light' | 'trip_heavy'; ticketId: string; scaleId: string; weighedInKg: number; lossKg: number })
  | (TripEvidence & { kind: 'missing_weigh_in' })
  | { kind: 'shipments'; day: string; leg: LegBalance; references: string[] };

export function ledgerFindings(w: LedgerWorkings, utcOffsetMinutes: number, nowMs: number): LedgerFinding[] {
  const findings: LedgerFinding[] = [];
  for (const trip of w.trips) {
    if (trip.status === 'mismatch' && trip.weighIn && trip.lossKg !== null) {
      findings.push({
        ...tripEvidence(trip, utcOffsetMinutes),
        kind: trip.lossKg > 0 ? 'trip_light' : 'trip_heavy',
        ticketId: trip.weighIn.ticketId,
        scaleId: trip.weighIn.scaleId,
        weighedInKg: trip.weighIn.netKg,
        lossKg: trip.lossKg,
      });
    } else if (trip.status === 'missing_weigh_in') {
      findings.push({ ...tripEvidence(trip, utcOffsetMinutes), kind: 'missing_weigh_in' });
    }
  }
  // A scale that reads trips heavy reads its station's weigh-outs heavy too: a day's shipments
  // short only by what left over such a scale is that scale's finding, not a second one.
  const heavyScales = new Set(findings.flatMap((f) => (f.kind === 'trip_heavy' ? [f.scaleId] : [])));
  const none = { from: 0, to: 0 };
  for (const day of w.days) {
    // A day's shipments are judged once its books close: the day is over and none of its
    // shipments is still on the road. Before, the few shipments in so far carry two scales'
    // errors without the day's others to even them out (hourly checks raised on 12 of 28 days).
    if (!shipmentsClosed(w, day, utcOffsetMinutes, nowMs)) continue;
    const stages = w.districtDays.get(day)!;
    const leg = dayLegs(stages, none, w.shipmentLegs.get(`${day}|*`) ?? none).find((l) => l.leg === 'shipped_received')!;
    if (leg.within !== false) continue;
    if (withinWithoutScales(w, day, heavyScales, utcOffsetMinutes)) continue;
    const references = w.shipments
      .filter((s) => !s.inTransit && localDay((s.weighOut ?? s.weighIn)!.atMs, utcOffsetMinutes) === day)
      .map((s) => s.reference ?? s.weighIn?.ticketId ?? '?');
    findings.push({ kind: 'shipments', day, leg, references });
  }
  return findings;
}

/** The day's shipments, leaving out those weighed out over the given scales, agree within tolerance. */
function withinWithoutScales(w: LedgerWorkings, day: string, scales: ReadonlySet<string>, utcOffsetMinutes: number): boolean {
  if (scales.size === 0) return false;
  let shipped = 0;
  let received = 0;
  for (const s of w.shipments) {
    if (s.inTransit || localDay(shipmentAtMs(s), utcOffsetMinutes) !== day) continue;
    if (s.weighOut !== null && scales.has(s.weighOut.scaleId)) continue;
    shipped += s.weighOut?.netKg ?? 0;
    received += s.weighIn?.netKg ?? 0;
  }
  return withinTolerance(shipped - received, toleranceKg(shipped, SHIPMENT_TOLERANCE));
}

function shipmentsClosed(w: LedgerWorkings, day: string, utcOffsetMinutes: number, nowMs: number): boolean {
  if (nowMs < localDayStart(day, utcOffsetMinutes) + DAY_MS) return false;
  return !w.shipments.some((s) => s.inTransit && localDay(shipmentAtMs(s), utcOffsetMinutes) === day);
}

function tripEvidence(trip: Trip, utcOffsetMinutes: number): TripEvidence {
  const first = trip.collections[0];
  return {
    plate: trip.plate,
    day: localDay(tripAtMs(trip), utcOffsetMinutes),
    atMs: tripAtMs(trip),
    collections: trip.collections.length,
    collectedKg: trip.collectedKg,
    toleranceKg: trip.toleranceKg,
    tripId: `${normalisePlate(trip.plate)}:${first?.eventId ?? trip.weighIn?.ticketId}`,
  };
}
