/**
 * The sensor_suspect rule family through the composed rules (rules.ts) and a fake alert view:
 * one warning per box × compartment with the evidence, cleared once the readings agree again.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceMessage } from '../../../shared/contracts/index.ts';
import type { AlertCommand } from '../../../services/alerts/core/ports.ts';
import { BOX, MIN, T0, collection, ops, scenario } from './fixtures.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const paper = (at: number, fillingLevel: number, weightKg: number): DeviceMessage => ({
  deviceId: BOX.id,
  channel: 'telemetry',
  payload: {
    ts: iso(at),
    compartments: [{ category: 'paper', fillingLevel, weightKg }],
    temperatureC: 20,
    power: { source: 'mains' },
    lid: 'closed',
    status: 'ok',
    signal: { rssiDbm: -70 },
  },
});
const deposit = (at: number, weightKg: number): DeviceMessage => ({
  deviceId: BOX.id,
  channel: 'event/deposit',
  payload: { ts: iso(at), eventId: `d-${at}`, category: 'paper', weightKg, residentHash: 'a'.repeat(64), points: 1 },
});

describe('sensor_suspect', () => {
  it('raises a warning on a stuck paper sensor with its evidence, and clears once the level follows the kg again', () => {
    const s = scenario();
    let at = T0;
    let kg = 30;
    s.send(paper(at, 0.2, kg), at); // agrees with 30 kg of 150: the reference
    const raised: string[] = [];
    for (let i = 0; i < 6; i++) {
      at += 10 * MIN;
      kg += 3;
      s.send(deposit(at - MIN, 3), at - MIN);
      raised.push(...ops(s.send(paper(at, 0.2, kg), at)));
    }
    expect(raised).toEqual(['raise:sensor_suspect:box-0001:paper']);
    const [alert] = s.view.openOfType('sensor_suspect');
    expect(alert).toMatchObject({
      severity: 'warning',
      compartment: 'paper',
      message: { code: 'sensor_suspect.stuck', params: { category: 'paper', percent: 20 } },
      evidence: { suspicion: 'stuck', fillingLevel: 0.2, kgAtFull: 150 },
    });
    expect(alert!.evidence.kgSinceEmptied).toBeGreaterThanOrEqual(36);

    // Repaired: the level reads the kg again; after sensorAgreeReadings (12) agreeing readings it clears.
    const cleared: string[] = [];
    for (let i = 0; i < 12; i++) {
      at += 10 * MIN;
      cleared.push(...ops(s.send(paper(at, Number((kg / 150).toFixed(3)), kg), at)));
    }
    expect(cleared).toEqual(['clear:sensor_suspect:box-0001:paper']);
    expect(s.view.openOfType('sensor_suspect')).toEqual([]);
  });

  it('says nothing while the weight never agreed with the level and no collection was seen', () => {
    const s = scenario();
    expect(ops(s.send(paper(T0, 0.9, 10), T0))).toEqual(['raise:bin_full:box-0001:paper']);
    expect(ops(s.send(paper(T0 + MIN, 0.1, 10), T0 + MIN))).toEqual(['clear:bin_full:box-0001:paper']);
    // After a collection the kg are known (0): a level that then reads 0.5 with nothing deposited jumps.
    s.send(collection(BOX, T0 + 2 * MIN, ['paper'], 15), T0 + 2 * MIN);
    s.send(paper(T0 + 3 * MIN, 0, 0), T0 + 3 * MIN);
    expect(ops(s.send(paper(T0 + 4 * MIN, 0.5, 0), T0 + 4 * MIN))).toEqual(['raise:sensor_suspect:box-0001:paper']);
  });

  it('after a restart, takes up the alert still open and clears it once the readings agree', () => {
    const before = scenario();
    const sent: AlertCommand[] = [];
    let at = T0;
    before.send(paper(at, 0.2, 30), at);
    for (let i = 1; i <= 6; i++) {
      at += 10 * MIN;
      before.send(deposit(at - MIN, 3), at - MIN);
      sent.push(...before.send(paper(at, 0.2, 30 + 3 * i), at));
    }
    expect(before.view.openOfType('sensor_suspect')).toHaveLength(1);

    // A new rules instance (the engine restarted) over the same alerts: the sensor was repaired meanwhile.
    const after = scenario();
    after.view.apply(sent);
    const cleared: string[] = [];
    for (let i = 0; i < 14; i++) {
      at += 10 * MIN;
      cleared.push(...ops(after.send(paper(at, 0.32 + 0.005 * (i % 2), 48), at)));
    }
    expect(cleared).toEqual(['clear:sensor_suspect:box-0001:paper']);
  });
});
