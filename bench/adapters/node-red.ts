/**
 * Node-RED as the ingest benchmark's peer: installed from the npm registry into the git-ignored
 * bench/.peers/node-red on first use (never by `npm test`), started as its own process with the
 * flow of bench/core/node-red-flow.ts.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NODE_RED_PACKAGES, nodeRedFlow, nodeRedSettings, type NodeRedFlowOptions } from '../core/node-red-flow.ts';
import { freePort, ROOT } from './proc.ts';

export const PEERS_DIR = join(ROOT, 'bench', '.peers', 'node-red');
const RED_JS = join(PEERS_DIR, 'node_modules', 'node-red', 'red.js');
const INFLUX_NODES = join(PEERS_DIR, 'node_modules', 'node-red-contrib-influxdb', 'package.json');

/** Installs the pinned packages unless they are there already; says so through `progress`. */
export async function ensureNodeRed(progress: (text: string) => void): Promise<void> {
  if (existsSync(RED_JS) && existsSync(INFLUX_NODES)) return;
  mkdirSync(PEERS_DIR, { recursive: true });
  // Its own package.json, so npm installs here and never looks up into the project's.
  const manifest = join(PEERS_DIR, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'binpulse-bench-peers', private: true }, null, 2)}\n`);
  progress(`installing ${NODE_RED_PACKAGES.join(' ')} into ${PEERS_DIR} (first use)`);
  await promisify(execFile)('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--omit=dev', ...NODE_RED_PACKAGES], {
    cwd: PEERS_DIR,
    maxBuffer: 16 * 2 ** 20,
  });
}

export interface RunningNodeRed {
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts Node-RED on the flow; resolves once its mqtt in is connected to the broker. */
export async function startNodeRed(flow: NodeRedFlowOptions, readyTimeoutMs = 60_000): Promise<RunningNodeRed> {
  const flowFile = 'bench-flow.json';
  writeFileSync(join(PEERS_DIR, flowFile), `${JSON.stringify(nodeRedFlow(flow), null, 2)}\n`);
  const settingsFile = join(PEERS_DIR, 'bench-settings.js');
  writeFileSync(settingsFile, nodeRedSettings({ uiPort: await freePort(), flowFile }));
  const child = spawn(process.execPath, [RED_JS, '--settings', settingsFile, '--userDir', PEERS_DIR], {
    cwd: PEERS_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Node-RED not connected to the broker in time; output:\n${output}`)), readyTimeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Connected to broker/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Node-RED exited with ${code}; output:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, output: () => output, stop };
}
