/**
 * low_battery: a battery or solar box that will soon stop reporting. Warning, one key per box.
 *
 *   batteryPercent <  lowBatteryPercent       → raise (when nothing is open)
 *   batteryPercent >  lowBatteryClearPercent  → that cause is gone (hysteresis: 18% keeps it)
 *   fault low_battery active / inactive       → raise / that cause is gone
 * Boundaries: exactly lowBatteryPercent does not raise, exactly lowBatteryClearPercent does
 * not clear. A reading without batteryPercent (mains power) says nothing.
 */
import { clearIfOpen, place, raiseForDevice } from './commands.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { ConditionSources } from './sources.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText, withDetail } from './titles.ts';

const READING = 'reading';
const FAULT = 'fault';

export class LowBatteryRules implements RuleFamily {
  private readonly sources = new ConditionSources();

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    const key = alertKey.lowBattery(device.id);
    if (message.channel === 'telemetry') {
      const percent = message.payload.power.batteryPercent;
      if (percent === undefined) return [];
      if (percent < t.lowBatteryPercent) {
        this.sources.set(key, READING, true);
        if (view.open(key)) return [];
        const text = alertText('low_battery.level', { place: place(device), percent: Math.round(percent) });
        const raise = { key, type: 'low_battery' as const, severity: 'warning' as const, ...text, evidence: { batteryPercent: percent } };
        return [raiseForDevice(device, raise, at, view)];
      }
      if (percent <= t.lowBatteryClearPercent) return [];
      this.sources.set(key, READING, false);
      return this.sources.any(key) ? [] : clearIfOpen(view, key, at, `Battery at ${Math.round(percent)}%`);
    }
    if (message.channel !== 'event/fault' || message.payload.fault !== 'low_battery') return [];
    const { active, detail } = message.payload;
    this.sources.set(key, FAULT, active);
    if (!active) return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Low battery fault cleared');
    const text = withDetail(alertText('low_battery.fault', { place: place(device) }), detail);
    return [raiseForDevice(device, { key, type: 'low_battery', severity: 'warning', ...text, evidence: { fault: 'low_battery' } }, at, view)];
  }
}
