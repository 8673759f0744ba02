/** The API token store port: the SQLite adapter implements it, tests may fake it. */
import type { ApiRole } from '../../../shared/contracts/index.ts';

export interface TokenPrincipal {
  id: string;
  role: ApiRole;
  name: string;
  /** Epoch ms after which the token is refused; null: valid until revoked. */
  expiresAt?: number | null;
}

export interface TokenInfo {
  id: string;
  role: ApiRole;
  name: string;
  /** ISO 8601 instant (UTC). */
  createdAt: string;
  /** ISO 8601 instant (UTC) after which the token is refused; null: until revoked. */
  expiresAt: string | null;
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
  /** The token file held a revoked token: a new one was generated into it. */
  replacedRevoked?: boolean;
}

export interface CreateTokenOptions {
  /** Overrides the store's default maximum age (TOKEN_MAX_AGE_DAYS). */
  expiresInDays?: number;
}

/** Called with a token's id once it is revoked or has expired: sessions holding it must end. */
export type TokenEndedListener = (tokenId: string, why: 'revoked' | 'expired') => void;

export interface TokenStore {
  /** The token's owner, or undefined when the token is unknown, revoked or expired. */
  verify(token: string): TokenPrincipal | undefined;
  /** A new token; the plain token is returned once and only its hash is stored. */
  create(role: ApiRole, name: string, options?: CreateTokenOptions): { id: string; token: string; expiresAt: string | null };
  /** Tokens still valid, oldest first, without secrets. */
  list(): TokenInfo[];
  /** True when a token was revoked, false when no such (unrevoked) id. Listeners hear of it before this returns. */
  revoke(id: string): boolean;
  /** Makes sure an admin token exists at start-up; see EnsureAdminTokenResult. */
  ensureAdminToken(options: EnsureAdminTokenOptions): EnsureAdminTokenResult;
  /** Listens for revoked and expired tokens; returns the unsubscribe function. */
  onTokenEnded(listener: TokenEndedListener): () => void;
  /** Tells listeners about tokens that expired since the last call (the platform calls it periodically). */
  sweepExpired(): string[];
}
