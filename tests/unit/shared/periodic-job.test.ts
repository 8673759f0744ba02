/**
 * PeriodicJob on vitest's fake timers, through the real (unref'd) Node timer adapter: when it
 * runs, that runs never overlap, that failures are reported and the schedule goes on, and that
 * stop() clears the timer and waits for the run in progress.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicJob } from '../../../shared/periodic-job.ts';

/** A run that waits until the test lets it finish. */
function gate() {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open: () => open() };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PeriodicJob', () => {
  it('runs at start, before start() returns for a synchronous run, then every everyMs; start() is idempotent', async () => {
    let runs = 0;
    const job = new PeriodicJob({ everyMs: 1000, run: () => void runs++, onError: () => expect.fail('no error') });
    job.start();
    job.start();
    expect(runs).toBe(1);
    expect(job.started).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(5);
    await job.stop();
  });

  it('runAtStart: false waits one interval for the first run', async () => {
    let runs = 0;
    const job = new PeriodicJob({ everyMs: 30_000, runAtStart: false, run: () => void runs++, onError: () => undefined });
    job.start();
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(1);
    await job.stop();
  });

  it('never overlaps: ticks while a run is still going are skipped, not queued', async () => {
    const gates: ReturnType<typeof gate>[] = [];
    const job = new PeriodicJob({
      everyMs: 100,
      run: async () => {
        const g = gate();
        gates.push(g);
        await g.opened;
        return gates.length;
      },
      onError: () => undefined,
    });
    job.start();
    expect(gates).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(350); // three ticks while the first run waits
    expect(gates).toHaveLength(1);
    expect(await job.runNow()).toBeUndefined(); // skipped too
    gates[0]!.open();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(50); // the next tick (at 400) starts the second run
    expect(gates).toHaveLength(2);
    gates[1]!.open();
    await vi.advanceTimersByTimeAsync(0);
    gates.length = 0;
    const next = job.runNow();
    gates[0]!.open();
    expect(await next).toBe(1); // runNow hands back the run's result
    await job.stop();
  });

  it('reports a throwing or rejecting run and keeps its schedule', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const job = new PeriodicJob({
      everyMs: 10,
      run: () => {
        runs += 1;
        if (runs === 1) throw new Error('sync failure');
        if (runs === 2) return Promise.reject(new Error('async failure'));
        return Promise.resolve();
      },
      onError: (error) => errors.push(error),
    });
    job.start();
    await vi.advanceTimersByTimeAsync(20);
    expect(runs).toBe(3);
    expect(errors).toEqual([new Error('sync failure'), new Error('async failure')]);
    expect(await job.runNow()).toBeUndefined(); // undefined is this run's own (void) result
    await job.stop();
  });

  it('a failing error handler stops nothing', async () => {
    let runs = 0;
    const job = new PeriodicJob({
      everyMs: 10,
      run: async () => {
        runs += 1;
        throw new Error('down');
      },
      onError: () => {
        throw new Error('logger broken');
      },
    });
    job.start();
    await vi.advanceTimersByTimeAsync(30);
    expect(runs).toBe(4);
    await job.stop();
  });

  it('stop() clears the timer and resolves only when the run in progress is done', async () => {
    const g = gate();
    let runs = 0;
    let finished = false;
    const job = new PeriodicJob({
      everyMs: 100,
      run: async () => {
        runs += 1;
        await g.opened;
        finished = true;
      },
      onError: () => undefined,
    });
    job.start();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    expect(job.started).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('can start again after stop()', async () => {
    let runs = 0;
    const job = new PeriodicJob({ everyMs: 100, run: () => void runs++, onError: () => undefined });
    job.start();
    await job.stop();
    job.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(3);
    await job.stop();
  });

  it.each([0, -1, Number.NaN, Infinity])('refuses everyMs %s', (everyMs) => {
    expect(() => new PeriodicJob({ everyMs, run: () => undefined, onError: () => undefined })).toThrow(RangeError);
  });
});
