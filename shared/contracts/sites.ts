/**
 * Sites and vehicles of the collection chain (回收点—中转站—分拣中心): where collection vehicles
 * are based and unload. Today one kind of site, the district's transfer stations (中转站);
 * issue 14 adds sorting centres and weighbridges as further `kind`s of the same record.
 */
import { z } from 'zod';
import { SITE_KINDS } from '../vocabulary.ts';
import { DeviceId, Subdistrict, WasteCategory } from './common.ts';

export { SITE_KINDS };

export const SiteKind = z.enum(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

export const Position = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type Position = z.infer<typeof Position>;

/** Each category at most once: a station either takes paper or it does not. */
const Categories = z
  .array(WasteCategory)
  .min(1)
  .max(WasteCategory.options.length)
  .refine((list) => new Set(list).size === list.length, 'a category appears twice');

/** Fields every kind of site has; a kind adds its own by extending this. */
const SiteBase = z.strictObject({
  /** Also an MQTT topic level one day (per-site topics), so the device id rules apply. */
  id: DeviceId,
  name: z.string().min(1).max(128),
  position: Position,
  subdistrict: Subdistrict,
  address: z.string().min(1).max(256),
  /** Who runs it, e.g. the district's sanitation department; absent when unknown. */
  operator: z.string().min(1).max(128).optional(),
});

/** A transfer station (中转站): vehicles are based here and unload what they collect. */
export const TransferStation = SiteBase.extend({
  kind: z.literal('transfer_station'),
  /** What it accepts; a vehicle based here carries only these. */
  categories: Categories,
});
export type TransferStation = z.infer<typeof TransferStation>;

/** A sorting centre (分拣中心): shipments from the transfer stations are weighed in and sorted here. */
export const SortingCentre = SiteBase.extend({
  kind: z.literal('sorting_centre'),
  categories: Categories,
});
export type SortingCentre = z.infer<typeof SortingCentre>;

/** Any site. */
export const Site = z.discriminatedUnion('kind', [TransferStation, SortingCentre]);
export type Site = z.infer<typeof Site>;

/** What `fleet station add` accepts: kind may be left out, categories default to every recyclable one. */
export const NewTransferStation = TransferStation.extend({
  kind: z.literal('transfer_station').default('transfer_station'),
  categories: Categories.default(['paper', 'plastic', 'metal', 'glass', 'textile']),
});
export type NewTransferStation = z.input<typeof NewTransferStation>;

/** What `fleet station add --kind sorting_centre` accepts: categories default to every recyclable one. */
export const NewSortingCentre = SortingCentre.extend({
  categories: Categories.default(['paper', 'plastic', 'metal', 'glass', 'textile']),
});
export type NewSortingCentre = z.input<typeof NewSortingCentre>;
/** A site to register, of either kind (kind left out: a transfer station). */
export type NewSite = NewTransferStation | NewSortingCentre;

/** Chinese plates: province, city letter, then 5 (6 for new-energy) letters or digits, e.g. 苏D·H0001. */
export const Plate = z
  .string()
  .regex(/^[\u4e00-\u9fff][A-Z]·?[A-HJ-NP-Z0-9]{5,6}$/u, 'a plate like 苏D·H0001 (province, city letter, 5 or 6 letters or digits; no I or O)');

/**
 * A plate as compared: without the middle dot or spaces, upper case, so a weighbridge that
 * keys 苏DH0001 or 苏D H0001 matches the registry's 苏D·H0001.
 */
export const normalizePlate = (plate: string): string => plate.replace(/[·\s]/gu, '').toUpperCase();

/** A collection vehicle. Its id is its MQTT client id (it reads its own plan), so DeviceId's rules apply. */
export const Vehicle = z.strictObject({
  id: DeviceId,
  plate: Plate,
  capacityKg: z.number().positive().max(40_000),
  /** The transfer station it starts from and returns to (a TransferStation id). */
  depotId: DeviceId,
  /** What it may carry; absent means whatever its depot accepts. */
  categories: Categories.optional(),
});
export type Vehicle = z.infer<typeof Vehicle>;
