/**
 * city_appearance: street vending, business outside a shop, disorderly parking, overflowing
 * public bins seen by a camera. Info: a list for the city-management patrol, not a page.
 *
 * - One key per camera × detection type; confidence >= cityAppearanceMinConfidence.
 * - While open, every further detection of the type at the camera raises it again (count).
 * - A detection's 'end' phase does not clear it: cameras end and restart cases as people move
 *   about, which would open and close alerts all day. Instead the sweep clears an alert with
 *   no sighting for cityAppearanceWindowMs, and people may resolve it earlier.
 * - A resolved case's own updates do not reopen it (detection-cases.ts).
 */
import type { Alert } from '../../../shared/contracts/index.ts';
import { minutesText, place, raiseForDevice } from './commands.ts';
import { DetectionCases } from './detection-cases.ts';
import type { MessageInput, RuleFamily, SweepInput, ThresholdsFor } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';
import { alertText } from './titles.ts';

export class CityAppearanceRules implements RuleFamily {
  private readonly cases = new DetectionCases();

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    if (message.channel !== 'detection') return [];
    const d = message.payload;
    if (d.type === 'illegal_dumping' || d.confidence < t.cityAppearanceMinConfidence) return [];
    const key = alertKey.cityAppearance(device.id, d.type);
    if (!view.open(key) && this.cases.known(key, d.eventId, at, t.cityAppearanceWindowMs)) {
      this.cases.sighted(key, d.eventId, at, t.cityAppearanceWindowMs);
      return [];
    }
    this.cases.sighted(key, d.eventId, at, t.cityAppearanceWindowMs);
    const raise = {
      key,
      type: 'city_appearance' as const,
      severity: 'info' as const,
      ...alertText('city_appearance.detected', { place: place(device), zone: d.zone, detectionType: d.type }),
      evidence: { detectionType: d.type, confidence: d.confidence, zone: d.zone, snapshotRef: d.snapshotRef },
    };
    return [raiseForDevice(device, raise, at, view)];
  }

  onSweep({ at, devices }: SweepInput, view: AlertView, thresholdsFor: ThresholdsFor): AlertCommand[] {
    const byId = new Map(devices.map((s) => [s.device.id, s.device]));
    return view.openOfType('city_appearance').flatMap((alert: Alert) => {
      const device = alert.deviceId === null ? undefined : byId.get(alert.deviceId);
      // A camera no longer in the registry still gets its alerts cleared, on the default window.
      const windowMs = device ? thresholdsFor(device).cityAppearanceWindowMs : DEFAULT_THRESHOLDS.cityAppearanceWindowMs;
      const quietMs = at - Date.parse(alert.lastSeenAt);
      if (quietMs <= windowMs) return [];
      return [{ op: 'clear' as const, key: alert.key, at, reason: `Not seen for ${minutesText(quietMs)}` }];
    });
  }
}
