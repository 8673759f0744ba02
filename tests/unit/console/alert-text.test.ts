/**
 * Alert titles in the console's languages: every message code the alert rules can produce has a
 * message in both catalogues, the English one says exactly what the server's English title says,
 * and the Chinese one carries no English word but the proper names it was given.
 */
import { describe, expect, it } from 'vitest';
import { DETECTION_TYPES, type Alert } from '../../../shared/contracts/index.ts';
import {
  ALERT_MESSAGE_CODES,
  alertText as serverText,
  type AlertMessageCode,
  type AlertMessageParams,
} from '../../../services/alerts/core/titles.ts';
import { alertText } from '../../../services/console/core/alert-text.ts';
import { placeholders } from '../../../services/console/core/i18n/catalogue.ts';
import { LOCALES } from '../../../services/console/core/i18n/locale.ts';
import { MESSAGES } from '../../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';

const PLACE = '红梅新村 3号回收箱';
/** One realistic set of params per code; the type makes a new code fail here until it has one. */
const SAMPLES: { [C in AlertMessageCode]: AlertMessageParams<C> } = {
  'bin_full.level': { place: PLACE, category: 'paper', percent: 92 },
  'bin_full.overflow': { place: PLACE, category: 'textile' },
  'device_offline.went_offline': { place: PLACE },
  'device_offline.never_heard': { place: '劳动路监控点, 新天地花苑' },
  'device_offline.silent': { place: PLACE, minutes: 17 },
  'device_offline.flapping': { place: PLACE, transitions: 6 },
  'area_outage.community': { community: '新天地花苑', offline: 5, total: 8 },
  'area_outage.subdistrict': { subdistrict: 'zhenglu', offline: 16, total: 20 },
  'illegal_dumping.detected': { place: '朝阳菜场监控点', zone: 'zone-3' },
  'city_appearance.detected': { place: '劳动路城市容貌示范点', zone: 'zone-1', detectionType: 'outside_store_operation' },
  'fire_risk.overheat': { place: PLACE },
  'fire_risk.burning': { place: PLACE, temperature: 71.5 },
  'fire_risk.rising': { place: PLACE, rise: 16.5, minutes: 10, temperature: 48 },
  'fire_risk.hot': { place: PLACE, temperature: 60 },
  'lid_open.stuck': { place: PLACE },
  'lid_open.too_long': { place: PLACE, minutes: 12 },
  'integrity.tilted': { place: PLACE },
  'integrity.moved': { place: PLACE },
  'integrity.vandalized': { place: PLACE },
  'integrity.tamper': { place: PLACE },
  'low_battery.level': { place: PLACE, percent: 12 },
  'low_battery.fault': { place: PLACE },
  'sensor_fault.stream_lost': { place: '劳动路监控点' },
  'sensor_fault.power_loss': { place: PLACE },
  'sensor_fault.sensor_fault': { place: PLACE },
  'journal_near_cap.store': { percent: 83 },
  'journal_near_cap.consumer': { percent: 85, consumer: 'live' },
  'collection_missed.full': { place: PLACE, category: 'paper', percent: 96, plate: '苏D·A3721', planId: 'pln_3f9a0c21d4e5b6a7' },
  'sensor_suspect.stuck': { place: PLACE, category: 'paper', percent: 12, expected: 48 },
  'sensor_suspect.jump': { place: PLACE, category: 'plastic', percent: 85, expected: 30 },
  'sensor_suspect.drift': { place: PLACE, category: 'glass', percent: 41, expected: 66 },
  'sensor_suspect.camera': { place: PLACE, category: 'paper', percent: 20, expected: 35 },
  'ledger_mismatch.trip_light': { plate: '苏D·H0003', weighed: 1712, ticketId: 'TS01-20261201-0042', collected: 2035, loss: 323, tolerance: 51 },
  'ledger_mismatch.trip_heavy': { scaleId: 'scale-ts-04', plate: '苏D·H0007', weighed: 2160, ticketId: 'TS04-20261203-0017', collected: 2040, tolerance: 52 },
  'ledger_mismatch.missing_weigh_in': { plate: '苏D·H0002', collected: 1840, collections: 14, day: '2026-12-01' },
  'ledger_mismatch.shipments': { day: '2026-12-01', shipped: 61240, received: 59320, loss: 1920, tolerance: 919 },
  legacy: { title: 'Paper compartment 92% full at 红梅新村 3号回收箱' },
};
/** Params that are proper names: kept as given, in any script. */
const PROPER_NAMES = ['place', 'zone', 'community', 'consumer', 'title', 'plate', 'planId', 'ticketId', 'scaleId', 'day'];

