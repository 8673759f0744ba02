/**
 * `fleet station …` and `fleet vehicle …`: the transfer stations (depots) and collection
 * vehicles the shift planner works with. Options are checked against the contracts here, so
 * an error names the option (--capacity-kg), not the field (capacityKg).
 */
import { SUBDISTRICT_NAMES, type Site, type Vehicle } from '../../shared/contracts/index.ts';
import { decimal, list, parse, plural, UsageError } from './cli-args.ts';
import { formatTable } from './cli-format.ts';
import { FleetError, type FleetRegistry, type SiteRegistry } from './core/registry.ts';
import { checkNewSite, checkNewVehicle, type FieldIssue } from './core/site-validation.ts';

export interface SiteCliContext {
  registry: FleetRegistry & SiteRegistry;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A bad option value (exit code 2), one line per option at fault. */
export class SiteOptionError extends Error {
  override name = 'SiteOptionError';
}

export const SITE_USAGE = `  station add --id <id> --name <name> --lat <deg> --lon <deg> --subdistrict <subdistrict>
      --address <address> [--operator <who>] [--categories paper,plastic,...]
      [--kind transfer_station|sorting_centre]
                              register a transfer station (default) or a sorting centre
                              (categories default to all five)
  station list [--json]       every site, both kinds
  station remove <id>         refused while vehicles are based there
  vehicle add --id <id> --plate <plate> --capacity-kg <kg> --depot <station id>
      [--categories paper,...]
                              register a vehicle; prints its MQTT secret once
  vehicle list [--depot <station id>] [--json]
  vehicle rotate-secret <id>
  vehicle remove <id>`;

const SECRET_NOTE = 'note: the secret is shown only this once (the registry keeps a hash); use vehicle rotate-secret if it is lost';

const STATION_OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  subdistrict: { type: 'string' },
  address: { type: 'string' },
  operator: { type: 'string' },
  categories: { type: 'string' },
  kind: { type: 'string' },
} as const;

const VEHICLE_OPTIONS = {
  id: { type: 'string' },
  plate: { type: 'string' },
  'capacity-kg': { type: 'string' },
  depot: { type: 'string' },
  categories: { type: 'string' },
} as const;

/** Contract field → the option that sets it. */
const STATION_OPTION_OF: Record<string, string> = { 'position.lat': 'lat', 'position.lon': 'lon' };
const VEHICLE_OPTION_OF: Record<string, string> = { capacityKg: 'capacity-kg', depotId: 'depot' };

type Sub = (args: string[], ctx: SiteCliContext) => void;

const STATION: Record<string, Sub> = {
  add(args, ctx) {
    const { values } = parse(args, STATION_OPTIONS, 0);
    requireOptions(values, ['id', 'name', 'lat', 'lon', 'subdistrict', 'address']);
    const check = checkNewSite({
      ...(values.kind === undefined ? {} : { kind: values.kind }),
      id: values.id,
      name: values.name,
      position: { lat: decimal('--lat', values.lat!), lon: decimal('--lon', values.lon!) },
      subdistrict: values.subdistrict,
      address: values.address,
      ...(values.operator === undefined ? {} : { operator: values.operator }),
      ...(values.categories === undefined ? {} : { categories: list(values.categories) }),
    });
    if (!check.ok) throw optionError(check.issues, STATION_OPTION_OF);
    ctx.out(formatStation(ctx.registry.addSite(check.value)).join('\n'));
  },

  list(args, ctx) {
    const { values } = parse(args, { json: { type: 'boolean' } }, 0);
    const sites = ctx.registry.listSites();
    if (values.json) return ctx.out(JSON.stringify(sites, null, 2));
    const based = (id: string) => String(ctx.registry.listVehicles({ depotId: id }).length);
    const rows = sites.map((s) => [s.id, s.kind, s.subdistrict, `${s.position.lat}, ${s.position.lon}`, based(s.id), s.name]);
    ctx.out([...formatTable(['ID', 'KIND', 'SUBDISTRICT', 'POSITION', 'VEHICLES', 'NAME'], rows), plural(sites.length, 'site', 'sites')].join('\n'));
  },

  remove(args, ctx) {
    const id = parse(args, {}, 1, 'station').positionals[0]!;
    if (!ctx.registry.removeStation(id)) throw new FleetError('UNKNOWN_SITE', `no site "${id}" in the registry`);
    ctx.out(`removed ${id}`);
  },
};

