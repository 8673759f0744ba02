/**
 * sensor_fault: the device reports but cannot sense (a failed level sensor, lost power to a
 * sensor, a camera without video). Warning, one key per device.
 *
 *   fault sensor_fault / power_loss / stream_lost active  → raise (each report)
 *   camera heartbeat streamOk false                        → raise when nothing is open
 *   fault active: false, heartbeat streamOk true           → that cause is gone
 * stream_lost and streamOk are one cause (the video stream), so either ends it. The alert
 * clears when no cause is left.
 */
import type { Device, FaultType } from '../../../shared/contracts/index.ts';
import { clearIfOpen, place, raiseForDevice } from './commands.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { ConditionSources } from './sources.ts';
import { alertText, withDetail, type AlertText } from './titles.ts';

const STREAM = 'stream';
const CAUSE_OF: Partial<Record<FaultType, string>> = { sensor_fault: 'sensor_fault', power_loss: 'power_loss', stream_lost: STREAM };

function text(device: Device, fault: FaultType, detail: string | undefined): AlertText {
  const where = { place: place(device) };
  const what =
    fault === 'stream_lost' ? alertText('sensor_fault.stream_lost', where)
    : fault === 'power_loss' ? alertText('sensor_fault.power_loss', where)
    : alertText('sensor_fault.sensor_fault', where);
  return withDetail(what, detail);
}

export class SensorFaultRules implements RuleFamily {
  private readonly sources = new ConditionSources();

  onMessage({ message, device, at }: MessageInput, view: AlertView): AlertCommand[] {
    const key = alertKey.sensorFault(device.id);
    if (message.channel === 'heartbeat') {
      const { streamOk } = message.payload;
      this.sources.set(key, STREAM, !streamOk);
      if (streamOk) return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Video stream back');
      if (view.open(key)) return [];
      return [this.raise(device, 'stream_lost', undefined, at, view)];
    }
    if (message.channel !== 'event/fault') return [];
    const { fault, active, detail } = message.payload;
    const cause = CAUSE_OF[fault];
    if (!cause) return [];
    this.sources.set(key, cause, active);
    if (!active) return this.sources.any(key) ? [] : clearIfOpen(view, key, at, `${fault} fault cleared`);
    return [this.raise(device, fault, detail, at, view)];
  }

  private raise(device: Device, fault: FaultType, detail: string | undefined, at: number, view: AlertView): AlertCommand {
    const key = alertKey.sensorFault(device.id);
    return raiseForDevice(device, { key, type: 'sensor_fault', severity: 'warning', ...text(device, fault, detail), evidence: { fault } }, at, view);
  }
}
