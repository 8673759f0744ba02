/**
 * What a write response means, for /write (1.x) and /api/v2/write (1.8+, 2.x, 3.x) alike. Pure.
 *
 * - 2xx: stored.
 * - 400 naming lines: those lines are bad and the others were stored (a "partial write"). Only
 *   the named lines are set aside, with their reason, so the caller can dead-letter them;
 *   retrying them would fail the same way forever.
 * - 401/403: credentials or permissions are wrong: fatal, a person must fix the configuration.
 * - 404: database/bucket missing: fatal too (init() creates the 1.x database at start-up).
 * - 408, 429/503 and other 5xx (isRetriableStatus, shared/retry.ts), network errors, timeouts:
 *   retriable, after Retry-After when given.
 * - any other 4xx: the request itself is refused: fatal.
 */

import { isRetriableStatus, parseRetryAfter } from '../../../shared/retry.ts';

export type WriteFailureKind = 'config' | 'rejected' | 'throttled' | 'unavailable' | 'network';

/** write() rejects with this when the batch could not be stored; the caller decides on retries. */
export class InfluxWriteError extends Error {
  override name = 'InfluxWriteError';
  readonly kind: WriteFailureKind;
  readonly retriable: boolean;
  /** How long the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    message: string,
    details: { kind: WriteFailureKind; retriable: boolean; retryAfterMs?: number; status?: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = details.kind;
    this.retriable = details.retriable;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
  }
}

/** A read (InfluxQL /query) or start-up check failed. */
export class InfluxQueryError extends Error {
  override name = 'InfluxQueryError';
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RejectedLine {
  /** 1-based line number in the request body. */
  lineNumber: number;
  reason: string;
}

export type WriteVerdict =
  | { kind: 'ok' }
  | {
      kind: 'partial';
      rejected: RejectedLine[];
      /** The server dropped points without saying which (e.g. field type conflict, retention). */
      unattributed: string | null;
    }
  | { kind: 'failed'; error: InfluxWriteError };

export interface WriteResponse {
  status: number;
  /** Header lookup, case-insensitive. */
  header(name: string): string | undefined;
  body: string;
}

/** The human message of an error body: 1.x {"error"}, 2.x/3.x {"message"}, or the text. */
export function errorMessage(body: string): { message: string; json: Record<string, unknown> | null } {
  try {
    const json = JSON.parse(body) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const record = json as Record<string, unknown>;
      const message = [record.error, record.message].find((m): m is string => typeof m === 'string');
      return { message: message ?? body, json: record };
    }
  } catch {
    // not JSON: the text is the message
  }
  return { message: body, json: null };
}

const UNABLE = "unable to parse '";

/**
 * Which request lines a 400 names, and why. Understands 1.x/2.x "unable to parse '<line>':
 * <reason>" (several, newline separated, maybe prefixed "partial write: " and suffixed
 * " dropped=N"), 3.x's {"data": [{"line_number", "error_message"}]}, "line N: reason" lines, and
 * a bare {"line": N}.
 */
export function parseRejectedLines(body: string, lines: readonly string[]): RejectedLine[] {
  const { message, json } = errorMessage(body);
  const found = new Map<number, string>();
  const add = (lineNumber: number, reason: string) => {
    if (lineNumber >= 1 && lineNumber <= lines.length && !found.has(lineNumber)) found.set(lineNumber, reason.trim());
  };

  const numbersOf = new Map<string, number[]>();
  lines.forEach((line, i) => numbersOf.set(line, [...(numbersOf.get(line) ?? []), i + 1]));
  const text = message.replace(/ dropped=\d+\s*$/, '');
  for (let at = text.indexOf(UNABLE); at >= 0; at = text.indexOf(UNABLE, at + 1)) {
    const start = at + UNABLE.length;
    // The line may itself contain "': ", so try each end until one is a line we sent.
    for (let end = text.indexOf("': ", start); end >= 0; end = text.indexOf("': ", end + 1)) {
      const numbers = numbersOf.get(text.slice(start, end));
      if (!numbers) continue;
      const reasonEnd = text.indexOf('\n', end);
      const reason = text.slice(end + 3, reasonEnd < 0 ? undefined : reasonEnd);
      for (const n of numbers) add(n, reason);
      break;
    }
  }

  const data = json?.data;
  if (Array.isArray(data)) {
    for (const item of data as Record<string, unknown>[]) {
      if (item && typeof item.line_number === 'number') add(item.line_number, String(item.error_message ?? 'rejected'));
    }
  }
  for (const match of message.matchAll(/\bline (\d+): ([^\n]*)/gi)) add(Number(match[1]), match[2]!);
  if (found.size === 0 && typeof json?.line === 'number') add(json.line, message);
  return [...found].sort((a, b) => a[0] - b[0]).map(([lineNumber, reason]) => ({ lineNumber, reason }));
}

function failed(message: string, details: ConstructorParameters<typeof InfluxWriteError>[1]): WriteVerdict {
  return { kind: 'failed', error: new InfluxWriteError(message, details) };
}

/** Classifies one HTTP answer to a write of `lines`. */
export function classifyWriteResponse(response: WriteResponse, lines: readonly string[], nowMs: number): WriteVerdict {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const { message } = errorMessage(response.body || (response.header('x-influxdb-error') ?? ''));
  const said = message ? `: ${message.slice(0, 500)}` : '';
  const retryAfterMs = parseRetryAfter(response.header('retry-after'), nowMs);

  if (status === 400) {
    const rejected = parseRejectedLines(response.body || (response.header('x-influxdb-error') ?? ''), lines);
    const partial = /partial write/i.test(message);
    if (rejected.length > 0 || partial) {
      // 1.x also drops points it names nowhere (type conflicts, beyond retention).
      const unattributed = rejected.length === 0 || /dropped=[1-9]/.test(message) ? message : null;
      return { kind: 'partial', rejected, unattributed };
    }
    return failed(`InfluxDB refused the write (400)${said}`, { kind: 'rejected', retriable: false, status });
  }
  if (status === 401 || status === 403) {
    return failed(`InfluxDB refused the credentials (${status})${said}: check INFLUX_TOKEN or INFLUX_USER/INFLUX_PASSWORD`, {
      kind: 'config',
      retriable: false,
      status,
    });
  }
  if (status === 404) {
    return failed(`InfluxDB database or bucket not found (404)${said}`, { kind: 'config', retriable: false, status });
  }
  if (status === 429) {
    return failed(`InfluxDB is throttling writes (429)${said}`, { kind: 'throttled', retriable: true, status, retryAfterMs });
  }
  if (isRetriableStatus(status)) {
    return failed(`InfluxDB unavailable (${status})${said}`, { kind: 'unavailable', retriable: true, status, retryAfterMs });
  }
  return failed(`InfluxDB refused the write (${status})${said}`, { kind: 'rejected', retriable: false, status });
}

/** A request that got no HTTP answer (refused, reset, timed out): worth retrying. */
export function networkWriteError(error: unknown): InfluxWriteError {
  // fetch reports the socket error as its cause (ECONNREFUSED...); DOMException codes are numbers.
  const codes = [(error as { code?: unknown })?.code, (error as { cause?: { code?: unknown } })?.cause?.code];
  const code = codes.find((c): c is string => typeof c === 'string');
  const what = code ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return new InfluxWriteError(`InfluxDB not reachable (${what})`, { kind: 'network', retriable: true }, { cause: error });
}
