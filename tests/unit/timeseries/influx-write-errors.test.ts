import { describe, expect, it } from 'vitest';
import {
  classifyWriteResponse,
  InfluxWriteError,
  networkWriteError,
  parseRejectedLines,
  type WriteVerdict,
} from '../../../services/timeseries/core/influx-write-errors.ts';

const NOW = Date.parse('2026-11-26T02:00:00Z');
const LINES = [
  'deposit,deviceId=box-1 weightKg=1.0 1795658400000000001',
  "detection,deviceId=cam-1 zone=\"gate ': east\" 1795658400000000002",
  'deposit,deviceId=box-2 weightKg=2.0 1795658400000000003',
];

const respond = (status: number, body = '', headers: Record<string, string> = {}) => ({
  status,
  body,
  header: (name: string) => headers[name.toLowerCase()],
});
const failure = (verdict: WriteVerdict): InfluxWriteError => {
  if (verdict.kind !== 'failed') throw new Error(`expected a failure, got ${verdict.kind}`);
  return verdict.error;
};

describe('parseRejectedLines', () => {
  it('1.x: "unable to parse \'<line>\': reason" lines, even when the line contains "\': "', () => {
    const body = JSON.stringify({
      error: `partial write: unable to parse '${LINES[1]}': invalid field format\nunable to parse '${LINES[2]}': max key length exceeded: 70063 > 65535 dropped=0`,
    });
    expect(parseRejectedLines(body, LINES)).toEqual([
      { lineNumber: 2, reason: 'invalid field format' },
      { lineNumber: 3, reason: 'max key length exceeded: 70063 > 65535' },
    ]);
  });

  it('2.x: {"code":"invalid","message":"partial write: ..."}', () => {
    const body = JSON.stringify({ code: 'invalid', message: `partial write: unable to parse '${LINES[0]}': bad timestamp dropped=0` });
    expect(parseRejectedLines(body, LINES)).toEqual([{ lineNumber: 1, reason: 'bad timestamp' }]);
  });

  it('3.x: a data array with line numbers, or "line N:" messages, or a bare line number', () => {
    const v3 = JSON.stringify({
      error: 'partial write of line protocol occurred',
      data: [{ original_line: LINES[2], line_number: 3, error_message: 'invalid column type' }],
    });
    expect(parseRejectedLines(v3, LINES)).toEqual([{ lineNumber: 3, reason: 'invalid column type' }]);
    const iox = JSON.stringify({ code: 'invalid', line: 1, message: 'line 1: bad field\nline 3: bad tag' });
    expect(parseRejectedLines(iox, LINES)).toEqual([
      { lineNumber: 1, reason: 'bad field' },
      { lineNumber: 3, reason: 'bad tag' },
    ]);
    expect(parseRejectedLines(JSON.stringify({ code: 'invalid', line: 2, message: 'oops' }), LINES)).toEqual([{ lineNumber: 2, reason: 'oops' }]);
  });

  it('names nothing when the body quotes lines we did not send or numbers out of range', () => {
    const body = JSON.stringify({ error: "partial write: unable to parse 'foo bar': invalid\nline 9: nope" });
    expect(parseRejectedLines(body, LINES)).toEqual([]);
  });
});

