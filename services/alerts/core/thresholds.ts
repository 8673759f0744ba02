/**
 * Alert thresholds: the numbers every rule compares against, as data. Built-in defaults can be
 * overridden by an optional JSON file (ALERT_THRESHOLDS_FILE) per device kind, subdistrict and
 * device. Pure: the file's text comes in, the adapter reads it from disk.
 *
 * Resolution, later layers win:
 *   built-in defaults < built-in kind defaults < file.defaults < file.kinds[kind]
 *   < file.subdistricts[subdistrict] < file.devices[id]
 * The file's defaults sit above the built-in kind defaults on purpose: a site that sets
 * `defaults.inactivityTimeoutMs` means it for every device, cameras included.
 */
import { z } from 'zod';
import { DeviceId, Subdistrict, type Device, type DeviceKind } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';

const MINUTE_MS = 60_000;

const fraction = z.number().min(0).max(1);
const percent = z.number().min(0).max(100);
const celsius = z.number().min(-40).max(200);
/** Durations in milliseconds, up to 90 days (the longest window any rule needs is the hotspot week). */
const durationMs = z.int().positive().max(90 * DAY_MS);
const positiveCount = z.int().positive().max(10_000);

export const Thresholds = z.strictObject({
  /** bin_full: fillingLevel >= warning raises a warning, >= critical (or overflow) a critical. */
  binFullWarning: fraction,
  binFullCritical: fraction,
  /** bin_full clears only below this level (hysteresis), or on a collection of the compartment. */
  binFullClear: fraction,
  /** device_offline: no valid message for longer than this raises (per kind by default). */
  inactivityTimeoutMs: durationMs,
  /** More connection changes than this within an hour is flapping: one alert counts them. */
  flappingTransitionsPerHour: positiveCount,
  illegalDumpingMinConfidence: fraction,
  /** A dumping case (event id) seen again within this window of its last sighting is the same case. */
  illegalDumpingWindowMs: durationMs,
  /** A camera with this many dumping alerts within hotspotWindowMs is a hotspot. */
  hotspotMinAlerts: positiveCount,
  hotspotWindowMs: durationMs,
  cityAppearanceMinConfidence: fraction,
  /** A city-appearance alert with no sighting for this long clears at the sweep. */
  cityAppearanceWindowMs: durationMs,
  /** fire_risk: temperature at or above this, or a rise of fireRiseC within fireRiseWindowMs. */
  fireTemperatureC: celsius,
  fireRiseC: z.number().positive().max(200),
  fireRiseWindowMs: durationMs,
  /** fire_risk clears once the temperature is below this (and nothing else holds it open). */
  fireClearC: celsius,
  /** lid_open: a lid open for longer than this raises at the sweep. */
  lidOpenMaxMs: durationMs,
  /** low_battery: below this raises; clears only above lowBatteryClearPercent (hysteresis). */
  lowBatteryPercent: percent,
  lowBatteryClearPercent: percent,
  /** area_outage: at least this share of an area's devices offline within areaOutageWindowMs. */
  areaOutageFraction: fraction,
  /** area_outage clears when fewer than this share of the area's devices are offline. */
  areaOutageClearFraction: fraction,
  areaOutageWindowMs: durationMs,
  areaOutageMinDevices: positiveCount,
  /**
   * sensor_suspect (issue 14): the fill sensor against the kg the box weighed. Levels are
   * fractions of full; kg are measured in "fulls" (kg / the category's kg at full, learned from
   * the fleet), so one setting fits a 60 kg plastic and a 150 kg paper compartment.
   * Stuck: kg in or out worth this share of a full without the level moving.
   */
  sensorStuckFull: fraction,
  /** Jump: the level changes this much more (or less) between two readings than the kg say. */
  sensorJumpLevel: fraction,
  /** Drift: the level is off the kg's level by this much, the same way, sensorDriftReadings readings running. */
  sensorDriftLevel: fraction,
  sensorDriftReadings: positiveCount,
  /** The suspicion clears after this many readings in a row within sensorDriftLevel / 2 of the kg's level. */
  sensorAgreeReadings: positiveCount,
  /** A camera's overflowing_bin within this distance of a box whose compartments all read below sensorCameraLowLevel. */
  sensorCameraRadiusM: z.number().positive().max(1000),
  sensorCameraLowLevel: fraction,
});
export type Thresholds = z.infer<typeof Thresholds>;

export const PartialThresholds = Thresholds.partial();
export type PartialThresholds = z.infer<typeof PartialThresholds>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  binFullWarning: 0.9,
  binFullCritical: 1.0,
  binFullClear: 0.7,
  inactivityTimeoutMs: 15 * MINUTE_MS,
  flappingTransitionsPerHour: 4,
  illegalDumpingMinConfidence: 0.7,
  illegalDumpingWindowMs: 30 * MINUTE_MS,
  hotspotMinAlerts: 3,
  hotspotWindowMs: 7 * DAY_MS,
  cityAppearanceMinConfidence: 0.6,
  cityAppearanceWindowMs: 30 * MINUTE_MS,
  fireTemperatureC: 60,
  fireRiseC: 15,
  fireRiseWindowMs: 10 * MINUTE_MS,
  fireClearC: 50,
  lidOpenMaxMs: 10 * MINUTE_MS,
  lowBatteryPercent: 15,
  lowBatteryClearPercent: 20,
  areaOutageFraction: 0.6,
  areaOutageClearFraction: 0.5,
  areaOutageWindowMs: 2 * MINUTE_MS,
  areaOutageMinDevices: 3,
  sensorStuckFull: 0.015,
  sensorJumpLevel: 0.3,
  sensorDriftLevel: 0.15,
  sensorDriftReadings: 6,
  sensorAgreeReadings: 12,
  sensorCameraRadiusM: 60,
  sensorCameraLowLevel: 0.5,
};

