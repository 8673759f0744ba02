/**
 * The ledger evaluation (issue 14): the demo district's chain after the box (boxes, vehicles,
 * transfer stations and their weighbridges, the sorting centre) simulated for some days with
 * anomalies injected (light loads, missing weigh-ins, drifting scales), its publishes fed to the
 * ledger's own periodic check (services/ledger/ledger-service.ts) every simulated hour, and the
 * alerts scored against what was injected (score.ts). In-process, no I/O.
 */
import type { Device, Site } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import { demoScales, demoSortingCentre } from '../../services/fleet/core/demo-chain.ts';
import { generateDemoSites } from '../../services/fleet/core/demo-sites.ts';
import { LedgerService } from '../../services/ledger/ledger-service.ts';
import type { ChainStats } from '../../simulators/core/anomalies.ts';
import { createFleetSimulation } from '../../simulators/core/fleet.ts';
import { LedgerAlertLog } from './alert-log.ts';
import { SimulatedLedgerRecords } from './inputs.ts';
import { scoreLedger, type LedgerScore } from './score.ts';

export interface LedgerEvaluationOptions {
  seed: string;
  /** The demo fleet's boxes (kind box). */
  boxes: readonly Device[];
  startMs: number;
  days: number;
  anomalyRate: number;
  utcOffsetMinutes?: number;
}

export interface LedgerEvaluationResult {
  days: number;
  chain: Omit<ChainStats, 'injected'>;
  injected: ChainStats['injected'];
  alerts: { total: number; byKind: Record<string, number>; log: LedgerAlertLog['alerts'] };
  score: LedgerScore;
}

/** "ledger_mismatch:trip:…" → "trip". */
const alertKind = (key: string): string => key.split(':')[1] ?? key;

export async function runLedgerEvaluation(options: LedgerEvaluationOptions): Promise<LedgerEvaluationResult> {
  const utcOffsetMinutes = options.utcOffsetMinutes ?? 480;
  const { stations, vehicles } = generateDemoSites({ seed: options.seed, boxes: options.boxes.map((b) => ({ lat: b.lat, lon: b.lon, subdistrict: b.subdistrict })) });
  const sites: Site[] = [...stations, demoSortingCentre()];
  const scales = demoScales(sites) as Device[];
  const devices = [...options.boxes, ...scales];
  const sim = createFleetSimulation({
    seed: options.seed,
    startMs: options.startMs,
    devices,
    sites,
    vehicles,
    hashResident: () => '0'.repeat(64),
    utcOffsetMinutes,
    minReportIntervalMs: HOUR_MS,
    tuning: { anomalyRate: options.anomalyRate },
  });
  const records = new SimulatedLedgerRecords(devices, sites, vehicles);
  const alerts = new LedgerAlertLog();
  const clock = { now: options.startMs };
  const ledger = new LedgerService({ source: records, alerts, utcOffsetMinutes, now: () => clock.now });
  const endMs = options.startMs + options.days * DAY_MS;
  for (let now = options.startMs + HOUR_MS; now <= endMs; now += HOUR_MS) {
    records.add(sim.advanceTo(now));
    clock.now = now;
    await ledger.check();
  }
  const { injected, ...chain } = sim.chain;
  const byKind: Record<string, number> = {};
  for (const a of alerts.alerts) byKind[alertKind(a.key)] = (byKind[alertKind(a.key)] ?? 0) + 1;
  return { days: options.days, chain, injected, alerts: { total: alerts.alerts.length, byKind, log: alerts.alerts }, score: scoreLedger(injected, alerts.alerts, endMs) };
}
