/**
 * API bearer tokens in SQLite. Only a SHA-256 of each token is stored: a copy of the database
 * (a backup, a support bundle) gives no API access. Tokens are 256 random bits, so a plain
 * hash is enough; a slow password hash would only slow every request down.
 *
 * Revocation sticks (issue 15): a revoked token's row stays, marked revoked_at, so the same
 * token can never be registered again, not even by the bootstrap below after a restart.
 *
 * The bootstrap admin token (ADMIN_TOKEN or DATA_DIR/admin-token) is marked with where it came
 * from. At start-up the one in use is the bootstrap; every other bootstrap token is retired
 * (an old ADMIN_TOKEN stops working once the variable changes). A revoked token in the file is
 * replaced by a newly generated one; a revoked ADMIN_TOKEN refuses start-up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { API_ROLES, ApiRole } from '../../../shared/contracts/index.ts';
import { tokenWeakness } from '../../../shared/token-strength.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type {
  EnsureAdminTokenOptions,
  EnsureAdminTokenResult,
  TokenEndedListener,
  TokenInfo,
  TokenPrincipal,
  TokenStore,
} from '../core/token-store.ts';

/** Readable prefix: secret scanners and people can tell a BinPulse token at a glance. */
export const TOKEN_PREFIX = 'bp_';
const DAY_MS = 86_400_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface SqliteTokenStoreOptions {
  /** TOKEN_MAX_AGE_DAYS: tokens created from now on expire after this many days; unset: never. */
  maxAgeDays?: number;
}

type Bootstrap = 'env' | 'file';

interface TokenRow {
  id: string;
  role: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  bootstrap: Bootstrap | null;
}

/** Adds what issue 15 needs to a table made before it; names tell the old bootstrap rows apart. */
function migrate(db: SqliteDatabase): void {
  const columns = new Set((db.prepare('PRAGMA table_info(api_tokens)').all() as { name: string }[]).map((c) => c.name));
  db.transaction(() => {
    if (!columns.has('expires_at')) db.exec('ALTER TABLE api_tokens ADD COLUMN expires_at TEXT');
    if (!columns.has('revoked_at')) db.exec('ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT');
    if (!columns.has('bootstrap')) {
      db.exec("ALTER TABLE api_tokens ADD COLUMN bootstrap TEXT CHECK (bootstrap IN ('env', 'file'))");
      db.exec("UPDATE api_tokens SET bootstrap = 'env' WHERE name = 'admin (ADMIN_TOKEN)'");
      db.exec("UPDATE api_tokens SET bootstrap = 'file' WHERE name IN ('admin (token file)', 'admin (generated)')");
    }
  })();
}

