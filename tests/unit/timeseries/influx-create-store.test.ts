import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import {
  createTimeSeriesStore,
  influxStoreConfig,
  openTimeSeriesStore,
} from '../../../services/timeseries/adapters/create-store.ts';
import { InfluxTimeSeriesStore } from '../../../services/timeseries/adapters/influx-store.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';

const config = (env: Record<string, string>) => loadConfig(env);

/** A fetch that records requests and answers like InfluxDB 1.x. */
function fakeFetch() {
  const calls: { url: URL; method: string; headers: Headers; body: string }[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: new URL(String(input)), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: String(init?.body ?? '') });
    const path = new URL(String(input)).pathname;
    if (path === '/ping') return new Response(null, { status: 204 });
    return new Response(JSON.stringify({ results: [{ statement_id: 0 }] }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe('createTimeSeriesStore', () => {
  it('without INFLUX_URL: the SQLite store, on the database openSqlite gives', async () => {
    const openSqlite = vi.fn(() => openDatabase(':memory:'));
    const store = createTimeSeriesStore(config({}), openSqlite);
    expect(store).toBeInstanceOf(SqliteTimeSeriesStore);
    expect(openSqlite).toHaveBeenCalledTimes(1);
    await store.close();
  });

  it('with INFLUX_URL: the InfluxDB store, and no SQLite file is opened', () => {
    const openSqlite = vi.fn(() => openDatabase(':memory:'));
    const store = createTimeSeriesStore(config({ INFLUX_URL: 'http://influx:8086', INFLUX_API: 'v1' }), openSqlite);
    expect(store).toBeInstanceOf(InfluxTimeSeriesStore);
    expect(openSqlite).not.toHaveBeenCalled();
  });

  it('v2 needs INFLUX_TOKEN and INFLUX_ORG: a ConfigError names each missing one', () => {
    const open = () => openDatabase(':memory:');
    const attempt = (env: Record<string, string>) => () => createTimeSeriesStore(config({ INFLUX_URL: 'http://influx:8086', ...env }), open);
    expect(attempt({})).toThrow(ConfigError);
    expect(attempt({})).toThrow(/INFLUX_TOKEN[\s\S]*INFLUX_ORG/);
    expect(attempt({ INFLUX_TOKEN: 't' })).toThrow(/INFLUX_ORG: required when INFLUX_API=v2/);
    expect(attempt({ INFLUX_TOKEN: 't' })).not.toThrow(/INFLUX_TOKEN/);
    expect(attempt({ INFLUX_ORG: 'o' })).toThrow(/INFLUX_TOKEN: required when INFLUX_API=v2/);
    expect(attempt({ INFLUX_TOKEN: 't', INFLUX_ORG: 'o' })).not.toThrow();
  });

  it('v1 credentials come in pairs', () => {
    const base = { INFLUX_URL: 'http://influx:8086', INFLUX_API: 'v1' };
    expect(() => influxStoreConfig(config({ ...base, INFLUX_USER: 'u' }))).toThrow(/INFLUX_PASSWORD/);
    expect(() => influxStoreConfig(config({ ...base, INFLUX_PASSWORD: 'p' }))).toThrow(/INFLUX_USER/);
  });

  it('maps every variable into the store configuration', () => {
    const settings = influxStoreConfig(
      config({
        INFLUX_URL: 'https://influx.example:8086',
        INFLUX_API: 'v1',
        INFLUX_DB: 'bp',
        INFLUX_RP: 'one_year',
        INFLUX_USER: 'writer',
        INFLUX_PASSWORD: 'secret',
        DISTRICT_UTC_OFFSET_MIN: '540',
      }),
    );
    expect(settings).toMatchObject({
      url: 'https://influx.example:8086',
      api: 'v1',
      db: 'bp',
      rp: 'one_year',
      user: 'writer',
      password: 'secret',
      bucket: 'binpulse',
      utcOffsetMinutes: 540,
    });
  });
});

describe('openTimeSeriesStore: the start-up check', () => {
  it('v1: pings, creates the database (with basic auth when a user is configured), then the retention policies and CQs', async () => {
    const { fetch, calls } = fakeFetch();
    const env = { INFLUX_URL: 'http://influx:8086/', INFLUX_API: 'v1', INFLUX_DB: 'bp', INFLUX_USER: 'u', INFLUX_PASSWORD: 'p' };
    const store = await openTimeSeriesStore(config(env), () => openDatabase(':memory:'), { fetch });
    expect(store).toBeInstanceOf(InfluxTimeSeriesStore);
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(['GET /ping', ...Array(6).fill('POST /query')]);
    expect(calls.slice(1).map((c) => new URLSearchParams(c.body).get('q')!.split(' ').slice(0, 3).join(' '))).toEqual([
      'CREATE DATABASE "bp"',
      'SHOW RETENTION POLICIES',
      'CREATE RETENTION POLICY',
      'CREATE RETENTION POLICY',
      'CREATE CONTINUOUS QUERY',
      'CREATE CONTINUOUS QUERY',
    ]);
    expect(new URLSearchParams(calls[6]!.body).get('q')).toContain('"cq_fill_hourly"');
    expect(calls[1]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('an unreachable server does not fail start-up (issue 15): onUnreachable is told, naming the URL', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    }) as unknown as typeof globalThis.fetch;
    const env = { INFLUX_URL: 'http://influx:8086', INFLUX_API: 'v1' };
    const told: Error[] = [];
    const store = await openTimeSeriesStore(config(env), () => openDatabase(':memory:'), { fetch, onUnreachable: (e) => told.push(e) });
    expect(store).toBeInstanceOf(InfluxTimeSeriesStore);
    expect(told.map((e) => e.message)).toEqual([expect.stringMatching(/InfluxDB at http:\/\/influx:8086 not reachable \(ECONNREFUSED\)/)]);
    expect(store.health?.()).toMatchObject({ store: 'influxdb', up: false, error: expect.stringMatching(/not reachable/) });
  });

  it('a server that refuses the credentials (401) still fails start-up: that is configuration, not an outage', async () => {
    const fetch = (async () => new Response('unauthorized', { status: 401 })) as unknown as typeof globalThis.fetch;
    const env = { INFLUX_URL: 'http://influx:8086', INFLUX_API: 'v1' };
    const told: Error[] = [];
    await expect(openTimeSeriesStore(config(env), () => openDatabase(':memory:'), { fetch, onUnreachable: (e) => told.push(e) })).rejects.toThrow(/401/);
    expect(told).toEqual([]);
  });

  it('SQLite needs no check', async () => {
    const { fetch, calls } = fakeFetch();
    const store = await openTimeSeriesStore(config({}), () => openDatabase(':memory:'), { fetch });
    expect(store).toBeInstanceOf(SqliteTimeSeriesStore);
    expect(calls).toEqual([]);
    await store.close();
  });
});
