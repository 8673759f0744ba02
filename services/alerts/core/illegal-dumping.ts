/**
 * illegal_dumping: a camera saw rubbish dumped. Critical: it goes to enforcement.
 *
 * - A detection of type illegal_dumping with confidence >= illegalDumpingMinConfidence raises
 *   `illegal_dumping:<camera>` with the confidence, zone, snapshot and (via the subject) the
 *   camera's position. Lower confidence is ignored.
 * - While the alert is open, every further detection at the camera (any phase, any case)
 *   raises it again: one alert whose count is the number of sightings. It never clears by
 *   itself: someone has to deal with the pile and resolve it.
 * - Once resolved, a new case opens a new alert; the resolved case's own updates do not
 *   (see detection-cases.ts; illegalDumpingWindowMs is that case window).
 * - hotspot: this alert plus the camera's other dumping alerts within hotspotWindowMs (7 days)
 *   reach hotspotMinAlerts.
 */
import type { CameraDetection, Device } from '../../../shared/contracts/index.ts';
import { place, raiseForDevice } from './commands.ts';
import { DetectionCases } from './detection-cases.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText } from './titles.ts';

export class IllegalDumpingRules implements RuleFamily {
  private readonly cases = new DetectionCases();

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    if (message.channel !== 'detection') return [];
    const detection = message.payload;
    if (detection.type !== 'illegal_dumping' || detection.confidence < t.illegalDumpingMinConfidence) return [];
    const key = alertKey.illegalDumping(device.id);
    const open = view.open(key);
    if (!open && this.cases.known(key, detection.eventId, at, t.illegalDumpingWindowMs)) {
      this.cases.sighted(key, detection.eventId, at, t.illegalDumpingWindowMs);
      return [];
    }
    this.cases.sighted(key, detection.eventId, at, t.illegalDumpingWindowMs);
    const earlier = view.raisedSince('illegal_dumping', device.id, at - t.hotspotWindowMs);
    const hotspot = earlier + (open ? 0 : 1) >= t.hotspotMinAlerts;
    return [raiseForDevice(device, { ...this.describe(device, detection), key, hotspot }, at, view)];
  }

  private describe(device: Device, d: CameraDetection) {
    return {
      type: 'illegal_dumping' as const,
      severity: 'critical' as const,
      ...alertText('illegal_dumping.detected', { place: place(device), zone: d.zone }),
      evidence: { detectionType: d.type, confidence: d.confidence, zone: d.zone, snapshotRef: d.snapshotRef },
    };
  }
}
