import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import {
  CredentialsFileError,
  readCredentialsFile,
  writeCredentialsFile,
} from '../../../services/fleet/adapters/credentials-file.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { provisionDemoFleet } from '../../../services/fleet/provision-demo.ts';

const NOW = () => new Date('2026-11-26T08:00:00Z');

describe('demo fleet provisioning', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  let credentialsPath: string;
  const provision = () =>
    provisionDemoFleet({ registry, credentialsPath, seed: 'test', boxes: 20, cameras: 4, now: NOW });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
    credentialsPath = path.join(dir, 'data', 'demo-credentials.json');
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fills an empty registry and writes secrets that verify', () => {
    const result = provision();
    // 24 boxes and cameras, and 11 weighbridges: one per transfer station and at the sorting centre.
    expect(result).toMatchObject({ outcome: 'created', created: 35, credentialsPath, chain: { sortingCentres: 1, scales: 11 } });
    expect(registry.count()).toBe(35);
    const file = readCredentialsFile(credentialsPath);
    expect(file.generatedAt).toBe('2026-11-26T08:00:00.000Z');
    expect(file.devices).toHaveLength(35);
    expect(file.sites).toEqual(registry.listSites());
    expect(file.sites!.filter((s) => s.kind === 'sorting_centre')).toHaveLength(1);
    for (const { device, secret } of file.devices) {
      expect(registry.get(device.id)).toEqual(device);
      expect(registry.verifySecret(device.id, secret)).toBe(true);
    }
  });

  it('writes the credentials file readable by its owner only', () => {
    provision();
    expect(fs.statSync(credentialsPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(credentialsPath))).toEqual(['demo-credentials.json']);
  });

  it('does nothing when the registry has devices and the file exists', () => {
    provision();
    const before = fs.readFileSync(credentialsPath, 'utf8');
    const result = provision();
    expect(result).toMatchObject({ outcome: 'unchanged', created: 0, rotated: 0 });
    expect(fs.readFileSync(credentialsPath, 'utf8')).toBe(before);
    expect(registry.count()).toBe(35);
  });

  it('issues new secrets and rewrites the file when it went missing', () => {
    provision();
    const lost = readCredentialsFile(credentialsPath);
    fs.rmSync(credentialsPath);
    const result = provision();
    expect(result).toMatchObject({ outcome: 'rotated', created: 0, rotated: 35 });
    const fresh = readCredentialsFile(credentialsPath);
    expect(fresh.devices.map((d) => d.device)).toEqual(lost.devices.map((d) => d.device));
    for (const [i, { device, secret }] of fresh.devices.entries()) {
      expect(registry.verifySecret(device.id, secret)).toBe(true);
      expect(registry.verifySecret(device.id, lost.devices[i]!.secret)).toBe(false);
    }
  });

  it('rewrites the file with only the demo devices still registered', () => {
    provision();
    registry.remove('box-0001');
    registry.add({ ...registry.get('box-0002')!, id: 'box-9001' });
    fs.rmSync(credentialsPath);
    expect(provision().rotated).toBe(34);
    const ids = readCredentialsFile(credentialsPath).devices.map((d) => d.device.id);
    expect(ids).not.toContain('box-0001');
    expect(ids).not.toContain('box-9001');
    expect(ids).toHaveLength(34);
  });

  it('leaves a registry without demo devices alone', () => {
    const { device } = registry.add({ ...manualBox(), id: 'box-9001' });
    const result = provision();
    expect(result.outcome).toBe('not-demo');
    expect(registry.list()).toEqual([device]);
    expect(fs.existsSync(credentialsPath)).toBe(false);
  });
});

describe('the credentials file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sample = () => ({
    generatedAt: '2026-11-26T08:00:00.000Z',
    devices: [{ device: { ...manualBox(), cameraPointType: null, compartments: [] }, secret: 'x'.repeat(43) }],
  });

  it('round-trips, replacing an older file', () => {
    const file = path.join(dir, 'creds.json');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    writeCredentialsFile(file, sample());
    expect(readCredentialsFile(file)).toEqual(sample());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['creds.json']);
  });

  it('refuses to write or read something that is not a credentials file', () => {
    const file = path.join(dir, 'creds.json');
    expect(() => writeCredentialsFile(file, { ...sample(), devices: [{ ...sample().devices[0]!, secret: 'short' }] })).toThrow();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.writeFileSync(file, '{"generatedAt": "yesterday", "devices": []}');
    expect(() => readCredentialsFile(file)).toThrow(CredentialsFileError);
    expect(() => readCredentialsFile(file)).toThrow(/generatedAt/);
    fs.writeFileSync(file, 'not json');
    expect(() => readCredentialsFile(file)).toThrow(/not JSON/);
  });
});

function manualBox() {
  return {
    id: 'box-9001',
    kind: 'box' as const,
    name: '测试小区 1号回收箱',
    lat: 31.8,
    lon: 119.98,
    subdistrict: 'hongmei' as const,
    community: '测试小区',
    address: '常州市天宁区竹林北路1号',
    installedOn: '2024-05-01',
    gridCell: 'TN-HM-01',
    responsiblePerson: '张伟',
  };
}
