/**
 * The v2 API (InfluxDB 1.8+, 2.x, 3.x) cannot be met by a real server on this machine (Debian
 * ships 1.6.7), so its HTTP contract is checked against a local server that plays InfluxDB 2.x:
 * it checks what the store sends and answers as 2.x does.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfluxTimeSeriesStore, type WriteReport } from '../../../services/timeseries/adapters/influx-store.ts';
import { encodeRecords } from '../../../services/timeseries/core/influx-encode.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
let answer: (request: Seen) => Answer = () => ({ status: 204 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const parsed = new URL(req.url ?? '/', 'http://x');
      const request: Seen = { method: req.method ?? '', path: parsed.pathname, query: parsed.searchParams, headers: req.headers, body };
      seen.push(request);
      const { status, headers = {}, body: out = '' } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(out);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answer = () => ({ status: 204 });
});

/** A port nobody listens on (this file must not need influxd, so not tests/support/influxd.ts). */
async function closedPort(): Promise<number> {
  const probe = createTcpServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const TOKEN = 'binpulse-writer-token';
const TAGS: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: '红梅新村 一区' };
const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const deposit = (eventId: string, weightKg = 2): TimeSeriesRecord => ({ type: 'deposit', tags: TAGS, ts: T0, eventId, category: 'paper', weightKg, points: 10 });
const status: TimeSeriesRecord = { type: 'status', tags: TAGS, ts: T0, online: true };

function v2Store(onRejected?: (report: WriteReport) => void, base = url) {
  return new InfluxTimeSeriesStore({ url: base, api: 'v2', token: TOKEN, org: 'tianning', bucket: 'binpulse', db: 'binpulse', utcOffsetMinutes: 480, onRejected });
}
const writes = () => seen.filter((r) => r.path === '/api/v2/write');

describe('v2 writes: request', () => {
  it('POST /api/v2/write with org, bucket, precision, Authorization: Token and the line protocol body', async () => {
    const records = [deposit('d-1'), status];
    await v2Store().write(records);
    expect(writes()).toHaveLength(1);
    const [req] = writes();
    expect(req!.method).toBe('POST');
    expect(Object.fromEntries(req!.query)).toEqual({ org: 'tianning', bucket: 'binpulse', precision: 'ns' });
    expect(req!.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(req!.headers['content-type']).toMatch(/^text\/plain/);
    expect(req!.body).toBe(encodeRecords(records).lines.join('\n'));
    expect(req!.body).toContain('deposit,category=paper,community=红梅新村\\ 一区,deviceId=box-0001,kind=box,subdistrict=hongmei weightKg=2.0,points=10.0,eventId="d-1" 179565840000');
  });

  it('a large batch goes out as one request (gzip-compressed), not split or held back by the client', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => deposit(`d-${i}`));
    await v2Store().write(records);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]!.headers['content-encoding']).toBe('gzip');
    expect(writes()[0]!.body.split('\n')).toHaveLength(3000);
  });
});

