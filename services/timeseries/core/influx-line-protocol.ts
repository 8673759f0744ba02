/**
 * InfluxDB line protocol, as InfluxDB 1.x, 2.x and 3.x parse it. Pure.
 *
 * Written by hand rather than with the client's Point because numeric fields must always be
 * floats spelled with a decimal point (`40.0`, never `40` or `40i`): a field's type is fixed by
 * its first write, and a conflicting type later drops points ("field type conflict").
 */

export type FieldValue = number | boolean | string;

export interface LinePoint {
  measurement: string;
  /** Empty values are left out: line protocol has no empty tag value. */
  tags: Readonly<Record<string, string>>;
  /** undefined/null fields are left out (e.g. a box without a battery). */
  fields: Readonly<Record<string, FieldValue | null | undefined>>;
  /** Nanoseconds since the epoch, as decimal digits (ns do not fit a JS number exactly). */
  timestampNs: string;
}

/** A value line protocol cannot carry; the record is set aside, not the whole batch. */
export class UnencodableError extends Error {
  override name = 'UnencodableError';
}

const escapeWith = (pattern: RegExp) => (value: string) => value.replace(pattern, (ch) => `\\${ch}`);

/** Measurement names: comma and space. */
export const escapeMeasurement = escapeWith(/[, ]/g);
/** Tag keys, tag values and field keys: comma, equals sign and space. */
export const escapeKey = escapeWith(/[,= ]/g);
/** String field values: backslash and double quote, inside double quotes. */
export const quoteString = (value: string): string => `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;

function checkName(what: string, value: string): void {
  // No escape for line breaks exists in 1.x, and a trailing backslash would escape the
  // separator that follows it: both would corrupt the line, so refuse them.
  if (/[\r\n]/.test(value)) throw new UnencodableError(`${what} ${JSON.stringify(value)} contains a line break`);
  if (value.endsWith('\\')) throw new UnencodableError(`${what} ${JSON.stringify(value)} ends with a backslash`);
}

/** A float with a decimal point or exponent, so no server ever reads it as an integer. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) throw new UnencodableError(`${value} is not a finite number`);
  const text = String(value);
  // String() writes integers below 1e21 without a point or exponent, everything else with one.
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${text}.0` : text;
}

function formatField(key: string, value: FieldValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quoteString(value);
  try {
    return formatFloat(value);
  } catch (error) {
    throw new UnencodableError(`field ${key}: ${(error as Error).message}`);
  }
}

/**
 * One line. Tags are sorted by key (InfluxDB's own order, cheaper for it to index); fields are
 * written in the order given. Throws UnencodableError when the point cannot be represented.
 */
export function formatLine(point: LinePoint): string {
  checkName('measurement', point.measurement);
  if (!/^\d{1,19}$/.test(point.timestampNs)) {
    throw new UnencodableError(`timestamp ${JSON.stringify(point.timestampNs)} is not a non-negative ns count`);
  }
  let line = escapeMeasurement(point.measurement);
  for (const key of Object.keys(point.tags).sort()) {
    const value = point.tags[key]!;
    if (value === '') continue;
    checkName('tag key', key);
    checkName(`tag ${key}`, value);
    line += `,${escapeKey(key)}=${escapeKey(value)}`;
  }
  const fields: string[] = [];
  for (const [key, value] of Object.entries(point.fields)) {
    if (value === undefined || value === null) continue;
    checkName('field key', key);
    fields.push(`${escapeKey(key)}=${formatField(key, value)}`);
  }
  if (fields.length === 0) throw new UnencodableError(`${point.measurement}: a point needs at least one field`);
  return `${line} ${fields.join(',')} ${point.timestampNs}`;
}
