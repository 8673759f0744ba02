/** The SQLite token store on a real temp file. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { createSqliteTokenStore } from '../../../services/api/adapters/sqlite-token-store.ts';

let dir: string;
let db: SqliteDatabase;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bp-tokens-'));
  db = openDatabase(join(dir, 'api.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('create, verify, revoke', () => {
  it('creates prefixed 256-bit tokens that verify to their role and name', () => {
    const store = createSqliteTokenStore(db);
    const { id, token } = store.create('engineer', 'field team');
    expect(token).toMatch(/^bp_[A-Za-z0-9_-]{43}$/);
    expect(store.verify(token)).toEqual({ id, role: 'engineer', name: 'field team', expiresAt: null });
    expect(store.verify(`${token}x`)).toBeUndefined();
    expect(store.create('engineer', 'field team').token).not.toBe(token);
  });

  it('stores only the SHA-256 of each token', () => {
    const store = createSqliteTokenStore(db);
    const { token } = store.create('manager', 'finance');
    const rows = db.prepare('SELECT * FROM api_tokens').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256(token));
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice(3));
  });

  it('lists without secrets and revokes at once', () => {
    const store = createSqliteTokenStore(db, () => Date.parse('2026-05-01T08:00:00Z'));
    const a = store.create('operator', 'ops');
    const b = store.create('admin', 'root');
    const list = store.list();
    expect(list.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(list.find((t) => t.id === a.id)).toEqual({ id: a.id, role: 'operator', name: 'ops', createdAt: '2026-05-01T08:00:00.000Z', expiresAt: null });
    expect(JSON.stringify(list)).not.toContain(a.token);

    expect(store.revoke(a.id)).toBe(true);
    expect(store.verify(a.token)).toBeUndefined();
    expect(store.verify(b.token)?.role).toBe('admin');
    expect(store.revoke(a.id)).toBe(false);
  });

  it('keeps tokens across a reopen of the file', () => {
    const { token } = createSqliteTokenStore(db).create('operator', 'ops');
    db.close();
    db = openDatabase(join(dir, 'api.sqlite'));
    expect(createSqliteTokenStore(db).verify(token)?.role).toBe('operator');
  });

  it('refuses a role outside the API roles at the database level', () => {
    createSqliteTokenStore(db);
    expect(() =>
      db.prepare("INSERT INTO api_tokens (id, role, name, token_hash, created_at) VALUES ('x', 'root', 'n', 'h', '2026-01-01T00:00:00Z')").run(),
    ).toThrow(/CHECK/);
  });
});

describe('ensureAdminToken', () => {
  const adminRows = () => (db.prepare("SELECT COUNT(*) AS n FROM api_tokens WHERE role = 'admin'").get() as { n: number }).n;

  it('env: registers ADMIN_TOKEN as admin once and writes no file', () => {
    const store = createSqliteTokenStore(db);
    const tokenFile = join(dir, 'admin-token');
    const fixedToken = 'a-very-long-admin-token-from-env-123';
    expect(store.ensureAdminToken({ fixedToken, tokenFile })).toEqual({ source: 'env', tokenFile });
    store.ensureAdminToken({ fixedToken, tokenFile });
    expect(store.verify(fixedToken)?.role).toBe('admin');
    expect(adminRows()).toBe(1);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('env: refuses a short ADMIN_TOKEN', () => {
    const store = createSqliteTokenStore(db);
    expect(() => store.ensureAdminToken({ fixedToken: 'short', tokenFile: join(dir, 't') })).toThrow(/ADMIN_TOKEN: at least 32/);
  });

  it('file: uses and registers the token already in the file', () => {
    const store = createSqliteTokenStore(db);
    const tokenFile = join(dir, 'admin-token');
    const token = 'bp_token-written-by-an-operator-0123456789';
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    expect(store.ensureAdminToken({ tokenFile })).toEqual({ token, source: 'file', tokenFile });
    expect(store.verify(token)?.role).toBe('admin');
    store.ensureAdminToken({ tokenFile });
    expect(adminRows()).toBe(1);
  });

  it('file: refuses a file with a too short token instead of overwriting it', () => {
    const store = createSqliteTokenStore(db);
    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, 'oops\n');
    expect(() => store.ensureAdminToken({ tokenFile })).toThrow(/admin token: at least 32/);
    expect(readFileSync(tokenFile, 'utf8')).toBe('oops\n');
  });

  it('generated: writes a new admin token to a 0600 file, then reuses it', () => {
    const store = createSqliteTokenStore(db);
    const tokenFile = join(dir, 'nested', 'admin-token');
    const first = store.ensureAdminToken({ tokenFile });
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^bp_/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(first.token);
    expect(store.verify(first.token ?? '')?.role).toBe('admin');

    const second = store.ensureAdminToken({ tokenFile });
    expect(second).toEqual({ token: first.token, source: 'file', tokenFile });
    expect(adminRows()).toBe(1);
  });
});
