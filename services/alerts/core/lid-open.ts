/**
 * lid_open: a lid left open lets rain in and rubbish out. Warning, one key per box.
 *
 * - A reading with lid 'open' (or status 'lidOpen') starts the clock at its arrival, unless it
 *   already runs; the sweep raises once the lid has been open for longer than lidOpenMaxMs.
 * - A 'lid_stuck' fault reported active raises at once; active: false takes that cause away.
 * - A reading with the lid closed stops the clock; the alert clears when no cause is left.
 * The clock lives in memory: after a restart it starts again at the next open reading.
 */
import type { Device } from '../../../shared/contracts/index.ts';
import { clearIfOpen, place, raiseForDevice } from './commands.ts';
import type { MessageInput, RuleFamily, SweepInput, ThresholdsFor } from './family.ts';
import { alertKey } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { ConditionSources } from './sources.ts';
import type { Thresholds } from './thresholds.ts';
import { alertText, withDetail } from './titles.ts';

const OPEN_TOO_LONG = 'open_too_long';
const STUCK = 'lid_stuck';

export class LidOpenRules implements RuleFamily {
  private readonly openSince = new Map<string, { device: Device; since: number }>();
  private readonly sources = new ConditionSources();

  onMessage({ message, device, at }: MessageInput, view: AlertView): AlertCommand[] {
    const key = alertKey.lidOpen(device.id);
    if (message.channel === 'telemetry') {
      const { lid, status } = message.payload;
      if (lid === 'open' || status === 'lidOpen') {
        const since = this.openSince.get(device.id)?.since ?? at;
        this.openSince.set(device.id, { device, since });
        return [];
      }
      this.openSince.delete(device.id);
      this.sources.set(key, OPEN_TOO_LONG, false);
      return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Lid closed');
    }
    if (message.channel !== 'event/fault' || message.payload.fault !== STUCK) return [];
    const { active, detail } = message.payload;
    this.sources.set(key, STUCK, active);
    if (!active) return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Lid no longer stuck');
    const text = withDetail(alertText('lid_open.stuck', { place: place(device) }), detail);
    return [raiseForDevice(device, { key, type: 'lid_open', severity: 'warning', ...text, evidence: { fault: STUCK } }, at, view)];
  }

  onSweep({ at }: SweepInput, view: AlertView, thresholdsFor: ThresholdsFor): AlertCommand[] {
    const commands: AlertCommand[] = [];
    for (const { device, since } of this.openSince.values()) {
      const t: Thresholds = thresholdsFor(device);
      if (at - since <= t.lidOpenMaxMs) continue;
      const key = alertKey.lidOpen(device.id);
      this.sources.set(key, OPEN_TOO_LONG, true);
      if (view.open(key)) continue;
      const text = alertText('lid_open.too_long', { place: place(device), minutes: Math.round((at - since) / 60_000) });
      commands.push(raiseForDevice(device, { key, type: 'lid_open', severity: 'warning', ...text, evidence: { status: 'lidOpen' } }, at, view));
    }
    return commands;
  }
}
