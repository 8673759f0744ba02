/**
 * Who may do what. One table, so a role's reach is reviewed in one place and the OpenAPI
 * document can say which roles a route needs.
 */
import { API_ROLES, type ApiRole } from '../../../shared/contracts/index.ts';

export const PERMISSIONS = [
  'devices:read',
  'summary:read',
  'reports:read',
  'deadletters:read',
  'fleet:write',
  'tokens:manage',
  'alerts:read',
  'alerts:act',
  'silences:manage',
  'plans:read',
  'plans:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_MATRIX: Readonly<Record<Permission, readonly ApiRole[]>> = {
  // Every role works from the device list: operators for fill levels, engineers for health.
  'devices:read': API_ROLES,
  // The dashboard's headline numbers are aggregates only, so every role sees them.
  'summary:read': API_ROLES,
  // Recycling tonnage is operational and management data, not a device-health concern.
  'reports:read': ['operator', 'manager', 'admin'],
  // Dead letters quote raw payloads: only those who debug devices read them.
  'deadletters:read': ['engineer', 'admin'],
  // Provisioning hands out MQTT secrets; managing tokens hands out API access.
  'fleet:write': ['admin'],
  'tokens:manage': ['admin'],
  // Alerts are the shared picture of what needs doing: everyone sees them (silences included).
  'alerts:read': API_ROLES,
  // Acknowledging or resolving is field work; managers follow alerts but do not take them on.
  'alerts:act': ['operator', 'engineer', 'admin'],
  // A silence mutes notifications for whole areas or device kinds: those who run maintenance
  // windows set them, operators (who would mute what they are meant to act on) do not.
  'silences:manage': ['engineer', 'admin'],
  // Shift plans say which boxes are emptied when: read by everyone who reads the devices.
  'plans:read': API_ROLES,
  // Planning a shift is the operators' daily work (admins stand in).
  'plans:write': ['operator', 'admin'],
};

export function can(role: ApiRole, permission: Permission): boolean {
  return PERMISSION_MATRIX[permission].includes(role);
}

export function rolesWith(permission: Permission): readonly ApiRole[] {
  return PERMISSION_MATRIX[permission];
}
