/**
 * deploy/influxdb/create-dbrp.sh, run by bash as the influxdb image runs it, with a stand-in
 * `influx` on the PATH that records its arguments (no InfluxDB 2.x server is available here:
 * what the real CLI and server do with them is from their documentation and source, see the
 * script's comments).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from './support.ts';

const SCRIPT = join(REPO, 'deploy/influxdb/create-dbrp.sh');

describe('create-dbrp.sh', () => {
  let dir: string;
  let calls: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-dbrp-'));
    calls = join(dir, 'calls');
    writeFileSync(calls, '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script with a fake influx that records each call (one line, NUL-separated args). */
  function run(env: Record<string, string>, influxExit = 0) {
    const bin = join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    const fake = join(bin, 'influx');
    writeFileSync(fake, `#!/bin/bash\nprintf '%s\\0' "$@" >> "$CALLS"\necho >> "$CALLS"\nexit ${influxExit}\n`);
    chmodSync(fake, 0o755);
    const result = spawnSync(SCRIPT, [], {
      env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, ...env },
      encoding: 'utf8',
    });
    if (result.error) throw result.error;
    const recorded = readFileSync(calls, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\0').filter((arg) => arg !== ''));
    return { ...result, calls: recorded };
  }

  it('maps database binpulse with autogen (first, the default), raw and forever onto the setup bucket', () => {
    const result = run({ DOCKER_INFLUXDB_INIT_BUCKET_ID: '0a1b2c3d4e5f6071' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls).toEqual([
      ['v1', 'dbrp', 'create', '--db', 'binpulse', '--rp', 'autogen', '--bucket-id', '0a1b2c3d4e5f6071', '--default'],
      ['v1', 'dbrp', 'create', '--db', 'binpulse', '--rp', 'raw', '--bucket-id', '0a1b2c3d4e5f6071'],
      ['v1', 'dbrp', 'create', '--db', 'binpulse', '--rp', 'forever', '--bucket-id', '0a1b2c3d4e5f6071'],
    ]);
  });

  it('fails, so the container does not start half-initialised, when influx fails', () => {
    const result = run({ DOCKER_INFLUXDB_INIT_BUCKET_ID: '0a1b2c3d4e5f6071' }, 1);
    expect(result.status).not.toBe(0);
    expect(result.calls).toHaveLength(1);
  });

  it('fails without the bucket id the image exports after setup', () => {
    const result = run({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('DOCKER_INFLUXDB_INIT_BUCKET_ID');
    expect(result.calls).toEqual([]);
  });
});
