/**
 * Checks transfer stations and vehicles to be registered: the contracts plus the rules between
 * records that a schema alone cannot express (a vehicle's depot must exist, ids are unique),
 * reported per field so the CLI can name its options.
 */
import { z } from 'zod';
import {
  NewSortingCentre,
  NewTransferStation,
  Vehicle,
  type Site,
  type TransferStation,
} from '../../../shared/contracts/index.ts';

export interface FieldIssue {
  /** The field at fault, e.g. "capacityKg" or "position.lat"; "" for the whole record. */
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function checkNewStation(input: unknown): Checked<TransferStation> {
  const parsed = NewTransferStation.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
}

/** A site of either kind: `kind: 'sorting_centre'` is a sorting centre, anything else is checked as a transfer station. */
export function checkNewSite(input: unknown): Checked<Site> {
  if ((input as { kind?: unknown } | null)?.kind !== 'sorting_centre') return checkNewStation(input);
  const parsed = NewSortingCentre.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
}

/** `depotOf` looks a station up by id: the registry's, or the set being checked. */
export function checkNewVehicle(
  input: unknown,
  depotOf: (id: string) => TransferStation | undefined,
): Checked<Vehicle> {
  const parsed = Vehicle.safeParse(input);
  // An unknown depot is reported beside the other issues, so one try shows everything wrong.
  const depotId = (input as { depotId?: unknown } | null)?.depotId;
  const depot = typeof depotId === 'string' ? depotOf(depotId) : undefined;
  const noDepot: FieldIssue[] =
    typeof depotId === 'string' && depot === undefined ? [{ field: 'depotId', message: `no transfer station "${depotId}"` }] : [];
  if (!parsed.success) return { ok: false, issues: [...parsed.error.issues.flatMap(toIssues), ...noDepot] };
  const vehicle = parsed.data;
  if (depot === undefined) return { ok: false, issues: noDepot };
  // A vehicle unloads at its depot: carrying what the depot refuses would strand the load.
  const refused = (vehicle.categories ?? []).filter((c) => !depot.categories.includes(c));
  if (refused.length > 0) {
    return { ok: false, issues: [{ field: 'categories', message: `depot ${depot.id} does not take ${refused.join(', ')}` }] };
  }
  return { ok: true, value: vehicle };
}

/** A whole set at once (the demo fleet): every site (either kind) and vehicle valid, ids unique, every depot present. */
export function checkSites(stations: readonly unknown[], vehicles: readonly unknown[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const byId = new Map<string, Site>();
  stations.forEach((input, i) => {
    const check = checkNewSite(input);
    if (!check.ok) issues.push(...check.issues.map((issue) => at(`stations.${i}`, issue)));
    else if (byId.has(check.value.id)) issues.push({ field: `stations.${i}.id`, message: `duplicate id "${check.value.id}"` });
    else byId.set(check.value.id, check.value);
  });
  const vehicleIds = new Set<string>();
  // A vehicle's depot is a transfer station, never a sorting centre.
  const depotOf = (id: string) => {
    const site = byId.get(id);
    return site?.kind === 'transfer_station' ? site : undefined;
  };
  vehicles.forEach((input, i) => {
    const check = checkNewVehicle(input, depotOf);
    if (!check.ok) issues.push(...check.issues.map((issue) => at(`vehicles.${i}`, issue)));
    else if (vehicleIds.has(check.value.id)) issues.push({ field: `vehicles.${i}.id`, message: `duplicate id "${check.value.id}"` });
    else vehicleIds.add(check.value.id);
  });
  return issues;
}

/** "capacityKg: Too small: expected number to be >0; depotId: ..." */
export function describeFieldIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.field === '' ? i.message : `${i.field}: ${i.message}`)).join('; ');
}

const at = (prefix: string, issue: FieldIssue): FieldIssue => ({ field: `${prefix}.${issue.field}`, message: issue.message });

function toIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const path = issue.path.map(String).join('.');
  // An unknown key's issue sits on the parent object; name the keys themselves instead.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: path === '' ? key : `${path}.${key}`, message: 'not a field of this record' }));
  }
  return [{ field: path, message: issue.message }];
}
