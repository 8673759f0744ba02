/**
 * A real InfluxDB 1.x server for tests: Debian's `influxdb` package (1.6.7 on this image)
 * started from a generated config in a temporary directory, HTTP on 127.0.0.1 and a free port.
 * On a machine without it the tests that need it are skipped with a message, except under
 * CI=true, where a missing server is a failure (a skipped suite would look green).
 *
 * `restartable: true` gives a server a test can take down and bring back as it was (an outage):
 * halt() stops it and keeps its data dir, resume() starts it again on the same data and port.
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
  /**
   * Takes the server down (SIGTERM by default) and keeps its data dir and ports, so resume()
   * brings the same server back at the same URL. Only with `restartable: true`.
   */
  halt(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a halted server again on its data dir and port; resolves when it answers /ping. */
  resume(): Promise<void>;
}

export interface StartInfluxdOptions {
  readyTimeoutMs?: number;
  /**
   * The server will be halted and resumed: its ports are taken outside the kernel's ephemeral
   * range, so no other socket (an outgoing connection, another test's port 0) can take them
   * while it is down.
   */
  restartable?: boolean;
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

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The kernel's ephemeral range (ports handed out for port 0 and outgoing connections). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // not Linux: assume the IANA range
  }
  return [49152, 65535];
}

/**
 * A free port outside the ephemeral range: nothing that asks for port 0 or connects out is
 * given it, so it is still free when a halted server comes back. Falls back to freePort().
 */
export async function stablePort(taken: readonly number[] = []): Promise<number> {
  const [low, high] = ephemeralRange();
  const ranges = [
    [10_000, low - 1],
    [high + 1, 65_535],
  ].filter(([a, b]) => b! - a! >= 100) as [number, number][];
  for (let attempt = 0; attempt < 100 && ranges.length > 0; attempt++) {
    const [a, b] = ranges[attempt % ranges.length]!;
    const port = a + Math.floor(Math.random() * (b - a + 1));
    if (!taken.includes(port) && (await canListen(port))) return port;
  }
  return freePort();
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

export async function startInfluxd(options: StartInfluxdOptions = {}): Promise<RunningInfluxd> {
  if (!hasInfluxd) throw new Error(`${INFLUXD_BIN} not found: apt-get install influxdb`);
  const dir = mkdtempSync(join(tmpdir(), 'bp-influxd-'));
  const httpPort = options.restartable ? await stablePort() : await freePort();
  const rpcPort = options.restartable ? await stablePort([httpPort]) : await freePort();
  const config = join(dir, 'influxdb.conf');
  writeFileSync(config, configFile(dir, httpPort, rpcPort));
  const logFile = join(dir, 'influxd.log');
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;

  const spawnServer = (): ChildProcess => {
    const fd = openSync(logFile, 'a');
    // INFLUXDB_* variables would override the generated config.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('INFLUXDB_')));
    const child = spawn(INFLUXD_BIN, ['-config', config], { stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    return child;
  };
  const kill = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited(child);
    clearTimeout(killer);
  };

  let child = spawnServer();
  let halted = false;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await kill(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const halt = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!options.restartable) throw new Error('halt() needs startInfluxd({ restartable: true })');
    if (stopping) throw new Error('influxd is stopped for good');
    halted = true;
    await kill(child, signal);
  };
  const resume = async () => {
    if (!options.restartable) throw new Error('resume() needs startInfluxd({ restartable: true })');
    if (stopping) throw new Error('influxd is stopped for good');
    if (!halted) return;
    halted = false;
    child = spawnServer();
    await waitForPing(url, child, log, readyTimeoutMs);
  };

  try {
    await waitForPing(url, child, log, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, log, stop, halt, resume };
}
