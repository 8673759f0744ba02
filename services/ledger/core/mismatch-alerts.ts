/**
 * ledger_mismatch (issue 14, mass balance): a trip weighed in light, a weighbridge reading heavy, a
 * trip never weighed in, or a day's shipments received short at the sorting centre. Raised by the
 * ledger's periodic check (services/ledger/ledger-service.ts) from its findings, with the kg on
 * both sides as evidence. Pure: findings and what is already recorded in, commands out.
 *
 * Idempotent over recomputation: a trip or day that already has an alert under its key, in any
 * status, is not raised again (a manager who resolved it is not asked twice); a scale's alert
 * counts only trips weighed in after its last sighting. A day's shipments that come to agree
 * (a late receipt) clear their alert.
 */
import type { AlertEvidence } from '../../../shared/contracts/index.ts';
import { alertKey } from '../../alerts/core/keys.ts';
import type { SystemAlertCommand } from '../../alerts/core/ports.ts';
import { alertText, type AlertText } from '../../alerts/core/titles.ts';
import type { LedgerFinding } from './findings.ts';

/** What the alert store holds under a key: nothing, or the latest alert's status and last sighting. */
export type RecordedAlert = { open: boolean; lastSeenMs: number } | undefined;

const SUBJECT = { system: { name: 'ledger' } } as const;
const kg = (value: number): number => Math.round(value);

export function ledgerFindingKey(finding: LedgerFinding): string {
  switch (finding.kind) {
    case 'trip_light':
    case 'missing_weigh_in':
      return alertKey.ledgerTrip(finding.tripId);
    case 'trip_heavy':
      return alertKey.ledgerScale(finding.scaleId);
    case 'shipments':
      return alertKey.ledgerShipments(finding.day);
  }
}

export function ledgerMismatchCommands(
  findings: readonly LedgerFinding[],
  recorded: (key: string) => RecordedAlert,
  /** Days checked whose shipments agree now: their open alert, if any, is cleared. */
  agreeingDays: readonly string[],
  at: number,
): SystemAlertCommand[] {
  const commands: SystemAlertCommand[] = [];
  for (const finding of findings) {
    const key = ledgerFindingKey(finding);
    const before = recorded(key);
    if (finding.kind === 'trip_heavy' ? before !== undefined && finding.atMs <= before.lastSeenMs : before !== undefined) continue;
    const { title, message } = text(finding);
    commands.push({ op: 'raise', key, type: 'ledger_mismatch', severity: 'warning', title, message, subject: SUBJECT, evidence: evidence(finding), at });
  }
  for (const day of agreeingDays) {
    const key = alertKey.ledgerShipments(day);
    if (recorded(key)?.open) commands.push({ op: 'clear', key, at, reason: 'the shipments of the day agree with what the sorting centre received' });
  }
  return commands;
}

function text(f: LedgerFinding): AlertText {
  switch (f.kind) {
    case 'trip_light':
    case 'trip_heavy': {
      const params = { plate: f.plate, collected: kg(f.collectedKg), tolerance: kg(f.toleranceKg), weighed: kg(f.weighedInKg), ticketId: f.ticketId };
      return f.kind === 'trip_light'
        ? alertText('ledger_mismatch.trip_light', { ...params, loss: kg(f.lossKg) })
        : alertText('ledger_mismatch.trip_heavy', { ...params, scaleId: f.scaleId });
    }
    case 'missing_weigh_in':
      return alertText('ledger_mismatch.missing_weigh_in', { plate: f.plate, day: f.day, collected: kg(f.collectedKg), collections: f.collections });
    case 'shipments':
      return alertText('ledger_mismatch.shipments', {
        day: f.day,
        shipped: kg(f.leg.fromKg),
        received: kg(f.leg.toKg),
        loss: kg(f.leg.lossKg),
        tolerance: kg(f.leg.toleranceKg ?? 0),
      });
  }
}

function evidence(f: LedgerFinding): AlertEvidence {
  if (f.kind === 'shipments') {
    const { fromKg, toKg, lossKg, toleranceKg } = f.leg;
    return { day: f.day, leg: 'shipped_received', fromKg, toKg, lossKg, toleranceKg: toleranceKg ?? 0, references: f.references };
  }
  const trip = { plate: f.plate, day: f.day, leg: 'collected_weighed_in', collections: f.collections, fromKg: f.collectedKg, toleranceKg: f.toleranceKg };
  if (f.kind === 'missing_weigh_in') return { ...trip, toKg: 0, lossKg: f.collectedKg };
  return { ...trip, toKg: f.weighedInKg, lossKg: f.lossKg, ticketId: f.ticketId, scaleId: f.scaleId };
}