/**
 * Boxes report every few minutes (NB-IoT saves power); cameras heartbeat continuously, so a
 * silent camera is noticed sooner. A weighbridge publishes only when a vehicle is weighed: quiet
 * nights are normal, a silent day is not.
 */
export const DEFAULT_KIND_THRESHOLDS: Record<DeviceKind, PartialThresholds> = {
  box: { inactivityTimeoutMs: 15 * MINUTE_MS },
  camera: { inactivityTimeoutMs: 3 * MINUTE_MS },
  scale: { inactivityTimeoutMs: 26 * HOUR_MS },
};

/** Pairs that must stay ordered whatever layer sets them, or a rule would raise and clear at once. */
function orderingProblems(t: Thresholds): string[] {
  const problems: string[] = [];
  if (!(t.binFullClear < t.binFullWarning)) problems.push(`binFullClear (${t.binFullClear}) must be below binFullWarning (${t.binFullWarning})`);
  if (!(t.binFullWarning <= t.binFullCritical)) problems.push(`binFullWarning (${t.binFullWarning}) must not exceed binFullCritical (${t.binFullCritical})`);
  if (!(t.fireClearC < t.fireTemperatureC)) problems.push(`fireClearC (${t.fireClearC}) must be below fireTemperatureC (${t.fireTemperatureC})`);
  if (!(t.lowBatteryPercent <= t.lowBatteryClearPercent)) {
    problems.push(`lowBatteryClearPercent (${t.lowBatteryClearPercent}) must not be below lowBatteryPercent (${t.lowBatteryPercent})`);
  }
  if (!(t.areaOutageClearFraction <= t.areaOutageFraction)) {
    problems.push(`areaOutageClearFraction (${t.areaOutageClearFraction}) must not exceed areaOutageFraction (${t.areaOutageFraction})`);
  }
  return problems;
}

/**
 * The thresholds file. Strict throughout: a misspelt threshold name is an error, not a silently
 * ignored setting. Each layer is also checked for ordering (e.g. clear below warning) as merged
 * over the built-in and file defaults; combinations across layers are the operator's to keep sane.
 */
export const AlertThresholdsFile = z
  .strictObject({
    defaults: PartialThresholds.optional(),
    kinds: z.strictObject({ box: PartialThresholds.optional(), camera: PartialThresholds.optional(), scale: PartialThresholds.optional() }).optional(),
    subdistricts: z.partialRecord(Subdistrict, PartialThresholds).optional(),
    devices: z.record(DeviceId, PartialThresholds).optional(),
  })
  .superRefine((file, ctx) => {
    const base: Thresholds = { ...DEFAULT_THRESHOLDS, ...file.defaults };
    const layers: [PropertyKey[], PartialThresholds | undefined][] = [
      [['defaults'], {}],
      [['kinds', 'box'], file.kinds?.box],
      [['kinds', 'camera'], file.kinds?.camera],
      [['kinds', 'scale'], file.kinds?.scale],
      ...Object.entries(file.subdistricts ?? {}).map(([name, layer]): [PropertyKey[], PartialThresholds] => [['subdistricts', name], layer]),
      ...Object.entries(file.devices ?? {}).map(([id, layer]): [PropertyKey[], PartialThresholds] => [['devices', id], layer]),
    ];
    for (const [path, layer] of layers) {
      if (!layer) continue;
      for (const message of orderingProblems({ ...base, ...layer })) ctx.addIssue({ code: 'custom', message, path });
    }
  });
export type AlertThresholdsFile = z.infer<typeof AlertThresholdsFile>;

export type ThresholdsParseResult = { ok: true; file: AlertThresholdsFile } | { ok: false; error: string };

/** Reads the file's text; the error names every problem with its path, one per line. */
export function parseAlertThresholdsFile(text: string, source = 'alert thresholds file'): ThresholdsParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source}: not JSON (${(err as Error).message})` };
  }
  const parsed = AlertThresholdsFile.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  return { ok: false, error: `${source}:\n${z.prettifyError(parsed.error)}` };
}

/** The thresholds that apply to one device (see the resolution order above). */
export function resolveThresholds(
  file: AlertThresholdsFile | undefined,
  device: Pick<Device, 'id' | 'kind' | 'subdistrict'>,
): Thresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    ...DEFAULT_KIND_THRESHOLDS[device.kind],
    ...file?.defaults,
    ...file?.kinds?.[device.kind],
    ...file?.subdistricts?.[device.subdistrict],
    ...file?.devices?.[device.id],
  };
}

/** `thresholdsFor` for createAlertRules, from an optional parsed file. */
export function thresholdsResolver(file: AlertThresholdsFile | undefined): (device: Device) => Thresholds {
  return (device) => resolveThresholds(file, device);
}

/** The connection-change window flapping is counted over; the threshold's name says "per hour". */
export const FLAPPING_WINDOW_MS = HOUR_MS;
