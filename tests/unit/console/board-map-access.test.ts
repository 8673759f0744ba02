import { describe, expect, it } from 'vitest';
import { resolveView, visibleViews } from '../../../services/console/core/access.ts';
import { AlertBoard } from '../../../services/console/core/alerts-board.ts';
import { boundsOf, convexHull, subdistrictAreas } from '../../../services/console/core/map-layout.ts';
import { can, PERMISSIONS } from '../../../services/api/core/permissions.ts';
import { API_ROLES, type ApiRole } from '../../../shared/contracts/index.ts';
import { makeAlert } from '../../support/alert-fakes.ts';

describe('live alert board', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 27, 0, min)).toISOString();

  it('starts from the snapshot and applies raised, acknowledged and resolved events', () => {
    const board = new AlertBoard();
    const a = makeAlert({ severity: 'warning', updatedAt: at(1), lastSeenAt: at(1) });
    board.snapshot([a]);
    const b = makeAlert({ severity: 'critical', updatedAt: at(2), lastSeenAt: at(2) });
    expect(board.apply({ alert: b })).toBe(true);
    expect(board.list().map((x) => x.id)).toEqual([b.id, a.id]);
    board.apply({ alert: { ...a, status: 'acknowledged', updatedAt: at(3) } });
    expect(board.get(a.id)?.status).toBe('acknowledged');
    board.apply({ alert: { ...b, status: 'resolved', updatedAt: at(4) } });
    expect(board.list().map((x) => x.id)).toEqual([a.id]);
    expect(board.counts()).toEqual({ info: 0, warning: 1, critical: 0, total: 1, active: 0 });
  });

  it('ignores stale and duplicate updates: the newer updatedAt wins, a resolved alert stays gone', () => {
    const board = new AlertBoard();
    const a = makeAlert({ updatedAt: at(5) });
    board.apply({ alert: { ...a, status: 'acknowledged', updatedAt: at(6) } });
    expect(board.apply({ alert: a })).toBe(false);
    expect(board.get(a.id)?.status).toBe('acknowledged');
    board.apply({ alert: { ...a, status: 'resolved', updatedAt: at(7) } });
    expect(board.apply({ alert: { ...a, updatedAt: at(8) } })).toBe(false);
    expect(board.size).toBe(0);
  });

  it('sorts critical before warning before info, active before acknowledged, newest first, and filters', () => {
    const board = new AlertBoard();
    const info = makeAlert({ severity: 'info', lastSeenAt: at(9) });
    const oldWarn = makeAlert({ severity: 'warning', lastSeenAt: at(1) });
    const newWarn = makeAlert({ severity: 'warning', lastSeenAt: at(8) });
    const ackWarn = makeAlert({ severity: 'warning', status: 'acknowledged', lastSeenAt: at(9) });
    board.snapshot([info, oldWarn, ackWarn, newWarn]);
    expect(board.list().map((x) => x.id)).toEqual([newWarn.id, oldWarn.id, ackWarn.id, info.id]);
    expect(board.list({ severity: 'info' }).map((x) => x.id)).toEqual([info.id]);
    expect(board.list({ status: 'acknowledged' }).map((x) => x.id)).toEqual([ackWarn.id]);
    const version = board.version;
    board.snapshot([]);
    expect(board.version).toBeGreaterThan(version);
  });
});

describe('map layout without tiles', () => {
  it('finds the convex hull', () => {
    const points = [
      { lat: 0, lon: 0 },
      { lat: 0, lon: 2 },
      { lat: 2, lon: 2 },
      { lat: 2, lon: 0 },
      { lat: 1, lon: 1 },
      { lat: 1, lon: 1 },
    ];
    const hull = convexHull(points);
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual({ lat: 1, lon: 1 });
    expect(convexHull([{ lat: 1, lon: 1 }])).toEqual([{ lat: 1, lon: 1 }]);
  });

  it('outlines each subdistrict around its devices, padded, labelled at their centre', () => {
    const devices = [
      { lat: 31.80, lon: 119.98, subdistrict: 'hongmei' as const },
      { lat: 31.81, lon: 119.98, subdistrict: 'hongmei' as const },
      { lat: 31.80, lon: 119.99, subdistrict: 'hongmei' as const },
      { lat: 31.77, lon: 120.02, subdistrict: 'chashan' as const },
    ];
    const areas = subdistrictAreas(devices, 0.001);
    const hongmei = areas.find((a) => a.subdistrict === 'hongmei')!;
    expect(hongmei.devices).toBe(3);
    expect(hongmei.centre.lat).toBeCloseTo(31.80333, 4);
    const box = boundsOf(hongmei.outline)!;
    expect(box.south).toBeLessThan(31.80);
    expect(box.north).toBeGreaterThan(31.81);
    expect(areas.find((a) => a.subdistrict === 'chashan')!.outline).toHaveLength(1);
    expect(boundsOf([])).toBeUndefined();
  });
});

describe('views and actions by role', () => {
  const accessOf = (role: ApiRole) => ({ role, permissions: PERMISSIONS.filter((p) => can(role, p)) });

  it('shows each role the views its permissions allow', () => {
    const views = Object.fromEntries(API_ROLES.map((role) => [role, visibleViews(accessOf(role)).map((v) => v.view)]));
    expect(views).toEqual({
      operator: ['operations', 'health', 'tonnage', 'plans'],
      engineer: ['operations', 'health', 'plans'],
      // Participation and the mass balance (issue 14) are the managers' views: operators hold reports:read, but not the screens.
      manager: ['operations', 'health', 'tonnage', 'plans', 'participation', 'mass-balance'],
      admin: ['operations', 'health', 'tonnage', 'plans', 'participation', 'mass-balance'],
    });
    expect(resolveView(accessOf('operator'), 'mass-balance')).toBe('operations');
    expect(resolveView(accessOf('manager'), 'mass-balance')).toBe('mass-balance');
    expect(resolveView(accessOf('operator'), 'participation')).toBe('operations');
    expect(resolveView(accessOf('manager'), 'participation')).toBe('participation');
  });

  it('opens a role at its daily work and refuses a view the role may not see', () => {
    expect(resolveView(accessOf('operator'), undefined)).toBe('operations');
    expect(resolveView(accessOf('engineer'), undefined)).toBe('health');
    expect(resolveView(accessOf('manager'), undefined)).toBe('tonnage');
    expect(resolveView(accessOf('engineer'), 'tonnage')).toBe('health');
    expect(resolveView(accessOf('manager'), 'health')).toBe('health');
    expect(resolveView(accessOf('manager'), 'nonsense')).toBe('tonnage');
    expect(resolveView({ role: 'operator', permissions: [] }, 'operations')).toBeUndefined();
  });
});
