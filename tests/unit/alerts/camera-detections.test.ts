import { describe, expect, it } from 'vitest';
import { CAMERA, MIN, T0, detection, ops, scenario } from './fixtures.ts';

const DUMPING = 'illegal_dumping:cam-001';
const DAY = 24 * 60 * MIN;

describe('illegal_dumping', () => {
  it('a detection at 0.9 raises a critical alert with the evidence and the camera as subject', () => {
    const s = scenario();
    const commands = s.send(detection(CAMERA, T0, { confidence: 0.9, eventId: 'case-1' }), T0);
    expect(commands).toEqual([
      {
        op: 'raise',
        key: DUMPING,
        type: 'illegal_dumping',
        severity: 'critical',
        title: 'Illegal dumping at Yanling Road market camera, 红梅新村 (north-gate)',
        message: { code: 'illegal_dumping.detected', params: { place: 'Yanling Road market camera, 红梅新村', zone: 'north-gate' } },
        subject: { device: CAMERA },
        evidence: { detectionType: 'illegal_dumping', confidence: 0.9, zone: 'north-gate', snapshotRef: `snap/${T0}.jpg` },
        at: T0,
        hotspot: false,
      },
    ]);
    expect(s.view.open(DUMPING)).toMatchObject({ lat: CAMERA.lat, lon: CAMERA.lon, deviceKind: 'camera' });
  });

  it('five more within ten minutes from the same camera: still one alert, six raises, count 6', () => {
    const s = scenario();
    const raises = [];
    raises.push(...s.send(detection(CAMERA, T0, { eventId: 'case-1' }), T0));
    for (let i = 1; i <= 5; i++) {
      const at = T0 + i * 2 * MIN;
      raises.push(...s.send(detection(CAMERA, at, { eventId: i % 2 ? 'case-1' : `case-${i}`, phase: i % 2 ? 'update' : 'start' }), at));
    }
    expect(raises).toHaveLength(6);
    expect(new Set(raises.map((c) => c.op === 'raise' && c.key))).toEqual(new Set([DUMPING]));
    expect(s.view.history(DUMPING)).toHaveLength(1);
    expect(s.view.open(DUMPING)).toMatchObject({ count: 6, lastSeenAt: new Date(T0 + 10 * MIN).toISOString() });
  });

  it('confidence below the threshold is ignored (0.7 itself counts)', () => {
    const s = scenario();
    expect(s.send(detection(CAMERA, T0, { confidence: 0.69 }), T0)).toEqual([]);
    expect(ops(s.send(detection(CAMERA, T0 + MIN, { confidence: 0.7 }), T0 + MIN))).toEqual([`raise:${DUMPING}`]);
  });

  it('stays open (and keeps counting) after the window until someone resolves it', () => {
    const s = scenario();
    s.send(detection(CAMERA, T0, { eventId: 'case-1' }), T0);
    s.sweep(T0 + 3 * 60 * MIN);
    s.send(detection(CAMERA, T0 + 3 * 60 * MIN, { eventId: 'case-2' }), T0 + 3 * 60 * MIN);
    expect(s.view.history(DUMPING)).toHaveLength(1);
    expect(s.view.open(DUMPING)?.count).toBe(2);
  });

  it('once resolved, a new case opens a new alert, but updates of the resolved case do not', () => {
    const s = scenario();
    s.send(detection(CAMERA, T0, { eventId: 'case-1' }), T0);
    s.view.resolve(DUMPING, T0 + 5 * MIN);
    expect(s.send(detection(CAMERA, T0 + 6 * MIN, { eventId: 'case-1', phase: 'update' }), T0 + 6 * MIN)).toEqual([]);
    expect(s.send(detection(CAMERA, T0 + 30 * MIN, { eventId: 'case-1', phase: 'update' }), T0 + 30 * MIN)).toEqual([]);
    expect(ops(s.send(detection(CAMERA, T0 + 31 * MIN, { eventId: 'case-2' }), T0 + 31 * MIN))).toEqual([`raise:${DUMPING}`]);
    expect(s.view.history(DUMPING).map((a) => a.status)).toEqual(['resolved', 'active']);
  });

  it('the same case after a quiet window longer than illegalDumpingWindowMs is news again', () => {
    const s = scenario();
    s.send(detection(CAMERA, T0, { eventId: 'case-1' }), T0);
    s.view.resolve(DUMPING, T0 + MIN);
    expect(ops(s.send(detection(CAMERA, T0 + 32 * MIN, { eventId: 'case-1', phase: 'update' }), T0 + 32 * MIN))).toEqual([`raise:${DUMPING}`]);
  });

  it('hotspot: the third dumping alert at a camera within 7 days is flagged', () => {
    const s = scenario();
    const dumpAndResolve = (at: number, eventId: string) => {
      const [raise] = s.send(detection(CAMERA, at, { eventId }), at);
      s.view.resolve(DUMPING, at + MIN);
      return raise?.op === 'raise' ? raise.hotspot : undefined;
    };
    expect(dumpAndResolve(T0, 'a')).toBe(false);
    expect(dumpAndResolve(T0 + DAY, 'b')).toBe(false);
    expect(dumpAndResolve(T0 + 2 * DAY, 'c')).toBe(true);
    expect(s.view.history(DUMPING)[2]?.hotspot).toBe(true);
    // A week and a minute after the first: it has left the week, b and c remain (plus the new one).
    expect(dumpAndResolve(T0 + 7 * DAY + MIN, 'd')).toBe(true);
    expect(dumpAndResolve(T0 + 9 * DAY + 2 * MIN, 'e2')).toBe(false);
    expect(dumpAndResolve(T0 + 20 * DAY, 'e')).toBe(false);
  });

  it('an update of an open alert counts the open alert itself once', () => {
    const s = scenario({ file: { defaults: { hotspotMinAlerts: 2 } } });
    const [first] = s.send(detection(CAMERA, T0, { eventId: 'a' }), T0);
    const [second] = s.send(detection(CAMERA, T0 + MIN, { eventId: 'a', phase: 'update' }), T0 + MIN);
    expect(first).toMatchObject({ hotspot: false });
    expect(second).toMatchObject({ hotspot: false });
  });
});

