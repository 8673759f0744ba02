import { describe, expect, it } from 'vitest';
import {
  AlertBoard,
  alertFacets,
  alertFilterQuery,
  defaultAlertFilter,
  matchesAlert,
  parseAlertFilter,
} from '../../../services/console/core/alerts-board.ts';
import { clusterPoints, markerPriority, placeLabels, summariseCluster, type ScreenPoint } from '../../../services/console/core/map-layout.ts';
import { makeAlert } from '../../support/alert-fakes.ts';
import { box, camera } from './fixtures.ts';

describe('live alert filters', () => {
  const boxFull = makeAlert({ type: 'bin_full', severity: 'warning', deviceKind: 'box' });
  const boxFire = makeAlert({ type: 'fire_risk', severity: 'critical', deviceKind: 'box' });
  const vending = makeAlert({ type: 'city_appearance', severity: 'info', deviceKind: 'camera', deviceId: 'cam-0001' });
  const vending2 = makeAlert({ type: 'city_appearance', severity: 'info', deviceKind: 'camera', deviceId: 'cam-0002' });
  const outage = makeAlert({ type: 'area_outage', severity: 'critical', deviceKind: null, deviceId: null, area: { level: 'community', name: '新天地花苑' } });
  const all = [boxFull, boxFire, vending, vending2, outage];

  it('filters by device kind; an alert about no single device (an area outage) shows under every kind', () => {
    const ids = (kind: 'box' | 'camera' | 'all') => all.filter((a) => matchesAlert(a, { kind })).map((a) => a.id);
    expect(ids('box')).toEqual([boxFull.id, boxFire.id, outage.id]);
    expect(ids('camera')).toEqual([vending.id, vending2.id, outage.id]);
    expect(ids('all')).toHaveLength(5);
  });

  it('filters by type and severity together with kind', () => {
    expect(all.filter((a) => matchesAlert(a, { kind: 'all', type: 'city_appearance' })).map((a) => a.id)).toEqual([vending.id, vending2.id]);
    expect(all.filter((a) => matchesAlert(a, { kind: 'box', severity: 'critical' })).map((a) => a.id)).toEqual([boxFire.id, outage.id]);
    expect(all.filter((a) => matchesAlert(a, { kind: 'camera', type: 'bin_full' }))).toEqual([]);
  });

  it('counts what each option would show given the other filters', () => {
    const facets = alertFacets(all, { kind: 'box', severity: 'critical' });
    // Severity counts ignore the chosen severity, but keep the kind.
    expect(facets.severity).toEqual({ critical: 2, warning: 1, info: 0, all: 3 });
    // Kind counts ignore the chosen kind, but keep the severity.
    expect(facets.kind).toEqual({ box: 2, camera: 1, all: 2 });
    // Types present under kind box and severity critical, most first.
    expect(facets.type).toEqual([
      { type: 'area_outage', count: 1 },
      { type: 'fire_risk', count: 1 },
    ]);
    expect(facets.anyType).toBe(2);
    expect(alertFacets(all, { kind: 'all' }).type[0]).toEqual({ type: 'city_appearance', count: 2 });
  });

  it('lists the filtered alerts from the board, most severe first', () => {
    const board = new AlertBoard();
    board.snapshot(all);
    expect(board.list({ kind: 'box' }).map((a) => a.id)).toEqual(expect.arrayContaining([boxFull.id, boxFire.id, outage.id]));
    expect(board.list({ kind: 'box' }).at(-1)!.id).toBe(boxFull.id);
    expect(board.list({ kind: 'camera', type: 'city_appearance' })).toHaveLength(2);
    expect(board.facets({ kind: 'box' }).kind.camera).toBe(3);
  });

  it("starts operators on box alerts and everyone else on all of them", () => {
    expect(defaultAlertFilter('operator')).toEqual({ kind: 'box' });
    expect(defaultAlertFilter('engineer')).toEqual({ kind: 'all' });
    expect(defaultAlertFilter('manager')).toEqual({ kind: 'all' });
    expect(defaultAlertFilter('admin')).toEqual({ kind: 'all' });
  });

  it('keeps the filter in the URL query, leaving out the role default and ignoring unknown values', () => {
    expect(alertFilterQuery({ kind: 'box' }, 'operator')).toBe('');
    const query = alertFilterQuery({ kind: 'camera', type: 'city_appearance', severity: 'info' }, 'operator');
    expect(query).toBe('alertKind=camera&alertType=city_appearance&severity=info');
    expect(parseAlertFilter(query, 'operator')).toEqual({ kind: 'camera', type: 'city_appearance', severity: 'info' });
    expect(parseAlertFilter('alertKind=lorry&alertType=nonsense&severity=urgent', 'operator')).toEqual({ kind: 'box' });
    expect(parseAlertFilter('', 'engineer')).toEqual({ kind: 'all' });
  });
});