/** Replaces the token file atomically, readable by its owner only. */
function writeTokenFile(tokenFile: string, token: string, replace: boolean): void {
  mkdirSync(dirname(tokenFile), { recursive: true, mode: 0o700 });
  if (!replace) {
    // 'wx' refuses to clobber a file that appeared meanwhile; 0600 keeps other users out.
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(tokenFile, 0o600);
    return;
  }
  const temp = join(dirname(tokenFile), `.${basename(tokenFile)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'w' });
    chmodSync(temp, 0o600);
    renameSync(temp, tokenFile);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function createSqliteTokenStore(
  db: SqliteDatabase,
  now: () => number = Date.now,
  options: SqliteTokenStoreOptions = {},
): TokenStore {
  const roles = API_ROLES.map((r) => `'${r}'`).join(', ');
  db.exec(`
    CREATE TABLE IF NOT EXISTS api_tokens (
      id         TEXT PRIMARY KEY,
      role       TEXT NOT NULL CHECK (role IN (${roles})),
      name       TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    )`);
  migrate(db);
  const COLUMNS = 'id, role, name, created_at, expires_at, revoked_at, bootstrap';
  const byHash = db.prepare<[string], TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`);
  const insert = db.prepare<[string, string, string, string, string, string | null, Bootstrap | null]>(
    'INSERT INTO api_tokens (id, role, name, token_hash, created_at, expires_at, bootstrap) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const valid = db.prepare<[string], TokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id`,
  );
  const markRevoked = db.prepare<[string, string]>('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const otherBootstraps = db.prepare<[string], { id: string }>(
    'SELECT id FROM api_tokens WHERE bootstrap IS NOT NULL AND revoked_at IS NULL AND token_hash <> ?',
  );
  const expiredBetween = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM api_tokens WHERE revoked_at IS NULL AND expires_at > ? AND expires_at <= ?',
  );
  const listeners = new Set<TokenEndedListener>();
  let sweptUntil = new Date(now()).toISOString();

  const iso = (ms: number) => new Date(ms).toISOString();
  const isLive = (row: TokenRow) => row.revoked_at === null && (row.expires_at === null || row.expires_at > iso(now()));

  function tell(id: string, why: 'revoked' | 'expired'): void {
    for (const listener of [...listeners]) listener(id, why);
  }

  function register(token: string, role: ApiRole, name: string, expiresAt: string | null, bootstrap: Bootstrap | null): string {
    const id = `tok_${randomBytes(8).toString('hex')}`;
    insert.run(id, role, name, hashToken(token), iso(now()), expiresAt, bootstrap);
    return id;
  }

  /** The bootstrap admin token is `token` from now on: registered once, every other bootstrap retired. */
  function bootstrapAdmin(token: string, name: string, bootstrap: Bootstrap): void {
    db.transaction(() => {
      const hash = hashToken(token);
      if (byHash.get(hash) === undefined) register(token, 'admin', name, null, bootstrap);
      for (const { id } of otherBootstraps.all(hash)) markRevoked.run(iso(now()), id);
    })();
  }

  return {
    verify(token) {
      const row = byHash.get(hashToken(token));
      if (row === undefined || !isLive(row)) return undefined;
      return {
        id: row.id,
        role: ApiRole.parse(row.role),
        name: row.name,
        expiresAt: row.expires_at === null ? null : Date.parse(row.expires_at),
      } satisfies TokenPrincipal;
    },
    create(role, name, createOptions = {}) {
      const days = createOptions.expiresInDays ?? options.maxAgeDays;
      const expiresAt = days === undefined ? null : iso(now() + days * DAY_MS);
      const token = generateToken();
      return { id: register(token, role, name, expiresAt, null), token, expiresAt };
    },
    list() {
      return valid.all(iso(now())).map(
        (row): TokenInfo => ({
          id: row.id,
          role: ApiRole.parse(row.role),
          name: row.name,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }),
      );
    },
    revoke(id) {
      if (markRevoked.run(iso(now()), id).changes === 0) return false;
      tell(id, 'revoked');
      return true;
    },
    onTokenEnded(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    sweepExpired() {
      const until = iso(now());
      const ids = expiredBetween.all(sweptUntil, until).map((r) => r.id);
      sweptUntil = until;
      for (const id of ids) tell(id, 'expired');
      return ids;
    },
    ensureAdminToken({ fixedToken, tokenFile }: EnsureAdminTokenOptions): EnsureAdminTokenResult {
      if (fixedToken !== undefined) {
        const weakness = tokenWeakness(fixedToken);
        if (weakness !== undefined) throw new Error(`ADMIN_TOKEN: ${weakness}`);
        const row = byHash.get(hashToken(fixedToken));
        if (row !== undefined && !isLive(row)) {
          throw new Error('ADMIN_TOKEN: this token was revoked; set a new one (e.g. openssl rand -base64 32)');
        }
        bootstrapAdmin(fixedToken, 'admin (ADMIN_TOKEN)', 'env');
        return { source: 'env', tokenFile };
      }
      if (existsSync(tokenFile)) {
        const token = readFileSync(tokenFile, 'utf8').trim();
        const row = byHash.get(hashToken(token));
        if (row !== undefined && !isLive(row)) {
          // Revoked: replaced, never resurrected. The file is ours (we generated it) and its
          // token is dead, so overwriting it loses nothing.
          const fresh = generateToken();
          writeTokenFile(tokenFile, fresh, true);
          bootstrapAdmin(fresh, 'admin (generated)', 'file');
          return { token: fresh, source: 'generated', tokenFile, replacedRevoked: true };
        }
        // Never overwrite a file someone edited: a weak token is a mistake to fix by hand.
        const weakness = tokenWeakness(token);
        if (weakness !== undefined) throw new Error(`${tokenFile}: admin token: ${weakness}`);
        try {
          chmodSync(tokenFile, 0o600);
        } catch {
          // Another owner's file: used as before; the platform warns about DATA_DIR's modes.
        }
        bootstrapAdmin(token, 'admin (token file)', 'file');
        return { token, source: 'file', tokenFile };
      }
      const token = generateToken();
      // File first, then the database: if we crash in between, the next start registers the file.
      writeTokenFile(tokenFile, token, false);
      bootstrapAdmin(token, 'admin (generated)', 'file');
      return { token, source: 'generated', tokenFile };
    },
  };
}
