import { describe, expect, it } from 'vitest';
import type { DeviceKind } from '../../../shared/contracts/common.ts';
import type { DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';
import {
  checkConnect,
  checkPublish,
  checkSubscribe,
  connectReturnCode,
  maxFrameBytes,
  REFUSAL_REASONS,
  type RefusalReason,
  type Verdict,
} from '../../../services/broker/core/access.ts';

const devices: Record<string, { kind: DeviceKind; secret: string }> = {
  'box-0001': { kind: 'box', secret: 'box-secret' },
  'box-0002': { kind: 'box', secret: 'other-secret' },
  'cam-001': { kind: 'camera', secret: 'cam-secret' },
};
const authenticator: DeviceAuthenticator = {
  kindOf: (id) => devices[id]?.kind,
  verifySecret: (id, secret) => devices[id]?.secret === secret,
};
const limits = { maxTopicLevels: 8, maxPayloadBytes: 1024 };
const box = { id: 'box-0001', kind: 'box' as const };
const camera = { id: 'cam-001', kind: 'camera' as const };

function reasonOf(verdict: Verdict | { ok: true }): RefusalReason | 'ok' {
  return verdict.ok ? 'ok' : verdict.reason;
}
const publish = (topic: string, extra: { payloadBytes?: number; retain?: boolean } = {}) => ({
  topic,
  payloadBytes: extra.payloadBytes ?? 10,
  retain: extra.retain ?? false,
});

describe('checkConnect', () => {
  const good = { clientId: 'box-0001', username: 'box-0001', password: 'box-secret' };

  it('accepts a device with its id as username and client id and the right secret', () => {
    const verdict = checkConnect(good, authenticator, limits);
    expect(verdict).toEqual({ ok: true, device: { id: 'box-0001', kind: 'box' } });
  });

  it.each([
    ['no username', { ...good, username: undefined }],
    ['empty username', { ...good, username: '' }],
    ['no password', { ...good, password: undefined }],
    ['empty password', { ...good, password: '' }],
  ])('refuses %s as missing_credentials', (_, attempt) => {
    expect(reasonOf(checkConnect(attempt, authenticator, limits))).toBe('missing_credentials');
  });

  it('refuses an unknown device', () => {
    const verdict = checkConnect({ ...good, clientId: 'box-9999', username: 'box-9999' }, authenticator, limits);
    expect(reasonOf(verdict)).toBe('unknown_device');
  });

  it("refuses a wrong secret, including another device's secret", () => {
    expect(reasonOf(checkConnect({ ...good, password: 'wrong' }, authenticator, limits))).toBe('bad_secret');
    expect(reasonOf(checkConnect({ ...good, password: 'other-secret' }, authenticator, limits))).toBe('bad_secret');
  });

  it('refuses a client id other than the device id, even with valid credentials', () => {
    expect(reasonOf(checkConnect({ ...good, clientId: 'box-0002' }, authenticator, limits))).toBe('client_id_mismatch');
    expect(reasonOf(checkConnect({ ...good, clientId: '' }, authenticator, limits))).toBe('client_id_mismatch');
  });

  it('checks the secret before the client id, so a stranger learns nothing from the code', () => {
    const verdict = checkConnect({ clientId: 'x', username: 'box-0001', password: 'wrong' }, authenticator, limits);
    expect(reasonOf(verdict)).toBe('bad_secret');
  });

  it('accepts a will on the own status topic, retained', () => {
    const will = publish('binpulse/v1/box-0001/status', { retain: true });
    expect(checkConnect({ ...good, will }, authenticator, limits).ok).toBe(true);
  });

  it('puts the will through the publish rules', () => {
    const foreign = checkConnect({ ...good, will: publish('binpulse/v1/box-0002/status') }, authenticator, limits);
    expect(foreign).toMatchObject({ ok: false, reason: 'foreign_topic', detail: expect.stringMatching(/^last will: /) });
    const retained = checkConnect({ ...good, will: publish('binpulse/v1/box-0001/telemetry', { retain: true }) }, authenticator, limits);
    expect(reasonOf(retained)).toBe('retain_not_allowed');
    const big = checkConnect({ ...good, will: publish('binpulse/v1/box-0001/status', { payloadBytes: 2000 }) }, authenticator, limits);
    expect(reasonOf(big)).toBe('payload_too_large');
  });
});

describe('connectReturnCode', () => {
  it('maps credential problems to 4, the client id to 2, anything else to 5', () => {
    expect(connectReturnCode('missing_credentials')).toBe(4);
    expect(connectReturnCode('unknown_device')).toBe(4);
    expect(connectReturnCode('bad_secret')).toBe(4);
    expect(connectReturnCode('client_id_mismatch')).toBe(2);
    expect(connectReturnCode('foreign_topic')).toBe(5);
  });
});

describe('checkPublish', () => {
  it.each([
    ['box telemetry', box, 'binpulse/v1/box-0001/telemetry'],
    ['box deposit', box, 'binpulse/v1/box-0001/event/deposit'],
    ['box collection', box, 'binpulse/v1/box-0001/event/collection'],
    ['box fault', box, 'binpulse/v1/box-0001/event/fault'],
    ['box status', box, 'binpulse/v1/box-0001/status'],
    ['camera heartbeat', camera, 'binpulse/v1/cam-001/heartbeat'],
    ['camera detection', camera, 'binpulse/v1/cam-001/detection'],
    ['camera fault', camera, 'binpulse/v1/cam-001/event/fault'],
  ])('allows %s', (_, device, topic) => {
    expect(checkPublish(device, publish(topic), limits)).toEqual({ ok: true });
  });

  it("refuses another device's topic and topics outside the device tree", () => {
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0002/telemetry'), limits))).toBe('foreign_topic');
    expect(reasonOf(checkPublish(box, publish('binpulse/v2/box-0001/telemetry'), limits))).toBe('foreign_topic');
    expect(reasonOf(checkPublish(box, publish('$SYS/broker/heartbeat'), limits))).toBe('foreign_topic');
    expect(reasonOf(checkPublish(box, publish('alerts/all'), limits))).toBe('foreign_topic');
  });

  it('refuses unknown channels, including the command channel', () => {
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/firmware'), limits))).toBe('unknown_channel');
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/command'), limits))).toBe('unknown_channel');
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/event'), limits))).toBe('unknown_channel');
  });

  it("refuses a channel not meant for the device's kind", () => {
    expect(reasonOf(checkPublish(camera, publish('binpulse/v1/cam-001/telemetry'), limits))).toBe('channel_not_for_kind');
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/detection'), limits))).toBe('channel_not_for_kind');
  });

  it('allows retain only on retained channels', () => {
    expect(checkPublish(box, publish('binpulse/v1/box-0001/status', { retain: true }), limits).ok).toBe(true);
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/telemetry', { retain: true }), limits))).toBe('retain_not_allowed');
  });

  it('refuses wildcards', () => {
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/box-0001/#'), limits))).toBe('wildcard_in_topic');
    expect(reasonOf(checkPublish(box, publish('binpulse/v1/+/telemetry'), limits))).toBe('wildcard_in_topic');
  });

  it('refuses topics deeper than the limit', () => {
    const deep = 'binpulse/v1/box-0001/telemetry/a/b/c/d'; // 8 levels: still allowed by depth, unknown channel
    expect(reasonOf(checkPublish(box, publish(deep), limits))).toBe('unknown_channel');
    expect(reasonOf(checkPublish(box, publish(`${deep}/e`), limits))).toBe('topic_too_deep');
  });

  it('refuses payloads above the limit, accepts exactly the limit', () => {
    const topic = 'binpulse/v1/box-0001/telemetry';
    expect(checkPublish(box, publish(topic, { payloadBytes: 1024 }), limits).ok).toBe(true);
    expect(checkPublish(box, publish(topic, { payloadBytes: 1025 }), limits)).toMatchObject({
      ok: false,
      reason: 'payload_too_large',
      detail: '1025 bytes, at most 1024 allowed',
    });
  });
});

describe('checkSubscribe', () => {
  it('allows only the own command topic', () => {
    expect(checkSubscribe('box-0001', 'binpulse/v1/box-0001/command')).toEqual({ ok: true });
    for (const filter of [
      'binpulse/v1/box-0002/command',
      'binpulse/v1/+/command',
      'binpulse/v1/box-0001/#',
      'binpulse/v1/box-0001/telemetry',
      '#',
      '$SYS/#',
    ]) {
      expect(reasonOf(checkSubscribe('box-0001', filter))).toBe('forbidden_subscription');
    }
  });
});

describe('refusal reasons and frame limit', () => {
  it('lists every reason once', () => {
    expect(new Set(REFUSAL_REASONS).size).toBe(REFUSAL_REASONS.length);
    expect(REFUSAL_REASONS).toEqual(expect.arrayContaining(['bad_secret', 'payload_too_large', 'packet_too_large']));
  });

  it('leaves room above the payload limit for headers, never less than the payload', () => {
    expect(maxFrameBytes(limits)).toBeGreaterThan(limits.maxPayloadBytes);
  });
});
