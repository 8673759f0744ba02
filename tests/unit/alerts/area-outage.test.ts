import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/contracts/index.ts';
import { largestCluster } from '../../../services/alerts/core/area-outage.ts';
import { MIN, T0, box, ops, scenario, status, telemetry, type Scenario } from './fixtures.ts';

const SEC = 1000;
const A = '红梅新村';
const B = '丽华新村';
const communityA = Array.from({ length: 10 }, (_, i) => box(`box-a${String(i + 1).padStart(2, '0')}`, { community: A }));
const communityB = Array.from({ length: 10 }, (_, i) => box(`box-b${String(i + 1).padStart(2, '0')}`, { community: B }));
const AREA_A = `area_outage:community:${A}`;

/**
 * Everyone reports at T0 and every 5 minutes until it drops; `drops` go offline (last will) at
 * their times; sweeps run every 15 s until `until`. Returns every command.
 */
function run(s: Scenario, drops: [Device, number][], until: number) {
  s.sweep(T0);
  const all = [];
  const dropped = new Set<string>();
  for (let at = T0; at <= until; at += 5 * SEC) {
    for (const [d, when] of drops) {
      if (when !== at) continue;
      dropped.add(d.id);
      all.push(...s.send(status(d, 'offline', at), at));
    }
    if ((at - T0) % (5 * MIN) === 0) for (const d of s.fleet) if (!dropped.has(d.id)) s.send(telemetry(d, at), at);
    if ((at - T0) % (15 * SEC) === 0) all.push(...s.sweep(at));
  }
  return all;
}

const offlineAlerts = (s: Scenario) => s.view.alerts.filter((a) => a.type === 'device_offline');

