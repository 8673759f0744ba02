/**
 * "The registry changed → re-check the connected clients": a credential withdrawn while its
 * holder is connected (a device certificate revoked, a secret rotated, a device removed) must
 * end that live session, not only the next CONNECT.
 *
 * The change usually comes from another process (the fleet CLI writes the same SQLite file),
 * so nothing calls us: every `intervalMs` (a PeriodicJob) the registry's change mark is read (a
 * counter moved by triggers on devices and vehicles, see SqliteFleetRegistry.changeMark) and
 * only when it moved is every live session asked `verdict(session)`. The poll itself costs one
 * small SELECT a second; the re-check runs only after a change.
 *
 * Generic on purpose: the broker adapter passes its live sessions and the verdict (what still
 * holds for a client), so each credential rule adds its check to that one verdict.
 */
import { PeriodicJob } from '../../../shared/periodic-job.ts';

export interface RegistryChanges {
  /** Any value that differs after a change to the registry (by this process or another). */
  changeMark(): number | string;
}

export interface SessionRecheckOptions<S> {
  changes: RegistryChanges;
  /** The live sessions to look at, read afresh on every re-check. */
  sessions: () => Iterable<S>;
  /** Why this session must end now, or undefined when it may stay. */
  verdict: (session: S) => string | undefined;
  /** Ends the session (the adapter also counts and logs the refusal). */
  end: (session: S, why: string) => void;
  /** How often the change mark is read; 1000 ms by default. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface SessionRecheck {
  /** Re-checks every session now if the registry changed since the last look; answers how many were ended. */
  poll(): number;
  stop(): void;
}

export const DEFAULT_RECHECK_INTERVAL_MS = 1000;

export function startSessionRecheck<S>(options: SessionRecheckOptions<S>): SessionRecheck {
  let mark = options.changes.changeMark();

  function poll(): number {
    const next = options.changes.changeMark();
    if (next === mark) return 0;
    mark = next;
    // Collected first: ending a session may remove it from the collection being iterated.
    const ending: Array<[S, string]> = [];
    for (const session of options.sessions()) {
      const why = options.verdict(session);
      if (why !== undefined) ending.push([session, why]);
    }
    for (const [session, why] of ending) options.end(session, why);
    return ending.length;
  }

  const job = new PeriodicJob({
    everyMs: options.intervalMs ?? DEFAULT_RECHECK_INTERVAL_MS,
    runAtStart: false,
    run: () => void poll(),
    // A locked or closed database must not take the broker down; the next tick tries again.
    onError: (error) => options.onError?.(error),
  });
  job.start();

  return {
    poll,
    stop: () => void job.stop(),
  };
}
