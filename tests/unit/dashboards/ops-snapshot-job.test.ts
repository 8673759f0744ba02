/**
 * The snapshot job (start/stop, one write at a time, rates across failures) with fake timers
 * and sink, and the InfluxDB store's writePoints() over a fake fetch answering like 1.x.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEAD_LETTER_REASONS, type DeadLetterReason } from '../../../shared/contracts/index.ts';
import { InfluxTimeSeriesStore, type PointsWriteReport } from '../../../services/timeseries/adapters/influx-store.ts';
import { OpsSnapshotJob, type PointsSink } from '../../../services/timeseries/adapters/ops-snapshot-job.ts';
import type { LinePoint } from '../../../services/timeseries/core/influx-line-protocol.ts';
import type { OpsSnapshotInput } from '../../../services/timeseries/core/ops-snapshot.ts';

const counts = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 0])) as Record<DeadLetterReason, number>;
const snapshotAt = (at: number, messagesAccepted: number): OpsSnapshotInput => ({
  at,
  devices: [],
  openAlerts: () => 0,
  messagesAccepted,
  deadLetters: counts,
  journal: { backlogBytes: 0, maxBytes: 1024, backlogs: new Map() },
});

function fakeTimers() {
  let tick: (() => void) | null = null;
  return {
    timers: {
      setInterval: (fn: () => void) => ((tick = fn), 'handle'),
      clearInterval: () => void (tick = null),
    },
    tick: () => tick?.(),
    running: () => tick !== null,
  };
}

const ok = (points: readonly LinePoint[]): PointsWriteReport => ({ written: points.length, rejected: [], unattributed: null });
const rateOf = (points: readonly LinePoint[]) => points.find((p) => p.measurement === 'ingest_stats')!.fields.messagesPerSecond;

describe('OpsSnapshotJob', () => {
  it('writes at start and on every tick; stop() clears the timer', async () => {
    const written: (readonly LinePoint[])[] = [];
    const sink: PointsSink = { writePoints: async (points) => (written.push(points), ok(points)) };
    let now = 1_000_000;
    let accepted = 0;
    const t = fakeTimers();
    const job = new OpsSnapshotJob({ sink, collect: (at) => snapshotAt(at, accepted), intervalMs: 10_000, now: () => now }, t.timers);
    job.start();
    await job.stop().then(() => job.start()); // idempotent restart keeps one timer
    expect(t.running()).toBe(true);
    await new Promise<void>((resolve) => setImmediate(resolve)); // the write at start is done
    now += 10_000;
    accepted = 500;
    t.tick();
    await vi.waitFor(() => expect(written).toHaveLength(3));
    expect(rateOf(written[0]!)).toBeNull();
    expect(rateOf(written[2]!)).toBe(50);
    await job.stop();
    expect(t.running()).toBe(false);
  });

  it('skips a tick while the previous write waits; a failed write is reported and widens the next rate', async () => {
    const written: (readonly LinePoint[])[] = [];
    const answers: (() => Promise<void>)[] = [];
    let release = () => {};
    answers.push(() => new Promise<void>((resolve) => (release = resolve)));
    answers.push(() => Promise.reject(new Error('influx down')));
    answers.push(() => Promise.resolve());
    const sink: PointsSink = {
      writePoints: async (points) => {
        await answers.shift()!();
        written.push(points);
        return ok(points);
      },
    };
    const errors: unknown[] = [];
    let now = 0;
    let accepted = 0;
    const job = new OpsSnapshotJob(
      { sink, collect: (at) => snapshotAt(at, accepted), intervalMs: 1000, now: () => now, onError: (e) => errors.push(e) },
      fakeTimers().timers,
    );
    const first = job.runOnce();
    expect(await job.runOnce()).toBe(false); // the first is still waiting on the server
    release();
    expect(await first).toBe(true);
    now = 1000;
    accepted = 150;
    expect(await job.runOnce()).toBe(false);
    expect(errors).toEqual([new Error('influx down')]);
    now = 2000;
    accepted = 200;
    expect(await job.runOnce()).toBe(true);
    // 200 messages over the 2 s since the last stored snapshot, not 50 over 1 s since the lost one.
    expect(written.map(rateOf)).toEqual([null, 100]);
  });
});

describe('InfluxTimeSeriesStore.writePoints', () => {
  function store(answer: (body: string) => Response) {
    const requests: { url: string; body: string }[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const body = String(init?.body ?? '');
      requests.push({ url: String(input), body });
      return answer(body);
    }) as typeof globalThis.fetch;
    const influx = new InfluxTimeSeriesStore({ url: 'http://influx.test', api: 'v1', bucket: 'b', db: 'bp', utcOffsetMinutes: 480, rawRetentionDays: 90, fetch });
    return { influx, requests };
  }
  const point = (value: number): LinePoint => ({ measurement: 'ingest_stats', tags: {}, fields: { messagesAccepted: value }, timestampNs: '1000000' });

  it('writes through /write into the raw policy under managed retention', async () => {
    const { influx, requests } = store(() => new Response(null, { status: 204 }));
    const report = await influx.writePoints([point(1), point(2)]);
    expect(report).toEqual({ written: 2, rejected: [], unattributed: null });
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe('/write');
    expect(Object.fromEntries(url.searchParams)).toEqual({ db: 'bp', precision: 'ns', rp: 'raw' });
    expect(requests[0]!.body).toBe('ingest_stats messagesAccepted=1.0 1000000\ningest_stats messagesAccepted=2.0 1000000');
  });

  it('sets aside what cannot be encoded or what the server refuses, and rejects when nothing was stored', async () => {
    const partial = store((body) => {
      const second = body.split('\n')[1];
      return new Response(JSON.stringify({ error: `partial write: unable to parse '${second}': invalid field format dropped=0` }), { status: 400 });
    });
    const report = await partial.influx.writePoints([point(1), point(Number.NaN), point(3)]);
    expect(report.written).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([null, 'ingest_stats messagesAccepted=3.0 1000000']);

    const down = store(() => new Response('overloaded', { status: 503 }));
    await expect(down.influx.writePoints([point(1)])).rejects.toMatchObject({ name: 'InfluxWriteError', retriable: true });
    await down.influx.close();
    await expect(down.influx.writePoints([point(1)])).rejects.toThrow(/closed/);
  });
});
