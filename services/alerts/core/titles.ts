/**
 * Alert titles, said twice from one set of parameters: the English `title` (API readers,
 * webhook, logs) and the message `{code, params}` the console renders in the user's language
 * (services/console/core/i18n/messages/alerts.ts has `alerts.msg.<code>` for every code here).
 * Each code has one English function over exactly its params, so title and message cannot drift.
 *
 * Params are codes (category, subdistrict, detectionType), numbers already rounded as the title
 * shows them, and proper names (place = the device's name and community, zone, consumer): never
 * English words, which the console could not translate.
 */
import { SUBDISTRICT_NAMES } from '../../../shared/contracts/index.ts';
import type { AlertMessage, DetectionType, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { capitalised } from './commands.ts';

export interface AlertText {
  title: string;
  message: AlertMessage;
}

interface Place {
  place: string;
}

type LedgerTripParams = { plate: string; collected: number; tolerance: number };
/** Kilograms as the console's translator shows them in English ("1,960"), so title and message agree. */
const kg = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 0 });

type SensorSuspectParams = Place & { category: WasteCategory; percent: number; expected: number };

/** 'outside_store_operation' → 'Outside store operation'. */
export const detectionText = (type: string): string => capitalised(type.replaceAll('_', ' '));

const ENGLISH = {
  'bin_full.level': (p: Place & { category: WasteCategory; percent: number }) =>
    `${capitalised(p.category)} compartment ${p.percent}% full at ${p.place}`,
  'bin_full.overflow': (p: Place & { category: WasteCategory }) => `${capitalised(p.category)} compartment overflowing at ${p.place}`,

  'device_offline.went_offline': (p: Place) => `${p.place} went offline`,
  'device_offline.never_heard': (p: Place) => `Never heard from ${p.place}`,
  'device_offline.silent': (p: Place & { minutes: number }) => `No message from ${p.place} for ${p.minutes} min`,
  'device_offline.flapping': (p: Place & { transitions: number }) => `Connection of ${p.place} is flapping: ${p.transitions} changes`,

  'area_outage.community': (p: { community: string; offline: number; total: number }) =>
    `Area outage: ${p.offline} of ${p.total} devices offline in ${p.community}`,
  'area_outage.subdistrict': (p: { subdistrict: Subdistrict; offline: number; total: number }) =>
    `Area outage: ${p.offline} of ${p.total} devices offline in ${SUBDISTRICT_NAMES[p.subdistrict].en} subdistrict`,

  'illegal_dumping.detected': (p: Place & { zone: string }) => `Illegal dumping at ${p.place} (${p.zone})`,
  'city_appearance.detected': (p: Place & { zone: string; detectionType: DetectionType }) =>
    `${detectionText(p.detectionType)} at ${p.place} (${p.zone})`,

  'fire_risk.overheat': (p: Place) => `Fire risk: ${p.place} reports overheating`,
  'fire_risk.burning': (p: Place & { temperature: number }) => `Fire risk: ${p.place} reports burning (${p.temperature} °C)`,
  'fire_risk.rising': (p: Place & { rise: number; minutes: number; temperature: number }) =>
    `Fire risk at ${p.place}: temperature up ${p.rise} °C within ${p.minutes} min (${p.temperature} °C)`,
  'fire_risk.hot': (p: Place & { temperature: number }) => `Fire risk at ${p.place}: ${p.temperature} °C`,

  'lid_open.stuck': (p: Place) => `Lid stuck at ${p.place}`,
  'lid_open.too_long': (p: Place & { minutes: number }) => `Lid open for ${p.minutes} min at ${p.place}`,

  'integrity.tilted': (p: Place) => `${p.place} tilted or knocked over`,
  'integrity.moved': (p: Place) => `${p.place} moved from its place`,
  'integrity.vandalized': (p: Place) => `${p.place} vandalized`,
  'integrity.tamper': (p: Place) => `Tamper alarm at ${p.place}`,

  'low_battery.level': (p: Place & { percent: number }) => `Battery at ${p.percent}% in ${p.place}`,
  'low_battery.fault': (p: Place) => `Low battery reported by ${p.place}`,

  'sensor_fault.stream_lost': (p: Place) => `Video stream lost at ${p.place}`,
  'sensor_fault.power_loss': (p: Place) => `Power loss at ${p.place}`,
  'sensor_fault.sensor_fault': (p: Place) => `Sensor fault at ${p.place}`,

  'journal_near_cap.store': (p: { percent: number }) => `Ingest backlog at ${p.percent}% of its cap (InfluxDB unreachable?)`,
  'journal_near_cap.consumer': (p: { percent: number; consumer: string }) =>
    `Ingest backlog at ${p.percent}% of its cap (consumer ${p.consumer} behind)`,

  /** A planned stop not served by the end of its shift (+ grace) while a compartment is full; plate and planId are names. */
  'collection_missed.full': (p: Place & { category: WasteCategory; percent: number; plate: string; planId: string }) =>
    `Planned collection missed at ${p.place}. ${capitalised(p.category)} compartment ${p.percent}% full (vehicle ${p.plate}, plan ${p.planId})`,

  /** sensor_suspect (issue 14): the fill sensor reads `percent`, the kg weighed since emptied say `expected`. */
  'sensor_suspect.stuck': (p: SensorSuspectParams) =>
    `Fill sensor stuck? ${capitalised(p.category)} compartment at ${p.place} reads ${p.percent}%, the weighed kg say ${p.expected}%`,
  'sensor_suspect.jump': (p: SensorSuspectParams) =>
    `Fill sensor jumped: ${capitalised(p.category)} compartment at ${p.place} reads ${p.percent}%, the weighed kg say ${p.expected}%`,
  'sensor_suspect.drift': (p: SensorSuspectParams) =>
    `Fill sensor drifting: ${capitalised(p.category)} compartment at ${p.place} reads ${p.percent}%, the weighed kg say ${p.expected}%`,
  'sensor_suspect.camera': (p: SensorSuspectParams) =>
    `${capitalised(p.category)} compartment at ${p.place} reads ${p.percent}% (the weighed kg say ${p.expected}%) while a camera sees it overflow`,

  /** ledger_mismatch (issue 14): kg rounded, grouped as the console groups them; plate, ticket, scale and day are names. */
  'ledger_mismatch.trip_light': (p: LedgerTripParams & { weighed: number; loss: number; ticketId: string }) =>
    `Load of ${p.plate} weighed in at ${kg(p.weighed)} kg (ticket ${p.ticketId}), ${kg(p.collected)} kg collected: ${kg(p.loss)} kg short (tolerance ${kg(p.tolerance)} kg)`,
  'ledger_mismatch.trip_heavy': (p: LedgerTripParams & { weighed: number; ticketId: string; scaleId: string }) =>
    `Weighbridge ${p.scaleId} reads heavy: ${p.plate} weighed in at ${kg(p.weighed)} kg (ticket ${p.ticketId}), ${kg(p.collected)} kg collected (tolerance ${kg(p.tolerance)} kg)`,
  'ledger_mismatch.missing_weigh_in': (p: { plate: string; day: string; collected: number; collections: number }) =>
    `No weigh-in for ${p.plate}: ${kg(p.collected)} kg collected from ${p.collections} boxes on ${p.day}`,
  'ledger_mismatch.shipments': (p: { day: string; shipped: number; received: number; loss: number; tolerance: number }) =>
    `Shipments of ${p.day}: ${kg(p.shipped)} kg shipped, ${kg(p.received)} kg received at the sorting centre, ${kg(p.loss)} kg apart (tolerance ${kg(p.tolerance)} kg)`,

  /** Alerts stored before titles had codes (see the alert store's migration): the title is all there is. */
  legacy: (p: { title: string }) => p.title,
} satisfies Record<string, (params: never) => string>;

export type AlertMessageCode = keyof typeof ENGLISH;
export type AlertMessageParams<C extends AlertMessageCode> = Parameters<(typeof ENGLISH)[C]>[0];

/** Every code a title can carry (the console's catalogue test checks each has a message). */
export const ALERT_MESSAGE_CODES = Object.keys(ENGLISH) as AlertMessageCode[];

/** The English title and the message of one code, from the same params. */
export function alertText<C extends AlertMessageCode>(code: C, params: AlertMessageParams<C>): AlertText {
  const english = ENGLISH[code] as (p: AlertMessageParams<C>) => string;
  return { title: english(params), message: { code, params: { ...(params as Record<string, string | number>) } } };
}

/**
 * A fault's free-text detail, in the device's own words, goes into the English title only: it
 * is not a code the console could translate, and a Chinese title must not carry English text.
 */
export function withDetail(text: AlertText, detail: string | undefined): AlertText {
  return detail ? { ...text, title: `${text.title} (${detail})` } : text;
}
