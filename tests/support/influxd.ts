/**
 * A real InfluxDB 1.x server for tests: Debian's `influxdb` package (1.6.7 on this image)
 * started from a generated config in a temporary directory, HTTP on 127.0.0.1 and a free port.
 * On a machine without it the tests that need it are skipped with a message, except under
 * CI=true, where a missing server is a failure (a skipped suite would look green).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INFLUXD_BIN = process.env.INFLUXD_BIN ?? '/usr/bin/influxd';

export const hasInfluxd = existsSync(INFLUXD_BIN);

if (!hasInfluxd) {
  const message = `${INFLUXD_BIN} not found: \`apt-get install influxdb\` (Debian) provides it`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the tests against a real InfluxDB must run)`);
  console.warn(`skipping the tests against a real InfluxDB: ${message}`);
}

export interface RunningInfluxd {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** What the server logged so far (stdout and stderr go to a file in its temp dir). */
  log(): string;
  /** SIGTERM, waits for the exit, removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now: bind to port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function configFile(dir: string, httpPort: number, rpcPort: number): string {
  // Everything that would listen or phone home is off; only HTTP on loopback stays.
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  wal-fsync-delay = "0s"

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[continuous_queries]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false
  pprof-enabled = false

[logging]
  level = "warn"
  suppress-logo = true

[[graphite]]
  enabled = false

[[collectd]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false
`;
}

async function waitForPing(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`influxd exited (${child.exitCode ?? child.signalCode}) before answering /ping; log:\n${log()}`);
    }
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms; log:\n${log()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startInfluxd(options: { readyTimeoutMs?: number } = {}): Promise<RunningInfluxd> {
  if (!hasInfluxd) throw new Error(`${INFLUXD_BIN} not found: apt-get install influxdb`);
  const dir = mkdtempSync(join(tmpdir(), 'bp-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const config = join(dir, 'influxdb.conf');
  writeFileSync(config, configFile(dir, httpPort, rpcPort));
  const logFile = join(dir, 'influxd.log');
  const fd = openSync(logFile, 'a');
  // INFLUXDB_* variables would override the generated config.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('INFLUXDB_')));
  const child = spawn(INFLUXD_BIN, ['-config', config], { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const url = `http://127.0.0.1:${httpPort}`;

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited(child);
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    await waitForPing(url, child, log, options.readyTimeoutMs ?? 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, log, stop };
}
