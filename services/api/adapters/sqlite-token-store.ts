/**
 * API bearer tokens in SQLite. Only a SHA-256 of each token is stored: a copy of the database
 * (a backup, a support bundle) gives no API access. Tokens are 256 random bits, so a plain
 * hash is enough; a slow password hash would only slow every request down.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { API_ROLES, ApiRole } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../platform/adapters/sqlite.ts';
import type {
  EnsureAdminTokenOptions,
  EnsureAdminTokenResult,
  TokenInfo,
  TokenPrincipal,
  TokenStore,
} from '../core/token-store.ts';

/** Readable prefix: secret scanners and people can tell a BinPulse token at a glance. */
export const TOKEN_PREFIX = 'bp_';
/** The same floor as ADMIN_TOKEN's in shared/config.ts. */
const MIN_TOKEN_LENGTH = 24;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

interface TokenRow {
  id: string;
  role: string;
  name: string;
  created_at: string;
}

export function createSqliteTokenStore(db: SqliteDatabase, now: () => number = Date.now): TokenStore {
  const roles = API_ROLES.map((r) => `'${r}'`).join(', ');
  db.exec(`
    CREATE TABLE IF NOT EXISTS api_tokens (
      id         TEXT PRIMARY KEY,
      role       TEXT NOT NULL CHECK (role IN (${roles})),
      name       TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    )`);
  const byHash = db.prepare<[string], TokenRow>('SELECT id, role, name, created_at FROM api_tokens WHERE token_hash = ?');
  const insert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO api_tokens (id, role, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const all = db.prepare<[], TokenRow>('SELECT id, role, name, created_at FROM api_tokens ORDER BY created_at, id');
  const remove = db.prepare<[string]>('DELETE FROM api_tokens WHERE id = ?');

  function register(token: string, role: ApiRole, name: string): string {
    const id = `tok_${randomBytes(8).toString('hex')}`;
    insert.run(id, role, name, hashToken(token), new Date(now()).toISOString());
    return id;
  }

  /** Registers an existing token as admin unless its hash is already known. */
  function registerAdmin(token: string, name: string): void {
    if (byHash.get(hashToken(token)) === undefined) register(token, 'admin', name);
  }

  return {
    verify(token) {
      const row = byHash.get(hashToken(token));
      if (row === undefined) return undefined;
      return { id: row.id, role: ApiRole.parse(row.role), name: row.name } satisfies TokenPrincipal;
    },
    create(role, name) {
      const token = generateToken();
      return { id: register(token, role, name), token };
    },
    list() {
      return all.all().map(
        (row): TokenInfo => ({ id: row.id, role: ApiRole.parse(row.role), name: row.name, createdAt: row.created_at }),
      );
    },
    revoke(id) {
      return remove.run(id).changes > 0;
    },
    ensureAdminToken({ fixedToken, tokenFile }: EnsureAdminTokenOptions): EnsureAdminTokenResult {
      if (fixedToken !== undefined) {
        if (fixedToken.length < MIN_TOKEN_LENGTH) throw new Error(`ADMIN_TOKEN: at least ${MIN_TOKEN_LENGTH} characters`);
        registerAdmin(fixedToken, 'admin (ADMIN_TOKEN)');
        return { source: 'env', tokenFile };
      }
      if (existsSync(tokenFile)) {
        const token = readFileSync(tokenFile, 'utf8').trim();
        // Never overwrite a file someone edited: a short token is a mistake to fix by hand.
        if (token.length < MIN_TOKEN_LENGTH) {
          throw new Error(`${tokenFile}: admin token shorter than ${MIN_TOKEN_LENGTH} characters`);
        }
        registerAdmin(token, 'admin (token file)');
        return { token, source: 'file', tokenFile };
      }
      const token = generateToken();
      mkdirSync(dirname(tokenFile), { recursive: true });
      // File first, then the database: if we crash in between, the next start registers the file.
      // 'wx' refuses to clobber a file that appeared meanwhile; 0600 keeps other users out.
      writeFileSync(tokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' });
      registerAdmin(token, 'admin (generated)');
      return { token, source: 'generated', tokenFile };
    },
  };
}
