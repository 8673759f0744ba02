/** The runner's counters and the one-line summary printed every few real seconds. */
import { toLocalIso } from '../../shared/units.ts';

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
    `${s.publishErrors} publish errors`,
  ].join(' | ');
}