const VEHICLE: Record<string, Sub> = {
  add(args, ctx) {
    const { values } = parse(args, VEHICLE_OPTIONS, 0);
    requireOptions(values, ['id', 'plate', 'capacity-kg', 'depot']);
    const check = checkNewVehicle(
      {
        id: values.id,
        plate: values.plate,
        capacityKg: decimal('--capacity-kg', values['capacity-kg']!),
        depotId: values.depot,
        ...(values.categories === undefined ? {} : { categories: list(values.categories) }),
      },
      (id) => ctx.registry.getStation(id),
    );
    if (!check.ok) throw optionError(check.issues, VEHICLE_OPTION_OF);
    const provisioned = ctx.registry.addVehicle(check.value);
    ctx.out(formatVehicle(provisioned.vehicle).join('\n'));
    ctx.out(`secret: ${provisioned.secret}`);
    ctx.err(SECRET_NOTE);
  },

  list(args, ctx) {
    const { values } = parse(args, { depot: { type: 'string' }, json: { type: 'boolean' } }, 0);
    const vehicles = ctx.registry.listVehicles(values.depot === undefined ? {} : { depotId: values.depot });
    if (values.json) return ctx.out(JSON.stringify(vehicles, null, 2));
    const rows = vehicles.map((v) => [v.id, v.plate, `${v.capacityKg} kg`, v.depotId, v.categories?.join(',') ?? '-']);
    ctx.out([...formatTable(['ID', 'PLATE', 'CAPACITY', 'DEPOT', 'CATEGORIES'], rows), plural(vehicles.length, 'vehicle', 'vehicles')].join('\n'));
  },

  'rotate-secret'(args, ctx) {
    const id = parse(args, {}, 1, 'vehicle').positionals[0]!;
    ctx.out(`secret: ${ctx.registry.rotateVehicleSecret(id)}`);
    ctx.err(SECRET_NOTE);
  },

  remove(args, ctx) {
    const id = parse(args, {}, 1, 'vehicle').positionals[0]!;
    if (!ctx.registry.removeVehicle(id)) throw new FleetError('UNKNOWN_VEHICLE', `no vehicle "${id}" in the registry`);
    ctx.out(`removed ${id}`);
  },
};

export const SITE_COMMANDS = {
  station: (args: string[], ctx: SiteCliContext) => runSub(STATION, 'station', args, ctx),
  vehicle: (args: string[], ctx: SiteCliContext) => runSub(VEHICLE, 'vehicle', args, ctx),
};

function runSub(subs: Record<string, Sub>, noun: string, args: string[], ctx: SiteCliContext): void {
  const [sub, ...rest] = args;
  const run = sub !== undefined && Object.hasOwn(subs, sub) ? subs[sub] : undefined;
  if (run === undefined) {
    throw new UsageError(`expected ${Object.keys(subs).map((s) => `${noun} ${s}`).join(', ')}${sub === undefined ? '' : `, got "${sub}"`}`);
  }
  run(rest, ctx);
}

function requireOptions(values: Record<string, unknown>, required: readonly string[]): void {
  const missing = required.filter((option) => values[option] === undefined);
  if (missing.length > 0) throw new SiteOptionError(missing.map((o) => `--${o}: required`).join('\n'));
}

function optionError(issues: readonly FieldIssue[], optionOf: Record<string, string>): SiteOptionError {
  const lines = issues.map((issue) => {
    const option = optionOf[issue.field] ?? optionOf[issue.field.split('.')[0]!] ?? issue.field.split('.')[0];
    return option ? `--${option}: ${issue.message}` : issue.message;
  });
  return new SiteOptionError(lines.join('\n'));
}

export function formatStation(s: Site): string[] {
  const fields: [string, string][] = [
    ['id', s.id],
    ['kind', s.kind],
    ['name', s.name],
    ['subdistrict', `${s.subdistrict} (${SUBDISTRICT_NAMES[s.subdistrict].zh})`],
    ['address', s.address],
    ['position', `${s.position.lat}, ${s.position.lon}`],
    ['operator', s.operator ?? '-'],
    ['categories', s.categories.join(', ')],
  ];
  return fields.map(([key, value]) => `${key.padEnd(14)}${value}`);
}

export function formatVehicle(v: Vehicle): string[] {
  const fields: [string, string][] = [
    ['id', v.id],
    ['plate', v.plate],
    ['capacity', `${v.capacityKg} kg`],
    ['depot', v.depotId],
    ['categories', v.categories?.join(', ') ?? "the depot's"],
  ];
  return fields.map(([key, value]) => `${key.padEnd(14)}${value}`);
}