describe('area_outage', () => {
  it('8 of 10 devices in one community offline within 2 minutes: one area alert, no per-device alerts', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 15 * SEC]);
    run(s, drops, T0 + 10 * MIN);
    const areaAlerts = s.view.alerts.filter((a) => a.type === 'area_outage');
    expect(areaAlerts).toHaveLength(1);
    expect(areaAlerts[0]).toMatchObject({
      key: AREA_A,
      severity: 'critical',
      status: 'active',
      area: { level: 'community', name: A },
      subdistrict: 'hongmei',
      community: A,
      deviceId: null,
      evidence: { offlineDevices: 8, areaDevices: 10 },
      title: `Area outage: 8 of 10 devices offline in ${A}`,
    });
    expect(offlineAlerts(s)).toEqual([]);
  });

  it('raises as soon as the share is reached (6 of 10), then updates the count as more drop', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 15 * SEC]);
    const commands = run(s, drops, T0 + 10 * MIN);
    const raises = commands.filter((c) => c.op === 'raise' && c.key === AREA_A);
    expect(raises.map((c) => c.op === 'raise' && c.evidence.offlineDevices)).toEqual([6, 7, 8]);
    expect(raises[0]?.at).toBe(T0 + MIN + 75 * SEC);
  });

  it('readings a report interval apart, wills within 2 minutes: an area outage', () => {
    const s = scenario({ fleet: communityA });
    s.sweep(T0);
    communityA.forEach((d, i) => s.send(telemetry(d, T0 + i * 30 * SEC), T0 + i * 30 * SEC));
    communityA.slice(0, 8).forEach((d, i) => s.send(status(d, 'offline', T0 + 6 * MIN + i * 10 * SEC), T0 + 6 * MIN + i * 10 * SEC));
    expect(ops(s.sweep(T0 + 8 * MIN))).toEqual([`raise:${AREA_A}`]);
  });

  it('1 of 10 offline: a per-device alert only', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    run(s, [[communityA[0]!, T0 + MIN]], T0 + 10 * MIN);
    expect(s.view.openKeys()).toEqual(['device_offline:box-a01']);
  });

  it('devices dropping one by one (more than 2 minutes apart) are no area outage', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 90 * SEC]);
    run(s, drops, T0 + 20 * MIN);
    expect(s.view.alerts.filter((a) => a.type === 'area_outage')).toEqual([]);
    expect(offlineAlerts(s)).toHaveLength(8);
  });

  it('inhibits the per-device alerts already open in the area', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    // box-a01 dropped long before; its own alert is open when the rest of the community follows.
    const drops: [Device, number][] = [
      [communityA[0]!, T0 + MIN],
      ...communityA.slice(1, 7).map((d, i): [Device, number] => [d, T0 + 4 * MIN + i * 10 * SEC]),
    ];
    const commands = run(s, drops, T0 + 6 * MIN);
    expect(ops(commands)).toContain(`inhibit:${AREA_A}<-device_offline:box-a01`);
    expect(s.view.open('device_offline:box-a01')?.inhibitedBy).toBe(s.view.open(AREA_A)?.id);
    expect(offlineAlerts(s)).toHaveLength(1);
  });

  it('clears when fewer than half the area is offline; devices still down then get their own alerts', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 5 * SEC]);
    run(s, drops, T0 + 5 * MIN);
    expect(s.view.openKeys()).toEqual([AREA_A]);
    let at = T0 + 6 * MIN;
    for (const d of communityA.slice(0, 3)) s.send(status(d, 'online', at), at);
    // 5 of 10 still offline: not fewer than half; the open alert takes the new count.
    expect(s.sweep(at)).toMatchObject([{ op: 'raise', key: AREA_A, evidence: { offlineDevices: 5, areaDevices: 10 } }]);
    at += MIN;
    s.send(status(communityA[3]!, 'online', at), at);
    const commands = s.sweep(at);
    expect(ops(commands)).toEqual([
      `clear:${AREA_A}`,
      'raise:device_offline:box-a05',
      'raise:device_offline:box-a06',
      'raise:device_offline:box-a07',
      'raise:device_offline:box-a08',
    ]);
  });

  it('a subdistrict alert covers its communities when the outage spans them', () => {
    const s = scenario({ fleet: [...communityA, ...communityB] });
    const drops = [...communityA.slice(0, 8), ...communityB.slice(0, 8)].map((d, i): [Device, number] => [d, T0 + MIN + (i % 8) * 10 * SEC]);
    run(s, drops, T0 + 10 * MIN);
    expect(s.view.openKeys()).toEqual(['area_outage:subdistrict:hongmei']);
    expect(s.view.open('area_outage:subdistrict:hongmei')).toMatchObject({
      title: 'Area outage: 16 of 20 devices offline in Hongmei subdistrict',
      message: { code: 'area_outage.subdistrict', params: { subdistrict: 'hongmei', offline: 16, total: 20 } },
      area: { level: 'subdistrict', name: 'hongmei' },
      community: null,
    });
  });

  it('prefers the community when one community explains a subdistrict-wide share', () => {
    const s = scenario({ fleet: communityA });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 5 * SEC]);
    run(s, drops, T0 + 5 * MIN);
    expect(s.view.openKeys()).toEqual([AREA_A]);
  });

  it('needs at least areaOutageMinDevices: 2 of 2 offline are per-device alerts', () => {
    const pair = communityA.slice(0, 2);
    const s = scenario({ fleet: pair });
    run(s, pair.map((d): [Device, number] => [d, T0 + MIN]), T0 + 5 * MIN);
    expect(s.view.openKeys()).toEqual(['device_offline:box-a01', 'device_offline:box-a02']);
  });

  it('uses the area thresholds from the thresholds file', () => {
    const s = scenario({ fleet: [...communityA, ...communityB], file: { subdistricts: { hongmei: { areaOutageFraction: 0.9 } } } });
    const drops = communityA.slice(0, 8).map((d, i): [Device, number] => [d, T0 + MIN + i * 5 * SEC]);
    run(s, drops, T0 + 5 * MIN);
    expect(s.view.alerts.filter((a) => a.type === 'area_outage')).toEqual([]);
    expect(offlineAlerts(s)).toHaveLength(8);
  });
});

describe('largestCluster', () => {
  const d = (since: number) => ({ device: communityA[0]!, since });
  it('finds the largest group within the window, edges inclusive', () => {
    expect(largestCluster([d(0), d(100), d(50), d(400), d(230)], 200).map((x) => x.since)).toEqual([0, 50, 100]);
    expect(largestCluster([d(0), d(200)], 200)).toHaveLength(2);
    expect(largestCluster([], 200)).toEqual([]);
  });
});
