/** /api/v1/tokens over the real SQLite token store. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteTokenStore } from '../../../services/api/adapters/sqlite-token-store.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { buildTestApi, type TestApi } from '../../support/api-fakes.ts';

let dir: string;
let db: SqliteDatabase;
let app: FastifyInstance;
let t: TestApi;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-api-tokens-'));
  db = openDatabase(join(dir, 'api.sqlite'));
  const built = await buildTestApi({ tokens: createSqliteTokenStore(db) });
  app = built.app;
  t = built;
});
afterEach(async () => {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token lifecycle', () => {
  it('create → use → list without secrets → revoke → refused', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: t.auth.admin,
      payload: { role: 'engineer', name: '  field team  ' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token, role, name } = created.json();
    expect({ role, name }).toEqual({ role: 'engineer', name: 'field team' });
    expect(token).toMatch(/^bp_/);

    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/v1/dead-letters', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/reports/tonnage?from=2026-05-01&to=2026-05-01', headers })).statusCode).toBe(403);

    const list = await app.inject({ url: '/api/v1/tokens', headers: t.auth.admin });
    expect(list.json().items).toContainEqual({ id, role: 'engineer', name: 'field team', createdAt: expect.any(String), expiresAt: null });
    expect(list.json().items).toHaveLength(5); // one per role from the test helper, and this one
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain(createHash('sha256').update(token).digest('hex'));

    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: t.auth.admin });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    expect((await app.inject({ url: '/api/v1/dead-letters', headers })).statusCode).toBe(401);

    const again = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: t.auth.admin });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'BP_TOKEN_NOT_FOUND' });
  });

  it.each([
    [{ role: 'root', name: 'x' }, 'role'],
    [{ role: 'operator', name: '   ' }, 'name'],
    [{ role: 'operator' }, 'name'],
    [{ role: 'operator', name: 'x', token: 'bp_chosen-by-client' }, 'token'],
  ])('400s %j naming %s', async (payload, field) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth.admin, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    expect(res.json().message).toContain(field);
  });
});
