import { describe, expect, it } from 'vitest';
import { API_ROLES } from '../../../shared/contracts/index.ts';
import { can, PERMISSIONS, rolesWith } from '../../../services/api/core/permissions.ts';

describe('permission matrix', () => {
  // Written out in full on purpose: widening a role must change this table too.
  const expected = {
    operator: ['devices:read', 'summary:read', 'reports:read'],
    engineer: ['devices:read', 'summary:read', 'deadletters:read'],
    manager: ['devices:read', 'summary:read', 'reports:read'],
    admin: ['devices:read', 'summary:read', 'reports:read', 'deadletters:read', 'fleet:write', 'tokens:manage'],
  } as const;

  it.each(API_ROLES)('%s has exactly its permissions', (role) => {
    expect(PERMISSIONS.filter((p) => can(role, p))).toEqual(expected[role]);
  });

  it('only admins write the fleet or manage tokens', () => {
    expect(rolesWith('fleet:write')).toEqual(['admin']);
    expect(rolesWith('tokens:manage')).toEqual(['admin']);
  });
});
