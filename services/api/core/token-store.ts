/** The API token store port: the SQLite adapter implements it, tests may fake it. */
import type { ApiRole } from '../../../shared/contracts/index.ts';

export interface TokenPrincipal {
  id: string;
  role: ApiRole;
  name: string;
}

export interface TokenInfo extends TokenPrincipal {
  /** ISO 8601 instant (UTC). */
  createdAt: string;
}

export interface EnsureAdminTokenOptions {
  /** ADMIN_TOKEN from the environment, when set. */
  fixedToken?: string;
  /** Where a generated admin token is kept (DATA_DIR/admin-token). */
  tokenFile: string;
}

export interface EnsureAdminTokenResult {
  /** The admin token when it came from the file or was generated; omitted for 'env' (the caller has it). */
  token?: string;
  source: 'env' | 'file' | 'generated';
  tokenFile: string;
}

export interface TokenStore {
  /** The token's owner, or undefined when the token is unknown or revoked. */
  verify(token: string): TokenPrincipal | undefined;
  /** A new token; the plain token is returned once and only its hash is stored. */
  create(role: ApiRole, name: string): { id: string; token: string };
  /** Oldest first, without secrets. */
  list(): TokenInfo[];
  /** True when a token was revoked, false when no such id. */
  revoke(id: string): boolean;
  /** Makes sure an admin token exists at start-up; see EnsureAdminTokenResult. */
  ensureAdminToken(options: EnsureAdminTokenOptions): EnsureAdminTokenResult;
}
