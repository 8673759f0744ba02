/**
 * Issue 15: revocation sticks, the bootstrap admin token is replaced instead of resurrected,
 * an old ADMIN_TOKEN stops working, tokens may expire. The SQLite store on a real file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteTokenStore } from '../../../services/api/adapters/sqlite-token-store.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';

let dir: string;
let db: SqliteDatabase;
const file = () => join(dir, 'api.sqlite');
const reopen = () => {
  db.close();
  db = openDatabase(file());
};
const ENV_A = 'bp_q7Vd2LxN9sKwT4mRz8HcYp3JfB6gUe1A';
const ENV_B = 'bp_Zk4Qw8Er2Ty6Ui0Op3As7Df1Gh5Jk9L';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bp-token-life-'));
  db = openDatabase(file());
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('revocation sticks', () => {
  it('a revoked token stays refused after the database is reopened', () => {
    const { id, token } = createSqliteTokenStore(db).create('operator', 'ops');
    expect(createSqliteTokenStore(db).revoke(id)).toBe(true);
    reopen();
    const store = createSqliteTokenStore(db);
    expect(store.verify(token)).toBeUndefined();
    expect(store.list().map((t) => t.id)).not.toContain(id);
    expect(store.revoke(id)).toBe(false);
  });

  it('a revoked generated admin token is replaced in the token file, not resurrected', () => {
    const tokenFile = join(dir, 'admin-token');
    const first = createSqliteTokenStore(db).ensureAdminToken({ tokenFile });
    const store = createSqliteTokenStore(db);
    const id = store.verify(first.token!)!.id;
    store.revoke(id);
    reopen();
    const again = createSqliteTokenStore(db).ensureAdminToken({ tokenFile });
    expect(again).toMatchObject({ source: 'generated', replacedRevoked: true });
    expect(again.token).not.toBe(first.token);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(again.token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const after = createSqliteTokenStore(db);
    expect(after.verify(first.token!)).toBeUndefined();
    expect(after.verify(again.token!)?.role).toBe('admin');
  });

  it('a revoked ADMIN_TOKEN refuses start-up naming ADMIN_TOKEN', () => {
    const tokenFile = join(dir, 'admin-token');
    const store = createSqliteTokenStore(db);
    store.ensureAdminToken({ fixedToken: ENV_A, tokenFile });
    store.revoke(store.verify(ENV_A)!.id);
    reopen();
    expect(() => createSqliteTokenStore(db).ensureAdminToken({ fixedToken: ENV_A, tokenFile })).toThrow(/ADMIN_TOKEN: this token was revoked/);
    expect(createSqliteTokenStore(db).verify(ENV_A)).toBeUndefined();
  });

  it('after ADMIN_TOKEN changes the old one no longer works; nor does the file token it replaced', () => {
    const tokenFile = join(dir, 'admin-token');
    const generated = createSqliteTokenStore(db).ensureAdminToken({ tokenFile }).token!;
    reopen();
    createSqliteTokenStore(db).ensureAdminToken({ fixedToken: ENV_A, tokenFile });
    reopen();
    const store = createSqliteTokenStore(db);
    store.ensureAdminToken({ fixedToken: ENV_B, tokenFile });
    expect(store.verify(ENV_A)).toBeUndefined();
    expect(store.verify(generated)).toBeUndefined();
    expect(store.verify(ENV_B)?.role).toBe('admin');
    // Tokens made by people are not bootstrap tokens and are left alone.
    const made = store.create('engineer', 'field');
    store.ensureAdminToken({ fixedToken: ENV_A.replace('q7', 'r8'), tokenFile });
    expect(store.verify(made.token)?.role).toBe('engineer');
    expect(existsSync(tokenFile)).toBe(true);
  });

  it('tells listeners of a revocation before revoke returns', () => {
    const store = createSqliteTokenStore(db);
    const { id } = store.create('operator', 'ops');
    const heard: string[] = [];
    const off = store.onTokenEnded((tokenId, why) => heard.push(`${tokenId}:${why}`));
    store.revoke(id);
    expect(heard).toEqual([`${id}:revoked`]);
    off();
    store.revoke(store.create('operator', 'x').id);
    expect(heard).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('TOKEN_MAX_AGE_DAYS and expiresInDays give tokens an expiry; expired tokens are refused and swept to listeners', () => {
    let t = Date.parse('2026-12-01T00:00:00Z');
    const store = createSqliteTokenStore(db, () => t, { maxAgeDays: 30 });
    const byDefault = store.create('operator', 'default');
    const short = store.create('operator', 'short', { expiresInDays: 1 });
    expect(byDefault.expiresAt).toBe('2026-12-31T00:00:00.000Z');
    expect(short.expiresAt).toBe('2026-12-02T00:00:00.000Z');
    expect(store.verify(short.token)?.expiresAt).toBe(Date.parse('2026-12-02T00:00:00Z'));
    const heard: string[] = [];
    store.onTokenEnded((id, why) => heard.push(`${id}:${why}`));
    t = Date.parse('2026-12-02T00:00:01Z');
    expect(store.verify(short.token)).toBeUndefined();
    expect(store.verify(byDefault.token)?.role).toBe('operator');
    expect(store.list().map((x) => x.id)).toEqual([byDefault.id]);
    expect(store.sweepExpired()).toEqual([short.id]);
    expect(heard).toEqual([`${short.id}:expired`]);
    expect(store.sweepExpired()).toEqual([]);
  });

  it('bootstrap admin tokens do not expire', () => {
    let t = Date.parse('2026-12-01T00:00:00Z');
    const store = createSqliteTokenStore(db, () => t, { maxAgeDays: 1 });
    store.ensureAdminToken({ fixedToken: ENV_A, tokenFile: join(dir, 'admin-token') });
    t += 400 * 86_400_000;
    expect(store.verify(ENV_A)?.role).toBe('admin');
  });

  it('migrates a table made before issue 15, telling its bootstrap rows apart by name', () => {
    db.exec(`CREATE TABLE api_tokens (id TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)`);
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const hash = createHash('sha256').update(ENV_A).digest('hex');
    db.prepare("INSERT INTO api_tokens VALUES ('tok_old', 'admin', 'admin (ADMIN_TOKEN)', ?, '2026-01-01T00:00:00Z')").run(hash);
    const store = createSqliteTokenStore(db);
    expect(store.verify(ENV_A)?.id).toBe('tok_old');
    store.ensureAdminToken({ fixedToken: ENV_B, tokenFile: join(dir, 'admin-token') });
    expect(store.verify(ENV_A)).toBeUndefined();
  });
});
