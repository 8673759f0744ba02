/** The runner's counters, the one-line summary, and when that line is worth printing. */
import { toLocalIso } from '../../shared/units.ts';
import { type AnomalyKind, formatAnomalies } from '../core/anomalies.ts';
import type { VehicleStats } from './vehicle-fleet.ts';

export interface SimulationStats {
  /** Simulated now, district local time. */
  simTime: string;
  simMs: number;
  startMs: number;
  /** Simulated seconds per real second right now (1 once caught up with the real clock). */
  speed: number;
  caughtUp: boolean;
  running: boolean;
  devices: { total: number; boxes: number; cameras: number; connected: number; dark: number };
  messages: {
    telemetry: number;
    heartbeats: number;
    deposits: number;
    collections: number;
    detections: number;
    faults: number;
  };
  depositedKg: number;
  publishErrors: number;
  connectionErrors: number;
  /** Collection vehicles following plans; absent under fixed rounds. */
  vehicles?: VehicleStats;
  /** The chain after the box (issue 14); absent when no scale is simulated. */
  chain?: ChainStatus;
}

export interface ChainStatus {
  /** Published since the runner started (a replayed history's are not counted). */
  weighTickets: number;
  sortingReports: number;
  /** Injected since the simulation began, a replayed history included: what the ledger should have caught. */
  anomalies: Record<AnomalyKind, number>;
}

export function emptyMessageCounts(): SimulationStats['messages'] {
  return { telemetry: 0, heartbeats: 0, deposits: 0, collections: 0, detections: 0, faults: 0 };
}

export function formatStatusLine(s: SimulationStats, utcOffsetMinutes: number): string {
  const when = toLocalIso(s.simMs, utcOffsetMinutes).replace('T', ' ').replace(/\.\d{3}/, ' ');
  const m = s.messages;
  const pace = s.caughtUp ? 'caught up with the real clock, running at real time (x1)' : `x${s.speed}`;
  return [
    `[sim] ${when}  ${pace}`,
    `${s.devices.connected}/${s.devices.total} connected`,
    `telemetry ${m.telemetry} heartbeats ${m.heartbeats} deposits ${m.deposits} collections ${m.collections} detections ${m.detections} faults ${m.faults}`,
    `${(s.depositedKg / 1000).toFixed(2)} t deposited`,
    ...(s.vehicles ? [`vehicles ${s.vehicles.connected}/${s.vehicles.total} connected, ${s.vehicles.stopsServed} stops served`] : []),
    ...(s.chain ? [`weigh tickets ${s.chain.weighTickets} sorting reports ${s.chain.sortingReports}`, formatAnomalies(s.chain.anomalies)] : []),
    `${s.publishErrors} publish errors`,
  ].join(' | ');
}

/**
 * Which of the periodic status lines to print. Every one while the fleet catches up (simulated
 * time behind the real clock and running faster: progress someone waits for) or when `everyLine` (stderr is a
 * terminal: someone watching the simulator). Otherwise, e.g. below the platform's start-up banner
 * or into a log: one line once every device is connected (or deliberately dark), then only when
 * publish errors grow. Connection errors are logged by the runner as they happen.
 */
export function statusLineGate(everyLine: boolean = process.stderr.isTTY === true): (s: SimulationStats) => boolean {
  let saidConnected = false;
  let publishErrorsShown = 0;
  return (s) => {
    const moreErrors = s.publishErrors > publishErrorsShown;
    publishErrorsShown = s.publishErrors;
    // At x1 the simulated clock trails the real one by the connection time for ever: not catching up.
    const catchingUp = !s.caughtUp && s.speed > 1;
    if (everyLine || catchingUp) return true;
    if (!saidConnected && s.devices.connected + s.devices.dark >= s.devices.total) {
      saidConnected = true;
      return true;
    }
    return moreErrors;
  };
}
