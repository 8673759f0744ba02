/**
 * Starts the platform as a user does (`npm start`, here `node --import tsx services/platform/main.ts`)
 * in a child process on ephemeral ports and a temporary DATA_DIR, and reads the ports it
 * reports when ready.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningPlatform {
  dataDir: string;
  mqttPort: number;
  wsPort: number;
  httpPort: number;
  baseUrl: string;
  /** TLS listeners (null when TLS=off) and the CA that signed the server certificate (the local CA unless TLS_CERT_FILE is set). */
  mqttsPort: number | null;
  wssPort: number | null;
  httpsPort: number | null;
  httpsBaseUrl: string | null;
  caFile: string | null;
  adminToken: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Removes the data dir (after stop). */
  cleanUp(): void;
}

export interface ReadyLine {
  mqttPort: number;
  wsPort: number;
  httpPort: number;
  mqttsPort: number | null;
  wssPort: number | null;
  httpsPort: number | null;
  tls: { certFile: string; keyFile: string; caFile: string | null; localCa: boolean } | null;
  adminToken: { source: string; tokenFile: string };
}

export async function startPlatformProcess(
  env: Record<string, string> = {},
  options: {
    dataDir?: string;
    readyTimeoutMs?: number;
    envFor?: (dataDir: string) => Record<string, string>;
    /** Extra node flags, e.g. --cpu-prof for the benchmarks. */
    nodeArgs?: string[];
  } = {},
): Promise<RunningPlatform> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bp-platform-'));
  env = { ...options.envFor?.(dataDir), ...env };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'services/platform/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_WS_PORT: '0',
      HTTP_PORT: '0',
      MQTTS_PORT: '0',
      MQTT_WSS_PORT: '0',
      HTTPS_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`platform not ready in time; output:\n${output}`)),
      options.readyTimeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('"platform ready"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as ReadyLine);
        return;
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code} before it was ready; output:\n${output}`));
    });
  });
  const line = await ready;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    dataDir,
    mqttPort: line.mqttPort,
    wsPort: line.wsPort,
    httpPort: line.httpPort,
    baseUrl: `http://127.0.0.1:${line.httpPort}`,
    mqttsPort: line.mqttsPort ?? null,
    wssPort: line.wssPort ?? null,
    httpsPort: line.httpsPort ?? null,
    httpsBaseUrl: line.httpsPort ? `https://127.0.0.1:${line.httpsPort}` : null,
    caFile: line.tls ? (line.tls.localCa ? join(dataDir, 'tls', 'ca.crt') : line.tls.caFile) : null,
    adminToken: env.ADMIN_TOKEN ?? readFileSync(line.adminToken.tokenFile, 'utf8').trim(),
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    cleanUp() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until check returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
