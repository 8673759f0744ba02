/**
 * Lets at most `perTurn` callers through per event-loop turn; the rest wait for later turns.
 * The alert stream starts its streams through one (issue 15): a crowd of dashboards
 * reconnecting at once arrives in one poll phase, and writing hundreds of snapshots in that
 * one turn would hold every device's PUBACK back until the last was written. Between batches
 * the loop goes round, so the broker's sockets are served.
 * `defer` is setImmediate in production, injectable for tests.
 */
export type Turnstile = () => Promise<void>;

export function createTurnstile(perTurn: number, defer: (fn: () => void) => void = setImmediate): Turnstile {
  let admitted = 0;
  let scheduled = false;
  const waiting: Array<() => void> = [];

  function nextTurn(): void {
    if (scheduled) return;
    scheduled = true;
    defer(() => {
      scheduled = false;
      admitted = 0;
      for (const release of waiting.splice(0, perTurn)) {
        admitted += 1;
        release();
      }
      // Admitted callers count against this turn; the one after starts from zero again.
      if (admitted > 0) nextTurn();
    });
  }

  return () => {
    if (admitted < perTurn && waiting.length === 0) {
      admitted += 1;
      nextTurn();
      return Promise.resolve();
    }
    nextTurn();
    return new Promise((release) => waiting.push(release));
  };
}
