/**
 * area_outage: most of an area's devices went offline together (a power or network cut), so
 * people get one critical alert for the area instead of one per device.
 *
 * An area is a community or a subdistrict. It qualifies when at least areaOutageMinDevices and
 * at least areaOutageFraction of its devices are offline with their offline moments (last
 * message, or the will) within areaOutageWindowMs of each other.
 *   - Community first: a subdistrict qualifies only when its cluster spans two or more
 *     communities; an outage one community explains is that community's alert.
 *   - A subdistrict alert covers its communities: no new community alert opens under it.
 *     (A community alert already open stays, and clears on its own.)
 *   - The area alert clears when fewer than areaOutageClearFraction of the area's devices are
 *     offline; while open, a change in the number offline updates it.
 *   - It inhibits the open device_offline alerts of its offline devices, and while it is open
 *     no device_offline is raised for its devices (device-offline.ts asks `covered`).
 * Area thresholds come from the area's first device by id: set them per subdistrict or in
 * defaults, not per device. Communities are keyed by name (names are district-unique).
 */
import { SUBDISTRICT_NAMES, type Alert, type Device, type Subdistrict } from '../../../shared/contracts/index.ts';
import type { Offline } from './connectivity.ts';
import type { SweepInput, ThresholdsFor } from './family.ts';
import { alertKey, type AreaLevel } from './keys.ts';
import type { AlertCommand, AlertView, SweepDevice } from './ports.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText } from './titles.ts';

interface Area {
  level: AreaLevel;
  name: string;
  subdistrict: Subdistrict;
  members: SweepDevice[];
}

interface Down {
  device: Device;
  since: number;
}

/** The open area alert a device falls under, if any (its community's or its subdistrict's). */
export function coveringAreaAlert(view: AlertView, device: Device): Alert | undefined {
  return view.open(alertKey.areaOutage('community', device.community)) ?? view.open(alertKey.areaOutage('subdistrict', device.subdistrict));
}

/** The largest group of offline moments that fits within the window (sliding window over sorted moments). */
export function largestCluster(down: Down[], windowMs: number): Down[] {
  const sorted = [...down].sort((a, b) => a.since - b.since);
  let best: Down[] = [];
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]!.since - sorted[start]!.since > windowMs) start++;
    if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
  }
  return best;
}

function areaName(area: Pick<Area, 'level' | 'name' | 'subdistrict'>): string {
  return area.level === 'community' ? area.name : `${SUBDISTRICT_NAMES[area.subdistrict].en} subdistrict`;
}

function groupBy(devices: SweepDevice[], keyOf: (d: Device) => string): Map<string, SweepDevice[]> {
  const groups = new Map<string, SweepDevice[]>();
  for (const sweep of devices) {
    const key = keyOf(sweep.device);
    const group = groups.get(key);
    if (group) group.push(sweep);
    else groups.set(key, [sweep]);
  }
  return groups;
}

export class AreaOutageRules {
  /** Returns the commands and the ids of devices under an area alert open after this sweep. */
  onSweep(
    { at, devices }: SweepInput,
    view: AlertView,
    thresholdsFor: ThresholdsFor,
    offline: ReadonlyMap<string, Offline>,
  ): { commands: AlertCommand[]; covered: Set<string> } {
    const commands: AlertCommand[] = [];
    const covered = new Set<string>();
    const coveredSubdistricts = new Set<string>();
    const evaluate = (area: Area, mayOpen: boolean): void => {
      const first = [...area.members].sort((a, b) => a.device.id.localeCompare(b.device.id))[0]!;
      const open = this.evaluate(area, mayOpen, at, view, thresholdsFor(first.device), offline, commands);
      if (!open) return;
      for (const m of area.members) covered.add(m.device.id);
      if (area.level === 'subdistrict') coveredSubdistricts.add(area.name);
    };
    for (const [name, members] of groupBy(devices, (d) => d.subdistrict)) {
      evaluate({ level: 'subdistrict', name, subdistrict: name as Subdistrict, members }, true);
    }
    for (const [name, members] of groupBy(devices, (d) => d.community)) {
      const subdistrict = members[0]!.device.subdistrict;
      evaluate({ level: 'community', name, subdistrict, members }, !coveredSubdistricts.has(subdistrict));
    }
    return { commands, covered };
  }

  /** Raises, updates or clears one area's alert; true when it is open after this sweep. */
  private evaluate(
    area: Area,
    mayOpen: boolean,
    at: number,
    view: AlertView,
    t: Thresholds,
    offline: ReadonlyMap<string, Offline>,
    out: AlertCommand[],
  ): boolean {
    const key = alertKey.areaOutage(area.level, area.name);
    const open = view.open(key);
    const down: Down[] = area.members.flatMap((m) => {
      const o = offline.get(m.device.id);
      return o ? [{ device: m.device, since: o.since }] : [];
    });
    const total = area.members.length;
    if (open) {
      if (down.length / total < t.areaOutageClearFraction) {
        out.push({ op: 'clear', key, at, reason: `${down.length} of ${total} devices offline in ${areaName(area)}` });
        return false;
      }
      if (open.evidence.offlineDevices !== down.length) out.push(this.raise(area, down.length, at));
      const keys = this.inhibitable(down, view, open.id);
      if (keys.length > 0) out.push({ op: 'inhibit', keys, byKey: key, at });
      return true;
    }
    if (!mayOpen) return false;
    const cluster = largestCluster(down, t.areaOutageWindowMs);
    const spread = new Set(cluster.map((d) => d.device.community)).size;
    const qualifies =
      cluster.length >= t.areaOutageMinDevices &&
      cluster.length / total >= t.areaOutageFraction &&
      (area.level === 'community' || spread >= 2);
    if (!qualifies) return false;
    out.push(this.raise(area, down.length, at));
    const keys = this.inhibitable(down, view, undefined);
    if (keys.length > 0) out.push({ op: 'inhibit', keys, byKey: key, at });
    return true;
  }

  private raise(area: Area, offlineDevices: number, at: number): AlertCommand {
    const areaDevices = area.members.length;
    const counts = { offline: offlineDevices, total: areaDevices };
    const text =
      area.level === 'community'
        ? alertText('area_outage.community', { ...counts, community: area.name })
        : alertText('area_outage.subdistrict', { ...counts, subdistrict: area.subdistrict });
    return {
      op: 'raise',
      key: alertKey.areaOutage(area.level, area.name),
      type: 'area_outage',
      severity: 'critical',
      ...text,
      subject: { area: { level: area.level, name: area.name, subdistrict: area.subdistrict } },
      evidence: { offlineDevices, areaDevices },
      at,
    };
  }

  /** Open per-device offline alerts of the area not yet held back by this area alert. */
  private inhibitable(down: Down[], view: AlertView, areaAlertId: string | undefined): string[] {
    return down
      .map((d) => alertKey.deviceOffline(d.device.id))
      .filter((key) => {
        const alert = view.open(key);
        return alert !== undefined && (areaAlertId === undefined || alert.inhibitedBy !== areaAlertId);
      });
  }
}
