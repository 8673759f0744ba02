/**
 * device_offline: device health for the engineers. One key per device, severity warning for
 * boxes and cameras alike (one silent device is a maintenance job; area outages and fires are
 * what is critical).
 *
 * - The 'offline' status (last will) marks the device suspect at once; a sweep raises it.
 * - No valid message for longer than inactivityTimeoutMs raises it at a sweep. A device never
 *   heard from (or last heard from before a restart) gets one full timeout from the first sweep.
 * - Group wait: a device found offline is raised only areaOutageWindowMs after it was found
 *   (after the will for a suspect one, after lastSeen + timeout for a silent one), so an area
 *   outage forming in that window claims it first and no per-device alert is sent for it.
 * - Devices covered by an open area_outage are not raised one by one.
 * - Any valid message clears it (the device is reporting again), unless the device is flapping.
 * - Flapping: more than flappingTransitionsPerHour connection changes within the last hour.
 *   Then a reconnect does not clear; each change raises the one open alert (opening it if need
 *   be) with evidence.transitions, and it clears at a sweep once the device reports and the
 *   changes within the last hour are back at or under the threshold.
 */
import type { Device } from '../../../shared/contracts/index.ts';
import { clearIfOpen, isoInstant, place, raiseForDevice } from './commands.ts';
import { coveringAreaAlert } from './area-outage.ts';
import type { Connectivity, Offline } from './connectivity.ts';
import type { ConnectionInput, MessageInput, SweepInput, ThresholdsFor } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView, SweepDevice } from './ports.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText } from './titles.ts';

export class DeviceOfflineRules {
  constructor(private readonly links: Connectivity) {}

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    if (message.channel === 'status' && message.payload.state === 'offline') {
      return this.links.wentOffline(device.id, at) ? this.flapping(device, at, view, t) : [];
    }
    const changed = this.links.alive(device.id, at);
    if (this.links.changesInLastHour(device.id, at) > t.flappingTransitionsPerHour) {
      return changed ? this.flapping(device, at, view, t) : [];
    }
    return clearIfOpen(view, alertKey.deviceOffline(device.id), at, 'Device is reporting again');
  }

  /** A connection change only counts for flapping: the alert clears on the device's first message. */
  onConnection({ device, connected, at }: ConnectionInput, view: AlertView, t: Thresholds): AlertCommand[] {
    return this.links.connection(device.id, connected, at) ? this.flapping(device, at, view, t) : [];
  }

  /**
   * `offline`: the devices found offline this sweep; `covered`: devices under an area outage
   * alert that is open (or raised by this sweep).
   */
  onSweep(
    { at, devices }: SweepInput,
    view: AlertView,
    thresholdsFor: ThresholdsFor,
    offline: ReadonlyMap<string, Offline>,
    covered: ReadonlySet<string>,
  ): AlertCommand[] {
    return devices.flatMap((sweep) => {
      const t = thresholdsFor(sweep.device);
      const key = alertKey.deviceOffline(sweep.device.id);
      const down = offline.get(sweep.device.id);
      if (down) {
        if (view.open(key) || covered.has(sweep.device.id)) return [];
        const foundAt = down.suspect ? down.since : down.since + t.inactivityTimeoutMs;
        if (at < foundAt + t.areaOutageWindowMs) return [];
        return [this.raiseOffline(sweep, down, at, view)];
      }
      const fresh = sweep.lastSeenMs !== null && at - sweep.lastSeenMs <= t.inactivityTimeoutMs;
      const steady = this.links.changesInLastHour(sweep.device.id, at) <= t.flappingTransitionsPerHour;
      return fresh && steady ? clearIfOpen(view, key, at, 'Device is reporting and its connection is steady') : [];
    });
  }

  private raiseOffline(sweep: SweepDevice, down: Offline, at: number, view: AlertView): AlertCommand {
    const { device, lastSeenMs } = sweep;
    const where = { place: place(device) };
    const text =
      down.suspect ? alertText('device_offline.went_offline', where)
      : lastSeenMs === null ? alertText('device_offline.never_heard', where)
      : alertText('device_offline.silent', { ...where, minutes: Math.round((at - lastSeenMs) / 60_000) });
    const evidence = {
      status: down.suspect ? 'offline (last will)' : 'silent',
      ...(lastSeenMs !== null && { lastSeen: isoInstant(lastSeenMs) }),
    };
    return raiseForDevice(device, { key: alertKey.deviceOffline(device.id), type: 'device_offline', severity: 'warning', ...text, evidence }, at, view);
  }

  /** A counted connection change: when the device is flapping, raise the one alert with the count. */
  private flapping(device: Device, at: number, view: AlertView, t: Thresholds): AlertCommand[] {
    const recent = this.links.changesInLastHour(device.id, at);
    if (recent <= t.flappingTransitionsPerHour) return [];
    const key = alertKey.deviceOffline(device.id);
    const open = view.open(key);
    // A device under an area outage is the area's problem, unless it already has its own alert.
    if (!open && coveringAreaAlert(view, device)) return [];
    const transitions = Math.max(recent, (open?.evidence.transitions ?? 0) + 1);
    const text = alertText('device_offline.flapping', { place: place(device), transitions });
    return [raiseForDevice(device, { key, type: 'device_offline', severity: 'warning', ...text, evidence: { transitions } }, at, view)];
  }
}