describe('classifyWriteResponse', () => {
  it('204 (and any 2xx) is stored', () => {
    expect(classifyWriteResponse(respond(204), LINES, NOW)).toEqual({ kind: 'ok' });
    expect(classifyWriteResponse(respond(200, '{}'), LINES, NOW)).toEqual({ kind: 'ok' });
  });

  it('400 partial write: only the named lines are set aside, with their reasons', () => {
    const body = JSON.stringify({ error: `partial write: unable to parse '${LINES[2]}': invalid number dropped=0` });
    expect(classifyWriteResponse(respond(400, body), LINES, NOW)).toEqual({
      kind: 'partial',
      rejected: [{ lineNumber: 3, reason: 'invalid number' }],
      unattributed: null,
    });
  });

  it('400 partial write naming no line (1.x type conflict): stored except unnamed points, reported', () => {
    const message = 'partial write: field type conflict: input field "points" on measurement "deposit" is type float, already exists as type integer dropped=1';
    expect(classifyWriteResponse(respond(400, JSON.stringify({ error: message })), LINES, NOW)).toEqual({
      kind: 'partial',
      rejected: [],
      unattributed: message,
    });
  });

  it('400 naming no line and no partial write: the request was refused, not retriable', () => {
    const error = failure(classifyWriteResponse(respond(400, '{"error":"invalid precision"}'), LINES, NOW));
    expect(error).toMatchObject({ kind: 'rejected', retriable: false, status: 400 });
    expect(error.message).toMatch(/invalid precision/);
  });

  it('401 and 403: fatal configuration errors', () => {
    for (const status of [401, 403]) {
      const error = failure(classifyWriteResponse(respond(status, '{"code":"unauthorized","message":"unauthorized access"}'), LINES, NOW));
      expect(error).toBeInstanceOf(InfluxWriteError);
      expect(error).toMatchObject({ kind: 'config', retriable: false, status, retryAfterMs: undefined });
      expect(error.message).toMatch(/INFLUX_TOKEN/);
    }
  });

  it('404: database or bucket missing, fatal', () => {
    expect(failure(classifyWriteResponse(respond(404, '{"error":"database not found: \\"bp\\""}'), LINES, NOW))).toMatchObject({
      kind: 'config',
      retriable: false,
      message: expect.stringMatching(/database not found/),
    });
  });

  it('429 with Retry-After in seconds or as an HTTP-date: retriable after that long', () => {
    expect(failure(classifyWriteResponse(respond(429, '', { 'retry-after': '7' }), LINES, NOW))).toMatchObject({
      kind: 'throttled',
      retriable: true,
      retryAfterMs: 7000,
      status: 429,
    });
    const date = new Date(NOW + 120_000).toUTCString();
    expect(failure(classifyWriteResponse(respond(429, '', { 'retry-after': date }), LINES, NOW))).toMatchObject({ retryAfterMs: 120_000 });
  });

  it('503 and other 5xx: retriable, Retry-After honoured when given', () => {
    expect(failure(classifyWriteResponse(respond(503, 'overloaded', { 'retry-after': '2' }), LINES, NOW))).toMatchObject({
      kind: 'unavailable',
      retriable: true,
      retryAfterMs: 2000,
      status: 503,
    });
    expect(failure(classifyWriteResponse(respond(500, '{"error":"timeout"}'), LINES, NOW))).toMatchObject({
      retriable: true,
      retryAfterMs: undefined,
      status: 500,
    });
  });

  it('408 (a proxy gave up waiting): retriable like a timeout', () => {
    expect(failure(classifyWriteResponse(respond(408, 'Request Timeout'), LINES, NOW))).toMatchObject({ kind: 'unavailable', retriable: true, status: 408 });
  });

  it('other 4xx (413 too large): refused, not retriable', () => {
    expect(failure(classifyWriteResponse(respond(413, 'Request Entity Too Large'), LINES, NOW))).toMatchObject({ retriable: false, status: 413 });
  });

  it('the 1.x X-Influxdb-Error header stands in for an empty body', () => {
    const verdict = classifyWriteResponse(respond(400, '', { 'x-influxdb-error': `unable to parse '${LINES[0]}': invalid boolean` }), LINES, NOW);
    expect(verdict).toEqual({ kind: 'partial', rejected: [{ lineNumber: 1, reason: 'invalid boolean' }], unattributed: null });
  });
});

describe('networkWriteError', () => {
  it('no answer at all is retriable and names the cause', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(networkWriteError(refused)).toMatchObject({ kind: 'network', retriable: true, message: expect.stringMatching(/ECONNREFUSED/) });
    expect(networkWriteError(new DOMException('timed out', 'TimeoutError'))).toMatchObject({ retriable: true, message: expect.stringMatching(/TimeoutError/) });
  });
});
