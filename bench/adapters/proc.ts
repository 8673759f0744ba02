/** What the kernel says about a process (Linux /proc), and child processes for the benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLOCK_TICKS_PER_S = 100;

/** Resident set size in KiB (VmRSS). */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/**
 * The pid of this process's child running `command` (e.g. influxd started by
 * tests/support/influxd.ts, which does not hand its pid out), or null.
 */
export function childPidByCommand(command: string): number | null {
  return processes().find((p) => p.command === command && p.ppid === process.pid)?.pid ?? null;
}

interface ProcStat {
  pid: number;
  ppid: number;
  command: string;
  /** CPU seconds of the process and of its children it has waited for. */
  cpuWithReaped: number;
}

function processes(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      cpuWithReaped: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_S,
    });
  }
  return out;
}

/**
 * CPU seconds of a process and every live descendant, each with its reaped children: a child
 * that exits moves its time into its parent's, so the sum does not drop when one ends. Counts
 * the platform whole if it runs consumers in child processes (issue 16 item 3).
 */
export function treeCpuSeconds(pid: number): number {
  const all = processes();
  const children = new Map<number, ProcStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const stack = all.filter((p) => p.pid === pid);
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += p.cpuWithReaped;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total;
}

/**
 * Measures a process's CPU use between start() and stop(), as a share of one core (threads
 * included); `tree: true` adds its descendant processes.
 */
export function cpuMeter(pid: number, options: { tree?: boolean } = {}) {
  const read = options.tree ? () => treeCpuSeconds(pid) : () => cpuSeconds(pid);
  let cpu0 = 0;
  let t0 = 0;
  return {
    start() {
      cpu0 = read();
      t0 = performance.now();
    },
    stop(): number {
      return (read() - cpu0) / ((performance.now() - t0) / 1000);
    },
  };
}

export interface BareBroker {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startBareBroker(): Promise<BareBroker> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/adapters/bare-broker-process.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`bare broker exited with ${code}`)));
  });
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loopback port nobody listens on right now (bind to port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
