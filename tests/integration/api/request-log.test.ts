/**
 * The request log: fastify's two lines per request are debug, so at the default level (info) the
 * console's polling leaves the platform's output readable; failures are still logged at info.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApi, FakeRegistry } from '../../support/api-fakes.ts';

interface LogLine {
  level: number;
  msg: string;
  req?: { url: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: { message: string };
}

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

async function apiLoggingAt(level: 'info' | 'debug', registry = new FakeRegistry()) {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const built = await buildTestApi({ logger, registry });
  opened.push(built.app);
  lines.length = 0; // only what the requests below log
  return { ...built, lines };
}

describe('request log', () => {
  it('is silent at info for answered requests, client errors included', async () => {
    const { app, auth, lines } = await apiLoggingAt('info');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/devices', headers: auth.operator })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/devices' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(404);
    expect(lines).toEqual([]);
  });

  it('shows every request at debug: its redacted URL, then status and response time', async () => {
    const { app, lines } = await apiLoggingAt('debug');
    await app.inject({ url: '/healthz?access_token=bp_secret' });
    const debug = pino.levels.values.debug;
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [debug, 'incoming request'],
      [debug, 'request completed'],
    ]);
    expect(lines[0]!.req!.url).toBe('/healthz?access_token=[redacted]');
    expect(lines[1]!.res!.statusCode).toBe(200);
    expect(lines[1]!.responseTime).toBeTypeOf('number');
  });

  it('still logs a server error at info, as an error', async () => {
    const registry = new FakeRegistry();
    registry.list = () => {
      throw new Error('registry unavailable');
    };
    const { app, auth, lines } = await apiLoggingAt('info', registry);
    expect((await app.inject({ url: '/api/v1/devices', headers: auth.operator })).statusCode).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: pino.levels.values.error, msg: 'request failed', err: { message: 'registry unavailable' } });
  });
});
