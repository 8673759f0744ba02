import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/broker-lifecycle.ts', import.meta.url));

describe('stop()', () => {
  it('leaves no open handles: the process exits on its own after stopping the broker', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The bound only limits a failure (a hanging process); the broker's own connect timer is 30 s.
    const exitCode = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('did not exit: a handle was left open');
      }, 25_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });
    expect({ exitCode, output: output.trim() }).toEqual({ exitCode: 0, output: 'stopped' });
  }, 30_000);
});
