/**
 * Which views and actions a signed-in token gets, from the permissions GET /api/v1/me returns.
 * The API enforces every permission itself; this only keeps the console from offering what
 * would be refused (a manager sees no acknowledge button, an engineer no tonnage view).
 */
import type { ApiRole } from '../../../shared/contracts/index.ts';

export type ConsoleView = 'operations' | 'health' | 'tonnage' | 'plans' | 'participation' | 'mass-balance';

export interface ViewSpec {
  view: ConsoleView;
  /** Every one of these is needed to open the view. */
  needs: readonly string[];
  /** Only these roles get the view (unset: every role with the permissions). */
  roles?: readonly ApiRole[];
}

export const VIEWS: readonly ViewSpec[] = [
  { view: 'operations', needs: ['devices:read', 'alerts:read'] },
  { view: 'health', needs: ['devices:read'] },
  { view: 'tonnage', needs: ['reports:read'] },
  // Every role reads plans: operators plan and follow them, managers check completion, engineers see where crews go.
  { view: 'plans', needs: ['plans:read'] },
  // Participation is the managers' (issue 14); operators may read the report through the API, their screens are the day's work.
  { view: 'participation', needs: ['reports:read'], roles: ['manager', 'admin'] },
  // The mass balance (issue 14) is the managers' check on the whole chain; operators read it through the API.
  { view: 'mass-balance', needs: ['reports:read'], roles: ['manager', 'admin'] },
];

/** Where each role starts: its daily work. */
const HOME: Record<ApiRole, ConsoleView> = { operator: 'operations', engineer: 'health', manager: 'tonnage', admin: 'operations' };

export interface Access {
  role: ApiRole;
  permissions: readonly string[];
}

export const allows = (access: Access, permission: string): boolean => access.permissions.includes(permission);

export function visibleViews(access: Access): ViewSpec[] {
  return VIEWS.filter((spec) => spec.needs.every((p) => allows(access, p)) && (spec.roles === undefined || spec.roles.includes(access.role)));
}

/** The requested view if the token may open it, else the role's home, else the first it may open. */
export function resolveView(access: Access, requested: string | undefined): ConsoleView | undefined {
  const views = visibleViews(access).map((s) => s.view);
  if (requested !== undefined && (views as string[]).includes(requested)) return requested as ConsoleView;
  return views.includes(HOME[access.role]) ? HOME[access.role] : views[0];
}
