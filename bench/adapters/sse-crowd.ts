/** Starts the alert-stream crowd process (./sse-crowd-process.ts) and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CrowdCommand, CrowdReply } from './sse-crowd-process.ts';

const ENTRY = fileURLToPath(new URL('./sse-crowd-process.ts', import.meta.url));

export class SseCrowd {
  private constructor(private readonly child: ChildProcess) {}

  static start(): SseCrowd {
    return new SseCrowd(fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  private request<T extends CrowdReply['type']>(command: CrowdCommand, type: T): Promise<Extract<CrowdReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: CrowdReply) => {
        if (reply.type !== type) return;
        this.child.off('message', onMessage);
        resolve(reply as Extract<CrowdReply, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code) => reject(new Error(`SSE crowd exited with ${code}`)));
      this.child.send(command);
    });
  }

  /** Opens `count` streams at once; resolves when every one has its snapshot or failed. */
  open(url: string, token: string, count: number) {
    return this.request({ type: 'open', url, token, count }, 'opened');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.request({ type: 'close' }, 'closed').catch(() => undefined);
    this.child.kill();
    await exited;
  }
}
