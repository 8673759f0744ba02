/** Turns `fleet add` options into a device, naming the option at fault when one is wrong. */
import type { NewDevice, Site } from '../../shared/contracts/index.ts';
import { localDay } from '../../shared/units.ts';
import { checkNewDevice, type DeviceIssue } from './core/device-validation.ts';
import { BOX_COMPARTMENTS } from './core/demo-fleet.ts';

export const ADD_OPTIONS = {
  id: { type: 'string' },
  kind: { type: 'string' },
  name: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  subdistrict: { type: 'string' },
  community: { type: 'string' },
  address: { type: 'string' },
  'grid-cell': { type: 'string' },
  responsible: { type: 'string' },
  compartments: { type: 'string' },
  'camera-point-type': { type: 'string' },
  'installed-on': { type: 'string' },
  site: { type: 'string' },
} as const;

type AddOption = keyof typeof ADD_OPTIONS;
export type AddValues = Partial<Record<AddOption, string>>;

const REQUIRED: readonly AddOption[] = [
  'id', 'kind', 'name', 'lat', 'lon', 'subdistrict', 'community', 'address', 'grid-cell', 'responsible',
];

/** Device field → the option that sets it. */
const OPTION_OF_FIELD: Record<string, AddOption> = {
  id: 'id',
  kind: 'kind',
  name: 'name',
  lat: 'lat',
  lon: 'lon',
  subdistrict: 'subdistrict',
  community: 'community',
  address: 'address',
  gridCell: 'grid-cell',
  responsiblePerson: 'responsible',
  compartments: 'compartments',
  cameraPointType: 'camera-point-type',
  installedOn: 'installed-on',
  siteId: 'site',
};

export class AddOptionError extends Error {
  override name = 'AddOptionError';
}

export interface AddContext {
  now: Date;
  utcOffsetMinutes: number;
  /** The registry's sites: a scale's --site must be one. */
  siteOf?: (id: string) => Site | undefined;
}

/** Throws AddOptionError ("--lat: ...") on the first problems found; all of them, one per line. */
export function deviceFromAddOptions(values: AddValues, context: AddContext): NewDevice {
  const missing = REQUIRED.filter((option) => values[option] === undefined);
  if (missing.length > 0) throw new AddOptionError(missing.map((o) => `--${o}: required`).join('\n'));

  const kind = values.kind!;
  const input = {
    id: values.id,
    kind,
    name: values.name,
    lat: number('lat', values.lat!),
    lon: number('lon', values.lon!),
    subdistrict: values.subdistrict,
    community: values.community,
    address: values.address,
    // A box without --compartments gets the district's standard five.
    compartments:
      values.compartments !== undefined
        ? compartments(values.compartments)
        : kind === 'box'
          ? BOX_COMPARTMENTS.map((c) => ({ ...c }))
          : [],
    cameraPointType: values['camera-point-type'] ?? null,
    // Today in the district, not in UTC: before 08:00 Beijing time UTC is still on yesterday.
    installedOn: values['installed-on'] ?? localDay(context.now.getTime(), context.utcOffsetMinutes),
    gridCell: values['grid-cell'],
    responsiblePerson: values.responsible,
    ...(values.site === undefined ? {} : { siteId: values.site }),
  };
  const check = checkNewDevice(input, context.siteOf);
  if (!check.ok) throw new AddOptionError(check.issues.map(describeAsOption).join('\n'));
  return check.device;
}

function describeAsOption(issue: DeviceIssue): string {
  const option = OPTION_OF_FIELD[issue.field.split('.')[0] ?? ''];
  return option === undefined ? `${issue.field || 'device'}: ${issue.message}` : `--${option}: ${issue.message}`;
}

function number(option: AddOption, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new AddOptionError(`--${option}: expected a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** "paper:150,plastic:60" → [{ category: 'paper', capacityKg: 150 }, ...]; categories are checked later. */
function compartments(text: string): { category: string; capacityKg: number }[] {
  if (text.trim() === '') return [];
  return text.split(',').map((pair) => {
    const match = /^\s*([a-z]+)\s*:\s*([0-9.]+)\s*$/i.exec(pair);
    const capacityKg = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(capacityKg)) {
      throw new AddOptionError(
        `--compartments: expected category:kg pairs like paper:150,plastic:60, got ${JSON.stringify(pair)}`,
      );
    }
    return { category: match[1]!.toLowerCase(), capacityKg };
  });
}
