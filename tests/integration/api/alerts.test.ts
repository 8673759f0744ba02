/** Alert and silence routes over the fake AlertService: filters, errors, who acted, silence windows. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertError } from '../../../services/alerts/core/ports.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { buildTestApi, FIXED_NOW } from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
async function api(alerts = new FakeAlertService()) {
  const built = await buildTestApi({ alerts });
  opened.push(built.app);
  return built;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

describe('GET /api/v1/alerts', () => {
  it('passes every filter through to the service, with paging', async () => {
    const { app, auth, alerts } = await api();
    const res = await app.inject({
      url: '/api/v1/alerts?status=open&type=fire_risk&severity=critical&deviceId=box-0007&kind=box&subdistrict=hongmei&muted=false&limit=20&offset=40',
      headers: auth.manager,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(alerts.listCalls).toEqual([
      {
        status: 'open',
        type: 'fire_risk',
        severity: 'critical',
        deviceId: 'box-0007',
        kind: 'box',
        subdistrict: 'hongmei',
        muted: false,
        limit: 20,
        offset: 40,
      },
    ]);
  });

  it('reads muted=true as true (not every non-empty string)', async () => {
    const { app, auth, alerts } = await api();
    await app.inject({ url: '/api/v1/alerts?muted=true', headers: auth.operator });
    expect(alerts.listCalls[0]).toEqual({ muted: true, limit: 50, offset: 0 });
  });

  it('answers { total, items } as the service lists them (newest first)', async () => {
    const older = makeAlert({ raisedAt: '2026-05-10T01:00:00.000Z' });
    const newer = makeAlert({ raisedAt: '2026-05-10T02:00:00.000Z', status: 'acknowledged' });
    const resolved = makeAlert({ raisedAt: '2026-05-10T03:00:00.000Z', status: 'resolved' });
    const { app, auth } = await api(new FakeAlertService([older, newer, resolved]));
    const res = await app.inject({ url: '/api/v1/alerts?status=open&limit=1', headers: auth.operator });
    expect(res.json()).toEqual({ total: 2, items: [newer] });
  });

  it.each([
    ['an unknown status', 'status=closed'],
    ['an unknown type', 'type=meteor'],
    ['a bad device id', 'deviceId=a/b'],
    ['muted=yes', 'muted=yes'],
    ['a limit above 1000', 'limit=1001'],
    ['a negative offset', 'offset=-1'],
  ])('refuses %s with 400', async (_label, query) => {
    const { app, auth, alerts } = await api();
    const res = await app.inject({ url: `/api/v1/alerts?${query}`, headers: auth.operator });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FST_ERR_VALIDATION');
    expect(alerts.listCalls).toEqual([]);
  });

  it('strips fields outside the Alert contract', async () => {
    const leaky = { ...makeAlert(), internalRowId: 17 } as ReturnType<typeof makeAlert>;
    const { app, auth } = await api(new FakeAlertService([leaky]));
    const res = await app.inject({ url: '/api/v1/alerts', headers: auth.operator });
    expect(res.json().items[0]).not.toHaveProperty('internalRowId');
  });
});

describe('GET /api/v1/alerts/:id', () => {
  it('is the alert with its history', async () => {
    const alert = makeAlert({ id: 'alt_detail' });
    const alerts = new FakeAlertService([alert]);
    alerts.transitions.set('alt_detail', [
      { alertId: 'alt_detail', at: alert.raisedAt, from: null, to: 'active', by: 'auto', note: null },
    ]);
    const { app, auth } = await api(alerts);
    const res = await app.inject({ url: '/api/v1/alerts/alt_detail', headers: auth.manager });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...alert, history: alerts.transitions.get('alt_detail') });
  });

  it('is 404 BP_ALERT_NOT_FOUND for an unknown id', async () => {
    const { app, auth } = await api();
    const res = await app.inject({ url: '/api/v1/alerts/alt_nope', headers: auth.operator });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'BP_ALERT_NOT_FOUND', message: "no alert 'alt_nope'" });
  });
});

describe('POST /api/v1/alerts/:id/acknowledge', () => {
  it("records the token's name and role as who, with the note", async () => {
    const alert = makeAlert({ id: 'alt_ack' });
    const { app, auth } = await api(new FakeAlertService([alert]));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/alt_ack/acknowledge',
      headers: auth.operator,
      payload: { note: 'crew 3 on the way' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'test operator (operator)',
      acknowledgeNote: 'crew 3 on the way',
    });
  });

  it('works without a body (no note)', async () => {
    const { app, auth } = await api(new FakeAlertService([makeAlert({ id: 'alt_nobody' })]));
    const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/alt_nobody/acknowledge', headers: auth.engineer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().acknowledgeNote).toBeNull();
  });

  it.each([
    ['an unknown alert', 'alt_missing', 404, 'BP_ALERT_NOT_FOUND'],
    ['a resolved alert', 'alt_resolved', 409, 'BP_ALERT_NOT_OPEN'],
    ['an acknowledged alert', 'alt_acked', 409, 'BP_ALERT_ALREADY_ACKNOWLEDGED'],
  ])('refuses %s', async (_label, id, status, code) => {
    const alerts = new FakeAlertService([
      makeAlert({ id: 'alt_resolved', status: 'resolved' }),
      makeAlert({ id: 'alt_acked', status: 'acknowledged' }),
    ]);
    const { app, auth } = await api(alerts);
    const res = await app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/acknowledge`, headers: auth.admin, payload: {} });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, statusCode: status });
  });

  it('refuses unknown body fields', async () => {
    const { app, auth } = await api(new FakeAlertService([makeAlert({ id: 'alt_x' })]));
    const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/alt_x/acknowledge', headers: auth.admin, payload: { by: 'someone else' } });
    expect(res.statusCode).toBe(400);
  });

  it('any other failure of the service is a 500 without detail', async () => {
    const alerts = new FakeAlertService([makeAlert({ id: 'alt_boom' })]);
    alerts.acknowledge = () => {
      throw new Error('database is locked');
    };
    const { app, auth } = await api(alerts);
    const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/alt_boom/acknowledge', headers: auth.admin, payload: {} });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('locked');
  });
});

describe('POST /api/v1/alerts/:id/resolve', () => {
  it('resolves with the reason and who', async () => {
    const { app, auth } = await api(new FakeAlertService([makeAlert({ id: 'alt_res' })]));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/alt_res/resolve',
      headers: auth.engineer,
      payload: { reason: 'sensor cleaned' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', resolvedBy: 'test engineer (engineer)', resolution: 'sensor cleaned' });
  });

  it('needs a non-empty reason', async () => {
    const { app, auth } = await api(new FakeAlertService([makeAlert({ id: 'alt_res' })]));
    for (const payload of [{}, { reason: '   ' }]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/alt_res/resolve', headers: auth.engineer, payload });
      expect(res.statusCode).toBe(400);
    }
  });

  it.each([
    ['an unknown alert', 'alt_missing', 404, 'BP_ALERT_NOT_FOUND'],
    ['a resolved alert', 'alt_resolved', 409, 'BP_ALERT_NOT_OPEN'],
  ])('refuses %s', async (_label, id, status, code) => {
    const { app, auth } = await api(new FakeAlertService([makeAlert({ id: 'alt_resolved', status: 'resolved' })]));
    const res = await app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/resolve`, headers: auth.operator, payload: { reason: 'done' } });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });
});

describe('silences', () => {
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  it('lists current silences, and expired ones on request', async () => {
    const { app, auth, alerts } = await api();
    alerts.addSilence({ matcher: { kind: 'camera' }, startsAt: FIXED_NOW - 2 * DAY, endsAt: FIXED_NOW - DAY, reason: 'old', createdBy: 'x' });
    alerts.addSilence({ matcher: { kind: 'box' }, startsAt: FIXED_NOW, endsAt: FIXED_NOW + DAY, reason: 'now', createdBy: 'x' });
    const current = await app.inject({ url: '/api/v1/silences', headers: auth.manager });
    expect(current.json().items.map((s: { reason: string }) => s.reason)).toEqual(['now']);
    const all = await app.inject({ url: '/api/v1/silences?includeExpired=true', headers: auth.manager });
    expect(all.json().items.map((s: { reason: string }) => s.reason)).toEqual(['old', 'now']);
    expect(alerts.silenceCalls).toEqual([false, true]);
  });

  it('creates a silence starting now by default, created by the token', async () => {
    const { app, auth, alerts } = await api();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/silences',
      headers: auth.engineer,
      payload: { matcher: { subdistrict: 'lanling', type: 'device_offline' }, endsAt: iso(FIXED_NOW + DAY), reason: 'power works' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(alerts.added).toEqual([
      {
        matcher: { subdistrict: 'lanling', type: 'device_offline' },
        startsAt: FIXED_NOW,
        endsAt: FIXED_NOW + DAY,
        reason: 'power works',
        createdBy: 'test engineer (engineer)',
      },
    ]);
    expect(res.json()).toMatchObject({ id: 'sil_1', startsAt: iso(FIXED_NOW), createdBy: 'test engineer (engineer)' });
  });

  it('accepts exactly 30 days, with an offset in the timestamps', async () => {
    const { app, auth } = await api();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/silences',
      headers: auth.admin,
      payload: { matcher: { kind: 'camera' }, startsAt: '2026-05-10T12:00:00+08:00', endsAt: '2026-06-09T12:00:00+08:00', reason: 'r' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it.each([
    ['endsAt before startsAt', { startsAt: iso(FIXED_NOW + DAY), endsAt: iso(FIXED_NOW + 1000) }, 'after startsAt'],
    ['endsAt equal to startsAt', { startsAt: iso(FIXED_NOW + DAY), endsAt: iso(FIXED_NOW + DAY) }, 'after startsAt'],
    ['an end in the past', { startsAt: iso(FIXED_NOW - 2 * DAY), endsAt: iso(FIXED_NOW - DAY) }, 'already passed'],
    ['more than 30 days', { endsAt: iso(FIXED_NOW + 30 * DAY + 1000) }, 'at most 30 days'],
  ])('refuses %s with 400 BP_BAD_SILENCE', async (_label, window, message) => {
    const { app, auth, alerts } = await api();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/silences',
      headers: auth.admin,
      payload: { matcher: { kind: 'box' }, reason: 'r', ...window },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BP_BAD_SILENCE' });
    expect(res.json().message).toContain(message);
    expect(alerts.added).toEqual([]);
  });

  it.each([
    ['an empty matcher', { matcher: {}, endsAt: '2026-05-11T00:00:00Z', reason: 'r' }],
    ['an unknown matcher field', { matcher: { colour: 'red' }, endsAt: '2026-05-11T00:00:00Z', reason: 'r' }],
    ['no reason', { matcher: { kind: 'box' }, endsAt: '2026-05-11T00:00:00Z' }],
    ['a date without offset', { matcher: { kind: 'box' }, endsAt: '2026-05-11 00:00', reason: 'r' }],
    ['a createdBy chosen by the client', { matcher: { kind: 'box' }, endsAt: '2026-05-11T00:00:00Z', reason: 'r', createdBy: 'admin' }],
  ])('refuses %s (shared NewSilence contract)', async (_label, payload) => {
    const { app, auth, alerts } = await api();
    const res = await app.inject({ method: 'POST', url: '/api/v1/silences', headers: auth.admin, payload });
    expect(res.statusCode).toBe(400);
    expect(alerts.added).toEqual([]);
  });

  it('deletes a silence (204) and answers 404 BP_SILENCE_NOT_FOUND for an unknown one', async () => {
    const { app, auth, alerts } = await api();
    const { id } = alerts.addSilence({ matcher: { kind: 'box' }, startsAt: FIXED_NOW, endsAt: FIXED_NOW + DAY, reason: 'r', createdBy: 'x' });
    const gone = await app.inject({ method: 'DELETE', url: `/api/v1/silences/${id}`, headers: auth.engineer });
    expect(gone.statusCode).toBe(204);
    expect(gone.body).toBe('');
    expect(alerts.silenceList).toEqual([]);
    const again = await app.inject({ method: 'DELETE', url: `/api/v1/silences/${id}`, headers: auth.engineer });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'BP_SILENCE_NOT_FOUND' });
  });

  it('an unexpected AlertError code from removeSilence is still mapped, not leaked', async () => {
    const alerts = new FakeAlertService();
    alerts.removeSilence = () => {
      throw new AlertError('SILENCE_NOT_FOUND', 'internal detail');
    };
    const { app, auth } = await api(alerts);
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/silences/sil_x', headers: auth.admin });
    expect(res.json().message).toBe("no silence 'sil_x'");
  });
});
