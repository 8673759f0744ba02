/**
 * The HTTP conversations with InfluxDB: ping, InfluxQL /query, and writes through either
 * API. Deciding what an answer means is core/influx-write-errors.ts's job; this file only
 * sends requests and hands the status, headers and body over.
 */
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import {
  classifyWriteResponse,
  InfluxQueryError,
  networkWriteError,
  type WriteVerdict,
} from '../core/influx-write-errors.ts';
import { isRetriableStatus } from '../../../shared/retry.ts';
import { parseQueryResponse, type ResultSeries } from '../core/influx-results.ts';

export interface InfluxConnection {
  url: string;
  /** v2: /api/v2/write with a token, org and bucket (1.8+, 2.x, 3.x); v1: /write with db and rp. */
  api: 'v1' | 'v2';
  token?: string;
  org?: string;
  bucket: string;
  /** Database of v1 writes and of every InfluxQL read (2.x: mapped to the bucket by a DBRP mapping). */
  db: string;
  rp?: string;
  user?: string;
  password?: string;
  /** For v1 writes, queries and ping (v2 writes go through the official client's transport). */
  fetch?: typeof fetch;
  /** Per request; a timeout counts as a network error (retriable). Default 10 s. */
  timeoutMs?: number;
}

/** Wire precision: ns, because events carry a sub-millisecond offset (see core/influx-schema.ts). */
export const WRITE_PRECISION = 'ns';

export class InfluxHttp {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly v2Client: InfluxDB | null;

  constructor(private readonly connection: InfluxConnection) {
    this.base = connection.url.replace(/\/+$/, '');
    this.fetch = connection.fetch ?? globalThis.fetch;
    this.timeoutMs = connection.timeoutMs ?? 10_000;
    this.v2Client =
      connection.api === 'v2' ? new InfluxDB({ url: this.base, token: connection.token, timeout: this.timeoutMs }) : null;
  }

  private authHeaders(): Record<string, string> {
    const { api, token, user, password } = this.connection;
    if (api === 'v2') return token ? { authorization: `Token ${token}` } : {};
    if (user !== undefined) {
      return { authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}` };
    }
    return {};
  }

  /** Resolves when the server answers /ping; throws a retriable InfluxQueryError otherwise. */
  async ping(): Promise<void> {
    let res: Response;
    try {
      res = await this.fetch(`${this.base}/ping`, { headers: this.authHeaders(), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new InfluxQueryError(`InfluxDB at ${this.base} not reachable (${describe(error)})`, true, undefined, { cause: error });
    }
    await res.arrayBuffer();
    if (!res.ok) throw new InfluxQueryError(`InfluxDB at ${this.base} answered /ping with ${res.status}`, isRetriableStatus(res.status), res.status);
  }

  /** Runs InfluxQL (POST, so CREATE/DROP work too) and returns each statement's series. */
  async query(statement: string, statements = 1): Promise<ResultSeries[][]> {
    const params = new URLSearchParams({ db: this.connection.db, epoch: 'ms' });
    let res: Response;
    try {
      res = await this.fetch(`${this.base}/query?${params}`, {
        method: 'POST',
        headers: { ...this.authHeaders(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ q: statement }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new InfluxQueryError(`InfluxDB query failed: not reachable (${describe(error)})`, true, undefined, { cause: error });
    }
    const text = await res.text();
    if (!res.ok) {
      throw new InfluxQueryError(`InfluxDB query failed (${res.status}): ${text.slice(0, 500)}`, isRetriableStatus(res.status), res.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InfluxQueryError(`InfluxDB query answer is not JSON: ${text.slice(0, 200)}`, false, res.status);
    }
    return parseQueryResponse(body, statements);
  }

  /** Sends the lines in one request and classifies the answer; never rejects. */
  async write(lines: readonly string[], rp?: string): Promise<WriteVerdict> {
    return this.v2Client ? this.writeV2(this.v2Client, lines) : this.writeV1(lines, rp ?? this.connection.rp);
  }

  /** v1 only: `rp` overrides the connection's retention policy (managed retention). */
  private async writeV1(lines: readonly string[], rp: string | undefined): Promise<WriteVerdict> {
    const { db } = this.connection;
    const params = new URLSearchParams({ db, precision: WRITE_PRECISION });
    if (rp !== undefined) params.set('rp', rp);
    let res: Response;
    try {
      res = await this.fetch(`${this.base}/write?${params}`, {
        method: 'POST',
        headers: { ...this.authHeaders(), 'content-type': 'text/plain; charset=utf-8' },
        body: lines.join('\n'),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { kind: 'failed', error: networkWriteError(error) };
    }
    const body = await res.text();
    return classifyWriteResponse({ status: res.status, header: (name) => res.headers.get(name) ?? undefined, body }, lines, Date.now());
  }

  /**
   * Through the official client's WriteApi, configured so that it cannot keep or drop anything
   * behind our back: a fresh WriteApi per call, one batch as large as the call (its automatic
   * flushes swallow errors), no flush timer, no retries and no retry buffer (maxRetries 0): the
   * caller owns durability and retries. writeFailed hands the error back to flush() instead of
   * letting the client log it.
   */
  private async writeV2(client: InfluxDB, lines: readonly string[]): Promise<WriteVerdict> {
    const { org, bucket } = this.connection;
    const writeApi = client.getWriteApi(org ?? '', bucket, WRITE_PRECISION, {
      batchSize: lines.length + 1,
      maxBatchBytes: Number.POSITIVE_INFINITY,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: 0,
      gzipThreshold: 64 * 1024,
      writeFailed: (error: Error) => Promise.reject(error),
    });
    try {
      writeApi.writeRecords(lines as string[]);
      await writeApi.flush();
      return { kind: 'ok' };
    } catch (error) {
      if (!(error instanceof HttpError)) return { kind: 'failed', error: networkWriteError(error) };
      const headers = error.headers ?? {};
      const header = (name: string) => {
        const value = headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      };
      return classifyWriteResponse({ status: error.statusCode, header, body: error.body ?? '' }, lines, Date.now());
    } finally {
      writeApi.dispose();
    }
  }
}

function describe(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
