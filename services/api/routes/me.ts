/** GET /api/v1/me: who a token belongs to and what it may do, so a client shows only what its role can use. */
import { Me } from '../../../shared/contracts/index.ts';
import { can, PERMISSIONS } from '../core/permissions.ts';
import type { ZodApp } from '../deps.ts';

export function meRoutes(app: ZodApp): void {
  app.get(
    '/api/v1/me',
    {
      // Any valid token may ask who it is. Every route must name a permission (auth.ts), and
      // summary:read is the one every role holds, by design (the headline numbers are for all).
      config: { permission: 'summary:read' },
      schema: {
        tags: ['tokens'],
        summary: "The calling token's name, role and permissions",
        description: 'For clients such as the web console, which offer only what the role may do; the API checks every permission itself.',
        response: { 200: Me },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        id: principal.id,
        name: principal.name,
        role: principal.role,
        permissions: PERMISSIONS.filter((p) => can(principal.role, p)),
      };
    },
  );
}
