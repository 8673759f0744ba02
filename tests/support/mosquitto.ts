/**
 * mosquitto_pub as a real third-party MQTT device. .ci/run installs it (Debian
 * mosquitto-clients); on a machine without it the tests that need it are skipped with a
 * message, except under CI=true, where a missing client is a failure.
 */
import { execFile, execFileSync } from 'node:child_process';

function installed(): boolean {
  try {
    execFileSync('mosquitto_pub', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // --help exits non-zero but proves the binary is there.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export const hasMosquitto = installed();

if (!hasMosquitto) {
  const message = 'mosquitto_pub not found: install Debian package mosquitto-clients to run the tests that use it';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
}

export function mosquittoPub(port: number, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 20_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stderr });
    });
  });
}