describe('v2 writes: what each answer means', () => {
  it('204: resolved, nothing set aside', async () => {
    const reports: WriteReport[] = [];
    const report = await v2Store((r) => reports.push(r)).writeReporting([deposit('d-1')]);
    expect(report).toEqual({ written: 1, rejected: [], unattributed: null });
    expect(reports).toEqual([]);
  });

  it('400 partial write: only the named line is set aside, with its record and reason', async () => {
    const records = [deposit('d-1'), deposit('d-2', 3), status];
    answer = (req) => {
      const bad = req.body.split('\n')[1]!;
      return { status: 400, body: JSON.stringify({ code: 'invalid', message: `partial write: unable to parse '${bad}': invalid field format dropped=0` }) };
    };
    const reports: WriteReport[] = [];
    const report = await v2Store((r) => reports.push(r)).writeReporting(records);
    expect(report.written).toBe(2);
    expect(report.rejected).toEqual([{ record: records[1], line: encodeRecords(records).lines[1], reason: 'invalid field format' }]);
    expect(report.unattributed).toBeNull();
    expect(reports).toEqual([report]);
  });

  it('401: rejects with a fatal configuration error, no retries', async () => {
    answer = () => ({ status: 401, body: JSON.stringify({ code: 'unauthorized', message: 'unauthorized access' }) });
    await expect(v2Store().write([deposit('d-1')])).rejects.toMatchObject({
      name: 'InfluxWriteError',
      kind: 'config',
      retriable: false,
      status: 401,
      message: expect.stringMatching(/unauthorized access/),
    });
    expect(writes()).toHaveLength(1);
  });

  it('429 with Retry-After seconds or an HTTP-date: retriable, with the delay', async () => {
    answer = () => ({ status: 429, headers: { 'retry-after': '30' }, body: JSON.stringify({ code: 'too many requests', message: 'slow down' }) });
    await expect(v2Store().write([deposit('d-1')])).rejects.toMatchObject({ kind: 'throttled', retriable: true, retryAfterMs: 30_000, status: 429 });

    // An HTTP-date has one-second resolution: far enough ahead, the delay is a minute give or take a second.
    const retryAt = new Date(Date.now() + 3_600_000).toUTCString();
    answer = () => ({ status: 429, headers: { 'retry-after': retryAt } });
    const error = await v2Store().write([deposit('d-1')]).catch((e: unknown) => e);
    expect(error).toMatchObject({ retriable: true, status: 429 });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it('503: retriable; the client keeps nothing to resend on its own', async () => {
    answer = () => ({ status: 503, headers: { 'retry-after': '5' }, body: JSON.stringify({ code: 'unavailable', message: 'service unavailable' }) });
    const store = v2Store();
    await expect(store.write([deposit('d-1')])).rejects.toMatchObject({ kind: 'unavailable', retriable: true, retryAfterMs: 5000, status: 503 });
    answer = () => ({ status: 204 });
    await store.write([deposit('d-2')]);
    // Exactly the two attempts, and the second carries only its own record.
    expect(writes()).toHaveLength(2);
    expect(writes()[1]!.body).toBe(encodeRecords([deposit('d-2')]).lines.join('\n'));
  });

  it('no server: retriable network error', async () => {
    const store = v2Store(undefined, `http://127.0.0.1:${await closedPort()}`);
    await expect(store.write([deposit('d-1')])).rejects.toMatchObject({ kind: 'network', retriable: true });
  });
});

describe('v2 reads and start-up check', () => {
  it('InfluxQL over /query with db, epoch=ms and Authorization: Token', async () => {
    answer = (req) =>
      req.path === '/query'
        ? {
            status: 200,
            body: JSON.stringify({
              results: [
                { statement_id: 0 },
                { statement_id: 1 },
                { statement_id: 2 },
                { statement_id: 3, series: [{ name: 'deposit', tags: { category: 'paper' }, columns: ['time', 'weightKg'], values: [[T0, 2.5]] }] },
              ],
            }),
          }
        : { status: 404 };
    const series = await v2Store().deviceSeries('box-0001', { from: T0, to: T0 + 1000 }, 10);
    expect(series).toEqual([{ ts: new Date(T0).toISOString(), metric: 'depositKg', category: 'paper', value: 2.5 }]);
    const [req] = seen;
    expect(req!.path).toBe('/query');
    expect(req!.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(req!.query.get('db')).toBe('binpulse');
    expect(req!.query.get('epoch')).toBe('ms');
    expect(new URLSearchParams(req!.body).get('q')).toMatch(/^SELECT .* FROM "box_reading" WHERE "deviceId" = 'box-0001'/);
  });

  it('init() pings with the token and creates nothing (buckets are made in InfluxDB)', async () => {
    await v2Store().init();
    expect(seen.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/ping', `Token ${TOKEN}`]]);
  });

  it('a query the server refuses is an error, retriable only for 429/5xx', async () => {
    answer = () => ({ status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' });
    await expect(v2Store().tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 })).rejects.toMatchObject({
      name: 'InfluxQueryError',
      retriable: false,
      status: 401,
    });
    answer = () => ({ status: 503 });
    await expect(v2Store().tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 })).rejects.toMatchObject({ retriable: true });
  });
});