const en = createI18n('en', 480);
const zh = createI18n('zh-CN', 480);
const alertOf = (code: AlertMessageCode): Pick<Alert, 'title' | 'message'> =>
  serverText(code, SAMPLES[code] as AlertMessageParams<typeof code>);

describe('alert message catalogue', () => {
  it('has a message for every code the rules can produce, in every language, with the params the rules give', () => {
    for (const code of ALERT_MESSAGE_CODES) {
      const key = `alerts.msg.${code}`;
      for (const locale of LOCALES) {
        expect(MESSAGES[locale][key], `${locale} ${key}`).toBeTypeOf('string');
        expect(placeholders(MESSAGES[locale][key]!), `${locale} ${key}`).toEqual(Object.keys(SAMPLES[code]).sort());
      }
    }
  });

  it('names every camera detection type in every language', () => {
    for (const type of DETECTION_TYPES) for (const locale of LOCALES) expect(MESSAGES[locale][`alerts.detection.${type}`]).toBeTypeOf('string');
  });
});

describe('alertText', () => {
  it.each(ALERT_MESSAGE_CODES)('%s in English says what the server title says', (code) => {
    const alert = alertOf(code);
    expect(alertText(alert, en)).toBe(alert.title);
  });

  it.each(ALERT_MESSAGE_CODES.filter((code) => code !== 'legacy'))('%s in Chinese has no English word but proper names', (code) => {
    const text = alertText(alertOf(code), zh);
    let rest = text;
    for (const name of PROPER_NAMES) {
      const value = (SAMPLES[code] as Record<string, unknown>)[name];
      if (typeof value === 'string') rest = rest.replaceAll(value, '');
    }
    expect(rest, text).not.toMatch(/[A-Za-z{}]/);
    expect(rest, text).toMatch(/[\u4e00-\u9fff]/);
  });

  it('says code params in words and keeps numbers and names', () => {
    expect(alertText(alertOf('bin_full.level'), zh)).toBe('红梅新村 3号回收箱 纸类仓满溢度 92%');
    expect(alertText(alertOf('area_outage.subdistrict'), zh)).toBe('区域断线：郑陆镇 20 台设备中 16 台离线');
    expect(alertText(alertOf('area_outage.subdistrict'), en)).toBe('Area outage: 16 of 20 devices offline in Zhenglu subdistrict');
    expect(alertText(alertOf('city_appearance.detected'), zh)).toBe('劳动路城市容貌示范点（zone-1）发现出店经营');
    expect(alertText(alertOf('fire_risk.rising'), zh)).toBe('火情风险：红梅新村 3号回收箱 10 分钟内升温 16.5℃（当前 48℃）');
  });

  it('shows the English title for a code it does not know, or params that do not fill the message', () => {
    const title = 'Something new at 红梅新村 3号回收箱';
    expect(alertText({ title, message: { code: 'bin_full.someday', params: { place: PLACE } } }, zh)).toBe(title);
    expect(alertText({ title, message: { code: 'bin_full.level', params: { place: PLACE, category: 'paper' } } }, zh)).toBe(title);
  });

  it('keeps a code param it has no word for as it is', () => {
    const alert = { title: 'x', message: { code: 'bin_full.overflow', params: { place: PLACE, category: 'ceramics' } } };
    expect(alertText(alert, zh)).toBe('红梅新村 3号回收箱 ceramics仓已满溢');
  });

  it('shows a legacy alert (stored before message codes) by its title', () => {
    expect(alertText(alertOf('legacy'), zh)).toBe(SAMPLES.legacy.title);
  });
});