describe('grouping markers that would overlap', () => {
  const pt = (id: string, x: number, y: number, weight = 0): ScreenPoint<{ id: string; weight: number }> => ({ id, x, y, item: { id, weight } });
  const priority = (item: { weight: number }) => item.weight;

  it('groups points within the radius around the most important one, and leaves distant points alone', () => {
    const { singles, clusters } = clusterPoints([pt('a', 0, 0, 0.5), pt('b', 10, 0, 0.95), pt('c', 0, 12, 0.2), pt('far', 200, 200, 0.1)], 30, { priority });
    expect(singles.map((s) => s.id)).toEqual(['far']);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members.map((m) => m.id)).toEqual(['b', 'a', 'c']);
    // Drawn on its seed (the fullest box), not on an average position.
    expect(clusters[0]).toMatchObject({ x: 10, y: 0 });
  });

  it('never draws two groups or markers closer than the radius', () => {
    // A dense grid of 400 points, 7 px apart: far more than fit.
    const points = Array.from({ length: 400 }, (_, i) => pt(`p${i}`, (i % 20) * 7, Math.floor(i / 20) * 7, (i * 37) % 100));
    const { singles, clusters } = clusterPoints(points, 30, { priority });
    const drawn = [...singles.map((s) => ({ x: s.x, y: s.y })), ...clusters.map((c) => ({ x: c.x, y: c.y }))];
    for (const [i, a] of drawn.entries()) for (const b of drawn.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(30);
    // Every point is drawn once: alone or in exactly one group.
    expect(singles.length + clusters.reduce((n, c) => n + c.members.length, 0)).toBe(400);
    expect(new Set([...singles.map((s) => s.id), ...clusters.flatMap((c) => c.members.map((m) => m.id))]).size).toBe(400);
  });

  it('keeps an isolated point (its popup is open) on its own, even beside a fuller one', () => {
    const { singles, clusters } = clusterPoints([pt('open', 0, 0, 0.1), pt('full', 5, 0, 1), pt('near', 8, 0, 0.3)], 30, { priority, isolated: new Set(['open']) });
    expect(singles.map((s) => s.id)).toEqual(['open']);
    expect(clusters[0]!.members.map((m) => m.id)).toEqual(['full', 'near']);
  });

  it('draws every point on its own with a zero radius (fully zoomed in)', () => {
    const { singles, clusters } = clusterPoints([pt('a', 0, 0), pt('b', 0, 0.5)], 0);
    expect(clusters).toEqual([]);
    expect(singles).toHaveLength(2);
  });

  it("colours a group by its fullest box, an overflow above a plain 100 %, and counts what is due", () => {
    const overflowing = box('box-o', { paper: 1 }, {}, { compartments: [{ category: 'paper', fillingLevel: 1, weightKg: 100, overflow: true }], maxFillingLevel: 1 });
    const summary = summariseCluster([box('box-a', { paper: 0.4 }), box('box-b', { glass: 1 }), overflowing, box('box-n', {}), camera('cam-1')], 0.9);
    expect(summary).toEqual({ boxes: 4, cameras: 1, fullest: { level: 1, overflow: true }, due: 2 });
    expect(summariseCluster([camera('cam-1')], 0.9).fullest).toBeNull();
    expect(markerPriority(overflowing)).toBeGreaterThan(markerPriority(box('box-b', { glass: 1 })));
    expect(markerPriority(box('box-n', {}))).toBeGreaterThan(markerPriority(camera('cam-1')));
  });
});

describe('placing the subdistrict labels', () => {
  const label = (id: string, x: number, y: number) => ({ id, x, y, width: 60, height: 18 });

  it('stays at the centre when nothing is there', () => {
    expect(placeLabels([label('hongmei', 100, 100)], [{ x: 300, y: 300, radius: 20 }])).toEqual([label('hongmei', 100, 100)]);
  });

  it('moves off a group sitting on the centre, to the nearest free spot', () => {
    const [placed] = placeLabels([label('hongmei', 100, 100)], [{ x: 100, y: 100, radius: 20 }]);
    const nearestX = Math.max(placed!.x - 30, Math.min(100, placed!.x + 30));
    const nearestY = Math.max(placed!.y - 9, Math.min(100, placed!.y + 9));
    expect(Math.hypot(100 - nearestX, 100 - nearestY)).toBeGreaterThanOrEqual(20);
    expect(Math.hypot(placed!.x - 100, placed!.y - 100)).toBeLessThan(60);
  });

  it('keeps two labels from covering each other', () => {
    const [a, b] = placeLabels([label('a', 100, 100), label('b', 110, 104)], []);
    expect(Math.abs(a!.x - b!.x) >= 60 || Math.abs(a!.y - b!.y) >= 18).toBe(true);
  });
});
