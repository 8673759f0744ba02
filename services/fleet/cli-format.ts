/** How the fleet CLI shows devices to a person at a terminal. */
import { SUBDISTRICT_NAMES, type Device } from '../../shared/contracts/index.ts';

// East Asian wide and fullwidth characters take two terminal columns; Chinese names would
// otherwise push every column after them out of line.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

const padEnd = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** Columns padded to the widest cell; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, col) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[col] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : padEnd(cell, widths[col]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatDeviceList(devices: readonly Device[]): string[] {
  const rows = devices.map((d) => [d.id, d.kind, d.subdistrict, d.community, d.name]);
  const noun = devices.length === 1 ? 'device' : 'devices';
  return [...formatTable(['ID', 'KIND', 'SUBDISTRICT', 'COMMUNITY', 'NAME'], rows), `${devices.length} ${noun}`];
}

export function formatDevice(d: Device): string[] {
  const compartments = d.compartments.map((c) => `${c.category} ${c.capacityKg} kg`).join(', ');
  const fields: [string, string][] = [
    ['id', d.id],
    ['kind', d.kind],
    ['name', d.name],
    ['subdistrict', `${d.subdistrict} (${SUBDISTRICT_NAMES[d.subdistrict].zh})`],
    ['community', d.community],
    ['address', d.address],
    ['position', `${d.lat}, ${d.lon}`],
    ['compartments', compartments || '-'],
    ['camera point', d.cameraPointType ?? '-'],
    ['installed on', d.installedOn],
    ['grid cell', `${d.gridCell} (responsible: ${d.responsiblePerson})`],
  ];
  return fields.map(([key, value]) => `${padEnd(key, 14)}${value}`);
}
