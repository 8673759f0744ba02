/**
 * Issue 15: an InfluxDB store opened while the server was down sets itself up (ping, database,
 * retention policies) on first use once it answers; until then writes and reads reject (the
 * journal retries, the API answers 503) and health() says it is down.
 */
import { describe, expect, it } from 'vitest';
import { InfluxTimeSeriesStore } from '../../../services/timeseries/adapters/influx-store.ts';
import type { TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

/** InfluxDB 1.x that is down until `up` is set; records the paths (and InfluxQL verbs) asked. */
function server() {
  const seen: string[] = [];
  const state = { up: false };
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    if (!state.up) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    const q = url.pathname === '/query' ? new URLSearchParams(String(init?.body ?? '')).get('q') ?? '' : '';
    seen.push(q ? `${url.pathname} ${q.split(' ').slice(0, 2).join(' ')}` : url.pathname);
    if (url.pathname === '/ping' || url.pathname === '/write') return new Response(null, { status: 204 });
    return new Response(JSON.stringify({ results: [{ statement_id: 0 }] }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen, state };
}

const deposit: TimeSeriesRecord = {
  type: 'deposit',
  tags: { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' },
  ts: Date.parse('2026-11-26T10:00:00+08:00'),
  eventId: 'd-1',
  category: 'paper',
  weightKg: 2.5,
  points: 25,
  residentHash: 'a'.repeat(64),
};

describe('InfluxTimeSeriesStore opened while InfluxDB is down', () => {
  it('rejects writes and reads while down, then sets itself up on the first write once the server answers', async () => {
    const influx = server();
    const store = new InfluxTimeSeriesStore({ url: 'http://influx:8086', api: 'v1', bucket: 'b', db: 'bp', utcOffsetMinutes: 480, fetch: influx.fetch });
    await expect(store.init()).rejects.toThrow(/not reachable/);
    expect(store.health()).toMatchObject({ up: false });
    const downSince = store.health().since;

    await expect(store.write([deposit])).rejects.toMatchObject({ retriable: true });
    await expect(store.weighTickets({ from: 0, to: 1 })).rejects.toThrow(/not reachable/);
    expect(store.health()).toMatchObject({ up: false, since: downSince });
    expect(influx.seen).toEqual([]);

    influx.state.up = true;
    await store.write([deposit]);
    expect(influx.seen).toEqual(['/ping', '/query CREATE DATABASE', '/write']);
    expect(store.health()).toMatchObject({ store: 'influxdb', up: true, error: null });

    // Set up once: later writes go straight to /write.
    await store.write([deposit]);
    expect(influx.seen.slice(3)).toEqual(['/write']);
  });

  it('goes down and up with the server after it was set up', async () => {
    const influx = server();
    influx.state.up = true;
    const store = new InfluxTimeSeriesStore({ url: 'http://influx:8086', api: 'v1', bucket: 'b', db: 'bp', utcOffsetMinutes: 480, fetch: influx.fetch });
    await store.init();
    expect(store.health().up).toBe(true);
    influx.state.up = false;
    await expect(store.write([deposit])).rejects.toBeDefined();
    expect(store.health()).toMatchObject({ up: false, error: expect.stringMatching(/not reachable|ECONNREFUSED|fetch failed/) });
    influx.state.up = true;
    await store.write([deposit]);
    expect(store.health().up).toBe(true);
  });
});
