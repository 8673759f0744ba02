import { describe, expect, it } from 'vitest';
import { ALERT_TYPES, DEAD_LETTER_REASONS, emptyDeviceState, SEVERITIES, type DeadLetterReason } from '../../../shared/contracts/index.ts';
import { collectOpsSnapshot } from '../../../services/platform/wiring/ops-snapshot.ts';
import { formatLine } from '../../../services/timeseries/core/influx-line-protocol.ts';
import {
  buildOpsSnapshot,
  countersOf,
  OPS_MEASUREMENTS,
  ratePerSecond,
  type OpsSnapshotInput,
  type SnapshotDevice,
} from '../../../services/timeseries/core/ops-snapshot.ts';
import { TEST_BOX } from '../../support/devices.ts';

const AT = Date.UTC(2026, 10, 26, 2, 0, 0);
const noDeadLetters = () => Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 0])) as Record<DeadLetterReason, number>;

function input(overrides: Partial<OpsSnapshotInput> = {}): OpsSnapshotInput {
  const devices: SnapshotDevice[] = [
    { kind: 'box', subdistrict: 'hongmei', online: true, maxFillingLevel: 0.95 },
    { kind: 'box', subdistrict: 'hongmei', online: true, maxFillingLevel: 0.9 },
    { kind: 'box', subdistrict: 'hongmei', online: false, maxFillingLevel: 0.4 },
    { kind: 'box', subdistrict: 'zhenglu', online: false, maxFillingLevel: null },
    { kind: 'camera', subdistrict: 'zhenglu', online: true, maxFillingLevel: null },
  ];
  return {
    at: AT,
    devices,
    openAlerts: (type, severity) => (type === 'bin_full' && severity === 'critical' ? 2 : 0),
    messagesAccepted: 1000,
    deadLetters: { ...noDeadLetters(), invalid_json: 3 },
    journal: { backlogBytes: 2048, maxBytes: 1 << 30, backlogs: new Map([['timeseries', 12], ['live', 0]]) },
    ...overrides,
  };
}

const pointsOf = (measurement: string, points = buildOpsSnapshot(input())) => points.filter((p) => p.measurement === measurement);

describe('operations snapshot (pure)', () => {
  it('counts online, offline and boxes ≥ 90 % for every kind × subdistrict, zeros included', () => {
    const fleet = pointsOf(OPS_MEASUREMENTS.fleetStatus);
    expect(fleet).toHaveLength(3 * 7); // box, camera, scale × 7 subdistricts
    const at = (kind: string, subdistrict: string) => fleet.find((p) => p.tags.kind === kind && p.tags.subdistrict === subdistrict)!.fields;
    expect(at('box', 'hongmei')).toEqual({ devices: 3, online: 2, offline: 1, boxesAbove90: 2 });
    expect(at('box', 'zhenglu')).toEqual({ devices: 1, online: 0, offline: 1, boxesAbove90: 0 });
    expect(at('camera', 'zhenglu')).toEqual({ devices: 1, online: 1, offline: 0, boxesAbove90: undefined });
    expect(at('camera', 'tianning')).toEqual({ devices: 0, online: 0, offline: 0, boxesAbove90: undefined });
  });

  it('writes every alert type × severity, so a cleared type reads 0', () => {
    const alerts = pointsOf(OPS_MEASUREMENTS.alertsOpen);
    expect(alerts).toHaveLength(ALERT_TYPES.length * SEVERITIES.length);
    expect(alerts.filter((p) => p.fields.count !== 0)).toEqual([
      expect.objectContaining({ tags: { type: 'bin_full', severity: 'critical' }, fields: { count: 2 } }),
    ]);
  });

  it('keeps counters cumulative and leaves rates out of the first snapshot', () => {
    const [stats] = pointsOf(OPS_MEASUREMENTS.ingestStats);
    expect(stats!.tags).toEqual({});
    expect(stats!.fields).toEqual({ messagesAccepted: 1000, messagesPerSecond: null, journalBacklogBytes: 2048, journalMaxBytes: 1 << 30 });
    const dead = pointsOf(OPS_MEASUREMENTS.deadLetters);
    expect(dead.map((p) => p.tags.reason)).toEqual([...DEAD_LETTER_REASONS]);
    expect(dead.find((p) => p.tags.reason === 'invalid_json')!.fields).toEqual({ total: 3, perSecond: null });
  });

  it('computes per-second rates from the previous snapshot', () => {
    const first = input();
    const second = input({ at: AT + 60_000, messagesAccepted: 7000, deadLetters: { ...noDeadLetters(), invalid_json: 9 } });
    const points = buildOpsSnapshot(second, countersOf(first));
    expect(pointsOf(OPS_MEASUREMENTS.ingestStats, points)[0]!.fields.messagesPerSecond).toBe(100);
    const dead = pointsOf(OPS_MEASUREMENTS.deadLetters, points);
    expect(dead.find((p) => p.tags.reason === 'invalid_json')!.fields.perSecond).toBe(0.1);
    expect(dead.find((p) => p.tags.reason === 'unknown_topic')!.fields.perSecond).toBe(0);
  });

  it('has no rate across a counter reset or without elapsed time', () => {
    expect(ratePerSecond(undefined, 5, 1000)).toBeNull();
    expect(ratePerSecond(10, 5, 1000)).toBeNull();
    expect(ratePerSecond(10, 20, 0)).toBeNull();
    expect(ratePerSecond(10, 20, 2000)).toBe(5);
  });

  it('writes the journal backlog per consumer, in a stable order', () => {
    expect(pointsOf(OPS_MEASUREMENTS.journalBacklog).map((p) => [p.tags.consumer, p.fields.entries])).toEqual([
      ['live', 0],
      ['timeseries', 12],
    ]);
  });

  it('encodes as floats only, bounded tags only, one timestamp for the whole snapshot', () => {
    const lines = buildOpsSnapshot(input(), countersOf(input({ at: AT - 1000 }))).map(formatLine);
    const ns = `${AT}000000`;
    for (const line of lines) {
      expect(line.endsWith(` ${ns}`), line).toBe(true);
      // Every field value a float with a decimal point: no integers (40i), no strings, no booleans.
      const fields = line.slice(line.indexOf(' ') + 1, line.lastIndexOf(' ')).split(',');
      for (const field of fields) expect(field, line).toMatch(/^[A-Za-z0-9]+=-?\d+(\.\d+)?(e[+-]?\d+)?$/);
      for (const field of fields) expect(field, line).toMatch(/[.e]/);
      expect(line, line).not.toMatch(/deviceId=|community=/);
    }
    expect(lines).toContain(`fleet_status,kind=box,subdistrict=hongmei devices=3.0,online=2.0,offline=1.0,boxesAbove90=2.0 ${ns}`);
    expect(lines).toContain(`ingest_stats messagesAccepted=1000.0,messagesPerSecond=0.0,journalBacklogBytes=2048.0,journalMaxBytes=1073741824.0 ${ns}`);
  });
});

