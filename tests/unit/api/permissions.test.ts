import { describe, expect, it } from 'vitest';
import { API_ROLES } from '../../../shared/contracts/index.ts';
import { can, PERMISSIONS, rolesWith } from '../../../services/api/core/permissions.ts';

describe('permission matrix', () => {
  // Written out in full on purpose: widening a role must change this table too.
  const expected = {
    operator: ['devices:read', 'summary:read', 'reports:read', 'alerts:read', 'alerts:act', 'plans:read', 'plans:write'],
    engineer: ['devices:read', 'summary:read', 'deadletters:read', 'alerts:read', 'alerts:act', 'silences:manage', 'plans:read'],
    manager: ['devices:read', 'summary:read', 'reports:read', 'alerts:read', 'plans:read'],
    admin: [
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
    ],
  } as const;

  it.each(API_ROLES)('%s has exactly its permissions', (role) => {
    expect(PERMISSIONS.filter((p) => can(role, p))).toEqual(expected[role]);
  });

  it('only admins write the fleet or manage tokens', () => {
    expect(rolesWith('fleet:write')).toEqual(['admin']);
    expect(rolesWith('tokens:manage')).toEqual(['admin']);
  });

  it('managers follow alerts but neither act on them nor silence them', () => {
    expect(can('manager', 'alerts:read')).toBe(true);
    expect(can('manager', 'alerts:act')).toBe(false);
    expect(can('manager', 'silences:manage')).toBe(false);
    expect(rolesWith('silences:manage')).toEqual(['engineer', 'admin']);
  });

  it('everyone reads shift plans; operators and admins make them', () => {
    expect(rolesWith('plans:read')).toEqual(rolesWith('devices:read'));
    expect(rolesWith('plans:write')).toEqual(['operator', 'admin']);
  });
});
