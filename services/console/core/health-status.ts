/**
 * What the health view says about one device beyond its numbers: why it is offline and since
 * when (an area outage explains a whole community or subdistrict going dark at once, so it wins
 * over the device's own reason), and its camera stream, which is only current while the camera
 * is online: an offline camera's "stream OK" is the last thing it said, not a fact.
 */
import type { Alert, DeviceWithState, OfflineReason, Subdistrict } from '../../../shared/contracts/index.ts';
import type { I18n } from './i18n/translator.ts';
import { SUBDISTRICTS } from '../../../shared/vocabulary.ts';

/**
 * The device's own reason, an area outage over it, 'never_reported' (no message yet: not
 * installed or never connected, nothing an outage explains), or 'unknown' (not recorded).
 */
export type OfflineCause = OfflineReason | 'area_outage' | 'never_reported' | 'unknown';

/** Every cause, in the order the Offline KPI lists equal counts. */
export const OFFLINE_CAUSES = ['area_outage', 'last_will', 'keepalive_timeout', 'silent', 'clean_disconnect', 'never_reported', 'unknown'] as const satisfies readonly OfflineCause[];

export type OutageArea = { level: 'community'; name: string } | { level: 'subdistrict'; name: Subdistrict };

/** The open area_outage alerts by what they cover: communities by name (district-unique), subdistricts by code. */
export interface AreaOutages {
  communities: ReadonlySet<string>;
  subdistricts: ReadonlySet<Subdistrict>;
}

export const NO_OUTAGES: AreaOutages = { communities: new Set(), subdistricts: new Set() };

export function areaOutages(alerts: readonly Alert[]): AreaOutages {
  const communities = new Set<string>();
  const subdistricts = new Set<Subdistrict>();
  for (const alert of alerts) {
    if (alert.type !== 'area_outage' || alert.status === 'resolved' || alert.area === null) continue;
    if (alert.area.level === 'community') communities.add(alert.area.name);
    else if ((SUBDISTRICTS as readonly string[]).includes(alert.area.name)) subdistricts.add(alert.area.name as Subdistrict);
  }
  return { communities, subdistricts };
}

/** The outage over a device's place, its community's before its subdistrict's. */
export function outageOver(device: DeviceWithState, outages: AreaOutages): OutageArea | undefined {
  if (outages.communities.has(device.community)) return { level: 'community', name: device.community };
  if (outages.subdistricts.has(device.subdistrict)) return { level: 'subdistrict', name: device.subdistrict };
  return undefined;
}

export interface OfflineStatus {
  cause: OfflineCause;
  /** When it went offline (DeviceState.statusChangedAt); null when never heard from. */
  since: string | null;
  area?: OutageArea;
}

/** Why an offline device is offline, and since when; undefined while it is online. */
export function offlineStatus(device: DeviceWithState, outages: AreaOutages): OfflineStatus | undefined {
  const { online, statusChangedAt, offlineReason, lastSeen } = device.state;
  if (online) return undefined;
  if (lastSeen === null) return { cause: 'never_reported', since: null };
  const area = outageOver(device, outages);
  if (area) return { cause: 'area_outage', since: statusChangedAt, area };
  return { cause: offlineReason ?? 'unknown', since: statusChangedAt };
}

/** Offline devices per cause, most first (ties in OFFLINE_CAUSES order), without the empty ones. */
export function offlineByCause(devices: readonly DeviceWithState[], outages: AreaOutages): { cause: OfflineCause; count: number }[] {
  const counts = new Map<OfflineCause, number>();
  for (const d of devices) {
    const status = offlineStatus(d, outages);
    if (status) counts.set(status.cause, (counts.get(status.cause) ?? 0) + 1);
  }
  return OFFLINE_CAUSES.filter((c) => counts.has(c))
    .map((cause) => ({ cause, count: counts.get(cause)! }))
    .sort((a, b) => b.count - a.count || OFFLINE_CAUSES.indexOf(a.cause) - OFFLINE_CAUSES.indexOf(b.cause));
}

/**
 * A camera's stream as the view may state it: live while online; while offline only as
 * "last known" with the time it was last heard from; nothing before a first heartbeat.
 */
export type CameraStream =
  | { kind: 'live'; ok: boolean; frameRate: number | null; uptimeS: number | null }
  | { kind: 'last-known'; ok: boolean; frameRate: number | null; at: string | null }
  | { kind: 'no-heartbeat' };

export function cameraStream(device: DeviceWithState): CameraStream {
  const { online, streamOk, frameRate, uptimeS, lastSeen } = device.state;
  if (streamOk === null) return { kind: 'no-heartbeat' };
  if (!online) return { kind: 'last-known', ok: streamOk, frameRate, at: lastSeen };
  return { kind: 'live', ok: streamOk, frameRate, uptimeS };
}

/** A camera whose stream is down now (an offline camera's last report does not count). */
export const isStreamDown = (device: DeviceWithState): boolean => device.kind === 'camera' && device.state.online && device.state.streamOk === false;

/** "3 h 5 min" / "3 小时 5 分钟": a camera's uptime, in the translator's language. */
export function formatUptime(uptimeS: number | null, i18n: I18n): string {
  if (uptimeS === null) return '–';
  const minutes = Math.floor(uptimeS / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) return i18n.t('time.uptime.days', { days, hours: hours % 24 });
  if (hours > 0) return i18n.t('time.uptime.hours', { hours, minutes: minutes % 60 });
  return i18n.t('time.uptime.minutes', { minutes });
}

/** "last known: stream OK, 25 fps at 14:02": what an offline camera last said, never its state now. */
export function lastKnownStreamText(stream: Extract<CameraStream, { kind: 'last-known' }>, i18n: I18n, now: number): string {
  const time = i18n.short(stream.at, now);
  if (!stream.ok) return i18n.t('health.stream.lastKnownDown', { time });
  if (stream.frameRate === null) return i18n.t('health.stream.lastKnownOkNoFps', { time });
  return i18n.t('health.stream.lastKnownOk', { fps: i18n.t('unit.fps', { value: stream.frameRate }), time });
}
