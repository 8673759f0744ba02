/**
 * fire_risk: a box may be burning. Critical, one key per box.
 *
 * Raised by a telemetry reading with any of
 *   temperatureC >= fireTemperatureC
 *   a rise of >= fireRiseC over the lowest reading within the last fireRiseWindowMs
 *   status 'burning'
 * and by an 'overheat' fault reported active. Unlike level rules, every alarming reading raises
 * (count = alarming readings, evidence = the latest temperature): responders need to see the
 * temperature move, and readings come minutes apart.
 * Clears once a reading is below fireClearC, not burning and not rising fast, and no overheat
 * fault is active (a fault clears with active: false).
 */
import type { BoxTelemetry, Device } from '../../../shared/contracts/index.ts';
import { clearIfOpen, place, raiseForDevice } from './commands.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { ConditionSources } from './sources.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText, withDetail } from './titles.ts';

const READING = 'telemetry';
const OVERHEAT = 'overheat';

/** Temperatures as the title shows them: one decimal. */
const tenths = (c: number): number => Math.round(c * 10) / 10;
const degrees = (c: number): string => `${tenths(c)} °C`;

export class FireRiskRules implements RuleFamily {
  /** Recent temperatures per box, kept for fireRiseWindowMs. */
  private readonly recent = new Map<string, { at: number; c: number }[]>();
  private readonly sources = new ConditionSources();

  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    if (message.channel === 'telemetry') return this.onReading(device, message.payload, at, view, t);
    if (message.channel !== 'event/fault' || message.payload.fault !== 'overheat') return [];
    const key = alertKey.fireRisk(device.id);
    const { active, detail } = message.payload;
    this.sources.set(key, OVERHEAT, active);
    if (active) {
      const text = withDetail(alertText('fire_risk.overheat', { place: place(device) }), detail);
      return [raiseForDevice(device, { key, type: 'fire_risk', severity: 'critical', ...text, evidence: { fault: OVERHEAT } }, at, view)];
    }
    return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Overheat fault cleared');
  }

  private onReading(device: Device, reading: BoxTelemetry, at: number, view: AlertView, t: Thresholds): AlertCommand[] {
    const key = alertKey.fireRisk(device.id);
    const c = reading.temperatureC;
    const rise = this.riseOf(device.id, c, at, t.fireRiseWindowMs);
    const burning = reading.status === 'burning';
    const rising = rise >= t.fireRiseC;
    if (burning || rising || c >= t.fireTemperatureC) {
      this.sources.set(key, READING, true);
      const now = { place: place(device), temperature: tenths(c) };
      const text =
        burning ? alertText('fire_risk.burning', now)
        : rising ? alertText('fire_risk.rising', { ...now, rise: tenths(rise), minutes: Math.round(t.fireRiseWindowMs / 60_000) })
        : alertText('fire_risk.hot', now);
      const evidence = { temperatureC: c, temperatureRiseC: rise, status: reading.status };
      return [raiseForDevice(device, { key, type: 'fire_risk', severity: 'critical', ...text, evidence }, at, view)];
    }
    if (c >= t.fireClearC) return [];
    this.sources.set(key, READING, false);
    return this.sources.any(key) ? [] : clearIfOpen(view, key, at, `Temperature down to ${degrees(c)}`);
  }

  /** Rise over the lowest reading within the window (0 when none or falling); records this one. */
  private riseOf(deviceId: string, c: number, at: number, windowMs: number): number {
    const kept = (this.recent.get(deviceId) ?? []).filter((s) => at - s.at <= windowMs);
    const rise = kept.length === 0 ? 0 : Math.max(0, c - Math.min(...kept.map((s) => s.c)));
    kept.push({ at, c });
    this.recent.set(deviceId, kept);
    return rise;
  }
}
