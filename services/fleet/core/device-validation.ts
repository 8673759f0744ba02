/**
 * Checks a device to be provisioned: the NewDevice contract plus the rules between fields
 * that the contract cannot express, reported per field so the CLI can name its options.
 */
import { z } from 'zod';
import { NewDevice, type Device, type Site } from '../../../shared/contracts/index.ts';

export interface DeviceIssue {
  /** The Device field at fault, e.g. "lat" or "compartments.1.capacityKg"; "" for the whole record. */
  field: string;
  message: string;
}

export type DeviceCheck = { ok: true; device: Device } | { ok: false; issues: DeviceIssue[] };

/** @param siteOf looks a site up by id (a scale must weigh at one); without it no scale passes. */
export function checkNewDevice(input: unknown, siteOf: (id: string) => Site | undefined = () => undefined): DeviceCheck {
  const parsed = NewDevice.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toDeviceIssues) };
  const device = parsed.data;
  const issues: DeviceIssue[] = [];
  // A camera point stores nothing; a compartment on it would show up in tonnage reports.
  if (device.kind === 'camera' && device.compartments.length > 0) {
    issues.push({ field: 'compartments', message: 'a camera has no compartments' });
  }
  if (device.kind === 'box' && device.cameraPointType !== null) {
    issues.push({ field: 'cameraPointType', message: 'only cameras have a camera point type' });
  }
  // A weigh ticket is about a place: the mass balance reads the scale's site, not its address (issue 14).
  if (device.kind === 'scale') {
    if (device.siteId === undefined) issues.push({ field: 'siteId', message: 'a scale must name its site' });
    else if (siteOf(device.siteId) === undefined) issues.push({ field: 'siteId', message: `no site "${device.siteId}"` });
    if (device.compartments.length > 0) issues.push({ field: 'compartments', message: 'a scale has no compartments' });
    if (device.cameraPointType !== null) issues.push({ field: 'cameraPointType', message: 'only cameras have a camera point type' });
  } else if (device.siteId !== undefined) {
    issues.push({ field: 'siteId', message: 'only scales have a site' });
  }
  // Telemetry names compartments by category, so two of the same would be indistinguishable.
  const categories = device.compartments.map((c) => c.category);
  const repeated = categories.find((c, i) => categories.indexOf(c) !== i);
  if (repeated !== undefined) {
    issues.push({ field: 'compartments', message: `category "${repeated}" appears twice` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, device };
}

/** "lat: Too big: expected number to be <=90; name: ..." */
export function describeIssues(issues: readonly DeviceIssue[]): string {
  return issues.map((i) => (i.field === '' ? i.message : `${i.field}: ${i.message}`)).join('; ');
}

function toDeviceIssues(issue: z.core.$ZodIssue): DeviceIssue[] {
  const at = issue.path.map(String).join('.');
  // An unknown key's issue sits on the parent object; name the keys themselves instead.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: at === '' ? key : `${at}.${key}`, message: 'not a device field' }));
  }
  return [{ field: at, message: issue.message }];
}