describe('city_appearance', () => {
  const VENDING = 'city_appearance:cam-001:street_vending';

  it('other detection types raise info alerts keyed per camera and type', () => {
    const s = scenario();
    const [raise] = s.send(detection(CAMERA, T0, { type: 'street_vending', confidence: 0.65 }), T0);
    expect(raise).toMatchObject({
      op: 'raise',
      key: VENDING,
      type: 'city_appearance',
      severity: 'info',
      title: 'Street vending at Yanling Road market camera, 红梅新村 (north-gate)',
      message: {
        code: 'city_appearance.detected',
        params: { place: 'Yanling Road market camera, 红梅新村', zone: 'north-gate', detectionType: 'street_vending' },
      },
      evidence: { detectionType: 'street_vending', confidence: 0.65 },
    });
    s.send(detection(CAMERA, T0 + MIN, { type: 'disorderly_parking' }), T0 + MIN);
    expect(s.view.openKeys()).toEqual(['city_appearance:cam-001:disorderly_parking', VENDING]);
  });

  it('below cityAppearanceMinConfidence is ignored', () => {
    const s = scenario();
    expect(s.send(detection(CAMERA, T0, { type: 'street_vending', confidence: 0.59 }), T0)).toEqual([]);
  });

  it('repeats within the window update the one alert; the end phase does not clear it', () => {
    const s = scenario();
    s.send(detection(CAMERA, T0, { type: 'street_vending', eventId: 'v1' }), T0);
    s.send(detection(CAMERA, T0 + 5 * MIN, { type: 'street_vending', eventId: 'v1', phase: 'end' }), T0 + 5 * MIN);
    s.send(detection(CAMERA, T0 + 10 * MIN, { type: 'street_vending', eventId: 'v2' }), T0 + 10 * MIN);
    expect(s.view.open(VENDING)).toMatchObject({ count: 3 });
  });

  it('clears at the sweep after 30 minutes without a sighting (30 exactly keeps it)', () => {
    const s = scenario({ fleet: [CAMERA] });
    s.send(detection(CAMERA, T0, { type: 'street_vending' }), T0);
    expect(ops(s.sweep(T0 + 30 * MIN)).filter((o) => o.includes('city_appearance'))).toEqual([]);
    expect(ops(s.sweep(T0 + 30 * MIN + 1000)).filter((o) => o.includes('city_appearance'))).toEqual([`clear:${VENDING}`]);
  });

  it('illegal dumping is not a city_appearance alert', () => {
    const s = scenario();
    s.send(detection(CAMERA, T0, { type: 'illegal_dumping' }), T0);
    expect(s.view.openOfType('city_appearance')).toEqual([]);
  });
});
