/**
 * What issue 12 added to the API's answers passes its response schemas: a device's offlineReason
 * (with statusChangedAt as since-when) and an alert's message code and params.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceState } from '../../../shared/contracts/index.ts';
import { makeAlert, FakeAlertService } from '../../support/alert-fakes.ts';
import { buildTestApi, FakeDeviceStates, FakeRegistry, makeDevice, makeState } from '../../support/api-fakes.ts';

describe('GET /api/v1/devices', () => {
  it('says why each offline device is offline and since when; null for online ones', async () => {
    const since = '2026-05-01T00:03:00.000Z';
    const states = new Map<string, DeviceState>([
      ['B001', makeState({ online: false, statusChangedAt: since, offlineReason: 'keepalive_timeout' })],
      ['B002', makeState({ online: true })],
    ]);
    const t = await buildTestApi({ registry: new FakeRegistry([makeDevice('B001'), makeDevice('B002')]), deviceState: new FakeDeviceStates(states) });
    try {
      const list = (await t.app.inject({ url: '/api/v1/devices', headers: t.auth.engineer })).json() as { items: { id: string; state: DeviceState }[] };
      expect(list.items.map((d) => [d.id, d.state.offlineReason, d.state.statusChangedAt])).toEqual([
        ['B001', 'keepalive_timeout', since],
        ['B002', null, null],
      ]);
      const one = (await t.app.inject({ url: '/api/v1/devices/B001', headers: t.auth.engineer })).json() as { state: DeviceState };
      expect(one.state.offlineReason).toBe('keepalive_timeout');
    } finally {
      await t.app.close();
    }
  });
});

describe('GET /api/v1/alerts', () => {
  it('carries the message code and params beside the English title', async () => {
    const alerts = new FakeAlertService();
    const message = { code: 'fire_risk.rising', params: { place: '红梅新村 1号回收箱', rise: 16.5, minutes: 10, temperature: 62 } };
    const alert = makeAlert({ type: 'fire_risk', message });
    alerts.alerts.set(alert.id, alert);
    const t = await buildTestApi({ alerts });
    try {
      const list = (await t.app.inject({ url: '/api/v1/alerts', headers: t.auth.operator })).json() as { items: { message: unknown }[] };
      expect(list.items.map((a) => a.message)).toEqual([message]);
      const one = (await t.app.inject({ url: `/api/v1/alerts/${alert.id}`, headers: t.auth.operator })).json() as { message: unknown };
      expect(one.message).toEqual(message);
    } finally {
      await t.app.close();
    }
  });
});
