/**
 * sensor_suspect (issue 14): a box's fill sensor disagrees with the kg the box weighed, or a
 * camera saw an overflowing bin next to a box that reads low (sensor-check.ts decides). Warning,
 * for engineers; one key per box × compartment; it clears when the readings agree again for a
 * while (sensorAgreeReadings in a row).
 *
 * The rule memory (kg since emptied, the fleet's kg at full, the boxes' positions) is in memory:
 * after a restart each compartment starts again from a reading that agrees with its weight, an
 * alert still open is taken up (so agreeing readings end it), and a camera finds only the boxes
 * that have reported since.
 */
import type { Device } from '../../../shared/contracts/index.ts';
import { clearIfOpen, place, raiseForDevice, type DeviceRaise } from './commands.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { SUSPICION_KINDS, SensorCrossCheck, type SensorVerdict, type SuspicionKind } from './sensor-check.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText } from './titles.ts';

const adoptedKind = (suspicion: string | undefined): SuspicionKind =>
  (SUSPICION_KINDS as readonly string[]).includes(suspicion ?? '') ? (suspicion as SuspicionKind) : 'drift';

export class SensorSuspectRules implements RuleFamily {
  private readonly check = new SensorCrossCheck();
  /** The boxes seen, for a camera's overflow detection to name. */
  private readonly boxes = new Map<string, Device>();

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    switch (message.channel) {
      case 'telemetry': {
        this.boxes.set(device.id, device);
        const capacity = new Map(device.compartments.map((c) => [c.category, c.capacityKg]));
        return message.payload.compartments.flatMap((r) => {
          const capacityKg = capacity.get(r.category);
          // A compartment the registry does not list has no capacity to fall back on: not judged.
          if (capacityKg === undefined) return [];
          const verdict = this.check.reading(device, capacityKg, r, at, t);
          const open = view.open(alertKey.sensorSuspect(device.id, r.category));
          // An alert open from before a restart: the check takes it up, so agreeing readings end it.
          if (!verdict && open && this.check.suspicion(device.id, r.category) === null) this.check.adopt(device.id, r.category, adoptedKind(open.evidence.suspicion));
          return this.command(verdict, at, view);
        });
      }
      case 'event/deposit':
        this.check.deposit(device.id, message.payload.category, message.payload.weightKg);
        return [];
      case 'event/collection':
        for (const c of message.payload.compartments) this.check.collection(device.id, c.category, c.weightKg);
        return [];
      case 'detection': {
        const d = message.payload;
        if (d.type !== 'overflowing_bin' || d.phase !== 'start' || d.confidence < t.cityAppearanceMinConfidence) return [];
        const verdict = this.check.overflowSeen(device, at, t);
        return this.command(verdict, at, view, { cameraId: device.id, confidence: d.confidence, snapshotRef: d.snapshotRef, zone: d.zone });
      }
      default:
        return [];
    }
  }

  private command(verdict: SensorVerdict | undefined, at: number, view: AlertView, camera?: { cameraId: string; confidence: number; snapshotRef: string; zone: string }): AlertCommand[] {
    if (!verdict) return [];
    const box = this.boxes.get(verdict.boxId);
    if (!box) return [];
    const key = alertKey.sensorSuspect(box.id, verdict.category);
    if (verdict.op === 'agree') {
      return clearIfOpen(view, key, at, `Fill sensor of the ${verdict.category} compartment agrees with the weighed kg again (${verdict.readings} readings)`);
    }
    const { evidence } = verdict;
    const { category } = verdict;
    const params = { place: place(box), category, percent: Math.round(evidence.fillingLevel * 100), expected: Math.round(evidence.expectedLevel * 100) };
    const raise: DeviceRaise = {
      key,
      type: 'sensor_suspect',
      severity: 'warning',
      ...alertText(`sensor_suspect.${evidence.suspicion}`, params),
      evidence: { ...evidence, ...camera },
      compartment: category,
    };
    return [raiseForDevice(box, raise, at, view)];
  }
}
