/**
 * sensor_suspect in the platform's own wiring (issue 14 acceptance): the simulator's boxes, with
 * their fill sensors sticking, publish through the live ingest pipeline (real SQLite device
 * state) into the alert engine with the real rules (real SQLite alert store), on a fake clock.
 * Every stuck sensor gets a sensor_suspect alert within one simulated day, with its evidence;
 * no healthy compartment gets one. And a camera's overflowing bin next to a box reading low.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, type Alert, type Device } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import { AlertEngine } from '../../../services/alerts/alert-engine.ts';
import { createAlertRules } from '../../../services/alerts/core/rules.ts';
import { thresholdsResolver } from '../../../services/alerts/core/thresholds.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../../services/ingest/pipeline.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';
import { sha256, testBoxes, testCameras } from '../../unit/simulators/fleet-fixture.ts';

const logger = pino({ level: 'silent' });
const START = Date.parse('2026-11-02T00:00:00+08:00');

describe('sensor_suspect through ingest and the alert engine', () => {
  let dir: string;
  const dbs: SqliteDatabase[] = [];
  const stops: (() => void)[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-sensors-'));
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    for (const db of dbs.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function platform(devices: Device[]) {
    const clock = { now: START };
    const now = () => clock.now;
    const byId = new Map(devices.map((d) => [d.id, d]));
    const ingestDb = openDatabase(join(dir, 'ingest.db'));
    const alertsDb = openDatabase(join(dir, 'alerts.db'));
    dbs.push(ingestDb, alertsDb);
    const metrics = new Registry();
    const deviceState = new SqliteDeviceStateStore(ingestDb, { logger, now });
    const pipeline = new IngestPipeline({
      registry: { get: (id) => byId.get(id) },
      deadLetters: new SqliteDeadLetterStore(ingestDb, { metrics }),
      deviceState,
      now,
      limits: { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS },
      logger,
      metrics,
    });
    const engine = new AlertEngine({
      db: alertsDb,
      rules: createAlertRules({ thresholdsFor: thresholdsResolver(undefined) }),
      registry: { get: (id) => byId.get(id), list: () => devices },
      deviceState,
      now,
      sweepSeconds: 15,
      logger,
      metrics,
    });
    pipeline.onAccepted((message, device, receivedAt) => engine.handleMessage(message, device, receivedAt));
    pipeline.start();
    engine.start();
    stops.push(() => engine.stop(), () => pipeline.stop());
    /** Publishes as the device would, received at `at`. */
    const publish = (deviceId: string, channel: Parameters<typeof deviceTopic>[1], payload: unknown, at: number) => {
      clock.now = at;
      pipeline.handle(deviceTopic(deviceId, channel), Buffer.from(JSON.stringify(payload)), at);
    };
    const suspects = (): Alert[] => engine.list({ type: 'sensor_suspect', limit: 500, offset: 0 }).items;
    return { publish, suspects, engine, deadLetters: () => metrics };
  }

  it('raises sensor_suspect within one simulated day of a box\'s fill sensor sticking, and on no healthy compartment', () => {
    const boxes = testBoxes(12);
    const p = platform(boxes);
    const sim = createFleetSimulation({
      seed: 'stuck-sensors',
      startMs: START,
      devices: boxes,
      hashResident: sha256,
      minReportIntervalMs: 10 * 60_000,
      tuning: { faultRate: 0, sensorFaultRate: 1, faults: { sensorStuck: 0.06, sensorJump: 0, sensorDrift: 0 } },
    });
    const DAYS = 8;
    const deposits: { key: string; atMs: number; kg: number }[] = [];
    for (let t = START + HOUR_MS; t <= START + DAYS * DAY_MS; t += HOUR_MS) {
      for (const a of sim.advanceTo(t)) {
        if (a.type !== 'publish') continue;
        p.publish(a.deviceId, a.channel, a.payload, a.atMs);
        if (a.channel === 'event/deposit') deposits.push({ key: `${a.deviceId}:${a.payload.category}`, atMs: a.atMs, kg: a.payload.weightKg });
      }
    }
    const alerts = p.suspects().sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
    const stuck = sim.stats.sensorFaults;
    // A frozen level shows only when kg go in or out: a day can be asked of the stuck sensors whose
    // compartment took in at least twice the stuck threshold (2 × 4 % of a full) in that day and
    // that started a day before the end. (A metal compartment taking 3 kg a day needs longer.)
    const capacity = (category: string) => boxes[0]!.compartments.find((c) => c.category === category)!.capacityKg;
    const kgWithinADay = (f: (typeof stuck)[number]) =>
      deposits.filter((d) => d.key === `${f.boxId}:${f.category}` && d.atMs >= f.startMs && d.atMs <= Math.min(f.endMs, f.startMs + DAY_MS)).reduce((s, d) => s + d.kg, 0);
    const judged = stuck.filter((f) => f.startMs <= START + (DAYS - 1) * DAY_MS && kgWithinADay(f) >= 2 * 0.04 * capacity(f.category));
    expect(judged.length).toBeGreaterThanOrEqual(10);
    for (const f of judged) {
      const alert = alerts.find((a) => a.key === `sensor_suspect:${f.boxId}:${f.category}` && Date.parse(a.raisedAt) >= f.startMs);
      expect(alert, `${f.boxId} ${f.category} stuck at ${new Date(f.startMs).toISOString()}`).toBeDefined();
      expect(Date.parse(alert!.raisedAt) - f.startMs, `${f.boxId} ${f.category} ${alert!.title}`).toBeLessThanOrEqual(DAY_MS);
      expect(alert).toMatchObject({ type: 'sensor_suspect', severity: 'warning', compartment: f.category, message: { code: expect.stringMatching(/^sensor_suspect\./) } });
      expect(alert!.evidence).toMatchObject({ kgSinceEmptied: expect.any(Number), expectedLevel: expect.any(Number), fillingLevel: expect.any(Number), readings: expect.any(Number) });
    }
    // Every sensor_suspect is about a compartment whose sensor was stuck then (or had just been repaired).
    for (const a of alerts) {
      const faultHere = stuck.some((f) => a.key === `sensor_suspect:${f.boxId}:${f.category}` && Date.parse(a.raisedAt) >= f.startMs && Date.parse(a.raisedAt) <= f.endMs + DAY_MS);
      expect(faultHere, a.title).toBe(true);
    }
  });

  it('suspects the box next to a camera that sees it overflowing while it reads low', () => {
    const [box] = testBoxes(1);
    const camera = { ...testCameras(1)[0]!, lat: box!.lat + 0.0003, lon: box!.lon }; // ~33 m away
    const p = platform([box!, camera]);
    const at = START + 10 * HOUR_MS;
    const readings = box!.compartments.map((c) => ({ category: c.category, fillingLevel: 0.2, weightKg: 0.2 * c.capacityKg }));
    const telemetry = { ts: new Date(at).toISOString(), compartments: readings, temperatureC: 12, power: { source: 'mains' }, lid: 'closed', status: 'ok', signal: { rssiDbm: -70 } };
    p.publish(box!.id, 'telemetry', telemetry, at);
    p.publish(camera.id, 'detection', { ts: new Date(at + 60_000).toISOString(), eventId: 'ov-1', phase: 'start', type: 'overflowing_bin', confidence: 0.85, zone: 'box front', snapshotRef: 'snap/ov-1.jpg' }, at + 60_000);

    const [alert] = p.suspects();
    expect(alert).toMatchObject({
      key: `sensor_suspect:${box!.id}:paper`,
      deviceId: box!.id,
      severity: 'warning',
      message: { code: 'sensor_suspect.camera' },
      evidence: { suspicion: 'camera', fillingLevel: 0.2, cameraId: camera.id, snapshotRef: 'snap/ov-1.jpg' },
    });
  });
});
