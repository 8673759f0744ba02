/** Starts load generator processes (bench/adapters/loadgen-process.ts) and talks to them. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadgenCommand, LoadgenInit, LoadgenReply } from '../core/loadgen-protocol.ts';

const ENTRY = fileURLToPath(new URL('./loadgen-process.ts', import.meta.url));

type ReplyOf<T extends LoadgenReply['type']> = Extract<LoadgenReply, { type: T }>;

export class Loadgen {
  #waiters: { type: LoadgenReply['type']; resolve: (reply: LoadgenReply) => void; reject: (error: Error) => void }[] = [];
  /** The latest progress report. */
  progress = { sent: 0, acked: 0 };

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: LoadgenReply) => {
      if (reply.type === 'progress') {
        this.progress = { sent: reply.sent, acked: reply.acked };
        return;
      }
      if (reply.type === 'failed') {
        for (const w of this.#waiters.splice(0)) w.reject(new Error(`load generator failed: ${reply.message}`));
        return;
      }
      const index = this.#waiters.findIndex((w) => w.type === reply.type);
      if (index >= 0) this.#waiters.splice(index, 1)[0]!.resolve(reply);
    });
    child.on('exit', (code) => {
      for (const w of this.#waiters.splice(0)) w.reject(new Error(`load generator exited with ${code}`));
    });
  }

  static async start(init: Omit<LoadgenInit, 'type'>): Promise<Loadgen> {
    const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const loadgen = new Loadgen(child);
    await loadgen.request({ type: 'init', ...init }, 'ready');
    return loadgen;
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T extends LoadgenReply['type']>(command: LoadgenCommand, replyType: T): Promise<ReplyOf<T>> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ type: replyType, resolve: resolve as (reply: LoadgenReply) => void, reject });
      this.child.send(command);
    });
  }

  /** A command without a reply (stop). */
  send(command: LoadgenCommand): void {
    this.child.send(command);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.request({ type: 'close' }, 'closed').catch(() => undefined);
    this.child.kill();
    await exited;
  }
}

/** Splits `count` devices over `processes` generators: [from, to) each. */
export function slices(count: number, processes: number): { from: number; to: number }[] {
  const size = Math.ceil(count / processes);
  return Array.from({ length: processes }, (_, i) => ({ from: i * size, to: Math.min(count, (i + 1) * size) })).filter((s) => s.to > s.from);
}
