/**
 * The alert rules, composed: every family sees every input it cares about and returns its
 * commands; the lifecycle applies them in order. Pure apart from the families' in-memory rule
 * memory (see connectivity.ts, fire-risk.ts, lid-open.ts, detection-cases.ts, sources.ts).
 *
 * Sweep order matters: offline devices are found once, area outages claim theirs first, then
 * per-device offline alerts are raised only for devices no area alert covers.
 */
import { AreaOutageRules } from './area-outage.ts';
import { BinFullRules } from './bin-full.ts';
import { CityAppearanceRules } from './city-appearance.ts';
import { Connectivity, type Offline } from './connectivity.ts';
import { DeviceIntegrityRules } from './device-integrity.ts';
import { DeviceOfflineRules } from './device-offline.ts';
import type { RuleFamily, ThresholdsFor } from './family.ts';
import { FireRiskRules } from './fire-risk.ts';
import { IllegalDumpingRules } from './illegal-dumping.ts';
import { LidOpenRules } from './lid-open.ts';
import { LowBatteryRules } from './low-battery.ts';
import type { AlertCommand, AlertRules } from './ports.ts';
import { SensorFaultRules } from './sensor-fault.ts';
import { SensorSuspectRules } from './sensor-suspect.ts';

export interface AlertRulesOptions {
  /** The thresholds of one device (thresholds.ts: thresholdsResolver(file)). */
  thresholdsFor: ThresholdsFor;
}

export function createAlertRules({ thresholdsFor }: AlertRulesOptions): AlertRules {
  const links = new Connectivity();
  const offlineRules = new DeviceOfflineRules(links);
  const areaOutage = new AreaOutageRules();
  const families: RuleFamily[] = [
    new BinFullRules(),
    new FireRiskRules(),
    new LidOpenRules(),
    new DeviceIntegrityRules(),
    new LowBatteryRules(),
    new SensorFaultRules(),
    new SensorSuspectRules(),
    new IllegalDumpingRules(),
    new CityAppearanceRules(),
  ];

  return {
    onMessage(input, view) {
      const t = thresholdsFor(input.device);
      return [...offlineRules.onMessage(input, view, t), ...families.flatMap((f) => f.onMessage?.(input, view, t) ?? [])];
    },

    onConnection(input, view) {
      return offlineRules.onConnection(input, view, thresholdsFor(input.device));
    },

    onSweep(input, view) {
      links.sweepStarted(input.at);
      const offline = new Map<string, Offline>();
      for (const sweep of input.devices) {
        const down = links.offline(sweep, thresholdsFor(sweep.device).inactivityTimeoutMs, input.at);
        if (down) offline.set(sweep.device.id, down);
      }
      const area = areaOutage.onSweep(input, view, thresholdsFor, offline);
      const commands: AlertCommand[] = [
        ...area.commands,
        ...offlineRules.onSweep(input, view, thresholdsFor, offline, area.covered),
        ...families.flatMap((f) => f.onSweep?.(input, view, thresholdsFor) ?? []),
      ];
      return commands;
    },

    silentDevices({ at, devices }) {
      return devices.flatMap((sweep) => {
        const timeoutMs = thresholdsFor(sweep.device).inactivityTimeoutMs;
        const down = links.offline(sweep, timeoutMs, at);
        return down && !down.suspect ? [{ deviceId: sweep.device.id, sinceMs: down.since + timeoutMs }] : [];
      });
    },
  };
}