describe('collecting the snapshot from the running platform', () => {
  it('counts registered devices only, asks for open alerts per type × severity, and the backlog per consumer', () => {
    const camera = { ...TEST_BOX, id: 'cam-001', kind: 'camera' as const, subdistrict: 'zhenglu' as const, compartments: [] };
    const states = new Map([
      [TEST_BOX.id, { ...emptyDeviceState(), online: true, maxFillingLevel: 0.92 }],
      // A removed device's leftover state is not part of the fleet.
      ['box-9999', { ...emptyDeviceState(), online: true, maxFillingLevel: 1 }],
    ]);
    const asked: string[] = [];
    const input = collectOpsSnapshot(
      {
        registry: { list: () => [TEST_BOX, camera] },
        deviceState: { get: (id) => states.get(id), all: () => states },
        alerts: {
          list: (filter) => {
            asked.push(`${filter.status}:${filter.type}:${filter.severity}:${filter.limit}`);
            return { total: filter.type === 'device_offline' && filter.severity === 'warning' ? 1 : 0, items: [] };
          },
        },
        deadLetters: { counts: () => ({ ...noDeadLetters(), schema_violation: 4 }) },
        journal: { consumers: () => ['live', 'timeseries'], offset: (name) => (name === 'live' ? 100 : 60), headSeq: () => 100, backlogBytes: () => 512 },
        journalMaxBytes: 1024,
        messagesAccepted: () => 42,
      },
      AT,
    );
    expect(input.devices).toEqual([
      { kind: 'box', subdistrict: 'hongmei', online: true, maxFillingLevel: 0.92 },
      { kind: 'camera', subdistrict: 'zhenglu', online: false, maxFillingLevel: null },
    ]);
    expect(input.openAlerts('device_offline', 'warning')).toBe(1);
    expect(asked).toEqual(['open:device_offline:warning:0']);
    expect(input.journal).toEqual({ backlogBytes: 512, maxBytes: 1024, backlogs: new Map([['live', 0], ['timeseries', 40]]) });
    expect(input.messagesAccepted).toBe(42);
    expect(input.deadLetters.schema_violation).toBe(4);
    expect(input.at).toBe(AT);
  });
});
