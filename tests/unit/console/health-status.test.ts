import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/contracts/index.ts';
import {
  areaOutages,
  cameraStream,
  formatUptime,
  isStreamDown,
  lastKnownStreamText,
  NO_OUTAGES,
  offlineByCause,
  offlineStatus,
} from '../../../services/console/core/health-status.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';
import { makeAlert } from '../../support/alert-fakes.ts';
import { box, camera } from './fixtures.ts';

const AT = '2026-11-27T06:02:00.000Z'; // 14:02 district time

function areaAlert(level: 'community' | 'subdistrict', name: string, overrides: Partial<Alert> = {}): Alert {
  return makeAlert({ type: 'area_outage', severity: 'critical', key: `area_outage:${level}:${name}`, deviceId: null, deviceKind: null, compartment: null, area: { level, name }, ...overrides });
}

describe('offline reason', () => {
  it('is undefined while online, else the device state’s reason and since when', () => {
    expect(offlineStatus(box('b-1', {}), NO_OUTAGES)).toBeUndefined();
    const willed = box('b-2', {}, {}, { online: false, offlineReason: 'last_will', statusChangedAt: AT });
    expect(offlineStatus(willed, NO_OUTAGES)).toEqual({ cause: 'last_will', since: AT });
    expect(offlineStatus(box('b-3', {}, {}, { online: false, offlineReason: null, statusChangedAt: AT }), NO_OUTAGES)).toEqual({ cause: 'unknown', since: AT });
    // Never heard from: not an outage's doing either.
    const never = box('b-4', {}, {}, { online: false, lastSeen: null, statusChangedAt: null, offlineReason: null });
    expect(offlineStatus(never, NO_OUTAGES)).toEqual({ cause: 'never_reported', since: null });
    expect(offlineStatus(never, areaOutages([areaAlert('community', never.community)]))?.cause).toBe('never_reported');
  });

  it('says area outage when an open area_outage alert covers the device’s community or subdistrict', () => {
    const outages = areaOutages([
      areaAlert('community', '新天地花苑'),
      areaAlert('subdistrict', 'zhenglu'),
      areaAlert('community', '红梅新村', { status: 'resolved' }),
      makeAlert({ type: 'device_offline', community: '劳动路' }),
    ]);
    const inCommunity = box('b-1', {}, { community: '新天地花苑' }, { online: false, offlineReason: 'last_will', statusChangedAt: AT });
    const inSubdistrict = box('b-2', {}, { subdistrict: 'zhenglu', community: '郑陆花园' }, { online: false, offlineReason: 'silent', statusChangedAt: AT });
    const elsewhere = box('b-3', {}, { community: '红梅新村' }, { online: false, offlineReason: 'keepalive_timeout', statusChangedAt: AT });
    expect(offlineStatus(inCommunity, outages)).toEqual({ cause: 'area_outage', since: AT, area: { level: 'community', name: '新天地花苑' } });
    expect(offlineStatus(inSubdistrict, outages)).toEqual({ cause: 'area_outage', since: AT, area: { level: 'subdistrict', name: 'zhenglu' } });
    expect(offlineStatus(elsewhere, outages)?.cause).toBe('keepalive_timeout');
    // A device still online in an outage area is just online.
    expect(offlineStatus(box('b-4', {}, { community: '新天地花苑' }), outages)).toBeUndefined();
  });

  it('splits the offline devices by cause, most first', () => {
    const down = (id: string, offlineReason: 'last_will' | 'keepalive_timeout' | 'silent' | 'clean_disconnect' | null, community = '新天地花苑') =>
      box(id, {}, { community }, { online: false, offlineReason, statusChangedAt: AT });
    const devices = [
      down('b-1', 'last_will'), down('b-2', 'last_will'), down('b-3', 'keepalive_timeout'),
      down('b-4', 'silent', '郑陆花园'), down('b-5', 'silent', '郑陆花园'), down('b-6', 'silent', '郑陆花园'), down('b-7', null),
      box('b-8', {}), box('b-9', {}, {}, { online: false, lastSeen: null }),
    ];
    expect(offlineByCause(devices, NO_OUTAGES)).toEqual([
      { cause: 'silent', count: 3 },
      { cause: 'last_will', count: 2 },
      { cause: 'keepalive_timeout', count: 1 },
      { cause: 'never_reported', count: 1 },
      { cause: 'unknown', count: 1 },
    ]);
    expect(offlineByCause(devices, areaOutages([areaAlert('community', '郑陆花园')]))).toEqual([
      { cause: 'area_outage', count: 3 },
      { cause: 'last_will', count: 2 },
      { cause: 'keepalive_timeout', count: 1 },
      { cause: 'never_reported', count: 1 },
      { cause: 'unknown', count: 1 },
    ]);
    expect(offlineByCause([box('b-10', {})], NO_OUTAGES)).toEqual([]);
  });
});

describe('camera stream', () => {
  it('is live only while the camera is online; offline it is the last report with its time', () => {
    expect(cameraStream(camera('c-1'))).toEqual({ kind: 'live', ok: true, frameRate: 25, uptimeS: 3600 });
    const offline = camera('c-2', { online: false, lastSeen: AT, offlineReason: 'last_will' });
    expect(cameraStream(offline)).toEqual({ kind: 'last-known', ok: true, frameRate: 25, at: AT });
    expect(cameraStream(camera('c-3', { streamOk: null, frameRate: null, uptimeS: null }))).toEqual({ kind: 'no-heartbeat' });
  });

  it('words an offline camera\'s stream as what it last reported, with the time, never as OK now', () => {
    const now = Date.parse(AT) + 3_600_000;
    const lastKnown = { kind: 'last-known', ok: true, frameRate: 25, at: AT } as const;
    expect(lastKnownStreamText(lastKnown, createI18n('en', 480), now)).toBe('last known: stream OK, 25 fps at 14:02');
    expect(lastKnownStreamText(lastKnown, createI18n('zh-CN', 480), now)).toBe('离线前最后上报（14:02）：画面正常，25 帧/秒');
    expect(lastKnownStreamText({ ...lastKnown, ok: false }, createI18n('en', 480), now)).toBe('last known: stream down at 14:02');
    expect(lastKnownStreamText({ ...lastKnown, frameRate: null }, createI18n('zh-CN', 480), now)).toBe('离线前最后上报（14:02）：画面正常');
  });

  it('counts a stream as down only for an online camera', () => {
    expect(isStreamDown(camera('c-1', { streamOk: false }))).toBe(true);
    expect(isStreamDown(camera('c-2', { streamOk: false, online: false }))).toBe(false);
    expect(isStreamDown(camera('c-3'))).toBe(false);
  });
});

describe('uptime', () => {
  const en = createI18n('en', 480);
  const zh = createI18n('zh-CN', 480);
  it.each([
    [null, '–', '–'],
    [59, '0 min', '0 分钟'],
    [3_900, '1 h 5 min', '1 小时 5 分钟'],
    [2 * 86_400 + 4 * 3_600, '2 d 4 h', '2 天 4 小时'],
  ] as const)('%s s reads "%s" and "%s"', (seconds, english, chinese) => {
    expect(formatUptime(seconds, en)).toBe(english);
    expect(formatUptime(seconds, zh)).toBe(chinese);
  });
});
