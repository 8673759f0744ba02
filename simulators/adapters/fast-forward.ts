/**
 * Replays the demo history silently before the fleet goes live: the same run as the one the
 * platform wrote (historyFleetOptions), its messages dropped, only its state kept. A few
 * simulated hours per event-loop turn, so a signal is still heard meanwhile.
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { FleetSimulation } from '../core/fleet.ts';
import { historyBatches, type HistorySpan } from '../core/history.ts';

const STEP_MS = 6 * 3_600_000;

export async function fastForward(engine: FleetSimulation, span: HistorySpan, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let days = 0;
  for (const batch of historyBatches(engine, span, STEP_MS)) {
    days = batch.progress.daysDone;
    await turn();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`[sim] replayed the ${days} days of history and today so far in ${seconds} s (not published: the platform wrote them); going live`);
}
