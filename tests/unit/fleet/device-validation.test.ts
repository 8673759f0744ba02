import { describe, expect, it } from 'vitest';
import type { Site } from '../../../shared/contracts/index.ts';
import { checkNewDevice, describeIssues } from '../../../services/fleet/core/device-validation.ts';

const box = {
  id: 'box-9001',
  kind: 'box',
  name: '测试小区 1号回收箱',
  lat: 31.8,
  lon: 119.98,
  subdistrict: 'hongmei',
  community: '测试小区',
  address: '常州市天宁区竹林北路1号',
  compartments: [{ category: 'paper', capacityKg: 150 }],
  installedOn: '2024-05-01',
  gridCell: 'TN-HM-01',
  responsiblePerson: '张伟',
};

const fieldsOf = (input: unknown) => {
  const check = checkNewDevice(input);
  return check.ok ? [] : check.issues.map((i) => i.field);
};

describe('checkNewDevice', () => {
  it('accepts a valid box and fills in the defaults', () => {
    const check = checkNewDevice(box);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.device.cameraPointType).toBeNull();
  });

  it('names the field at fault', () => {
    expect(fieldsOf({ ...box, lat: 123 })).toEqual(['lat']);
    expect(fieldsOf({ ...box, id: 'box/1' })).toEqual(['id']);
    expect(fieldsOf({ ...box, compartments: [{ category: 'paper', capacityKg: -1 }] })).toEqual(['compartments.0.capacityKg']);
    expect(fieldsOf({ ...box, colour: 'green' })).toEqual(['colour']);
  });

  it('refuses compartments on a camera and a camera point type on a box', () => {
    expect(fieldsOf({ ...box, kind: 'camera' })).toEqual(['compartments']);
    expect(fieldsOf({ ...box, cameraPointType: 'road' })).toEqual(['cameraPointType']);
  });

  it('refuses two compartments of one category', () => {
    const twice = { ...box, compartments: [{ category: 'glass', capacityKg: 1 }, { category: 'glass', capacityKg: 2 }] };
    const check = checkNewDevice(twice);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(describeIssues(check.issues)).toBe('compartments: category "glass" appears twice');
  });
});

describe('checkNewDevice: weighbridges (issue 14)', () => {
  const station: Site = {
    id: 'ts-01',
    kind: 'transfer_station',
    name: '青果巷垃圾转运站',
    position: { lat: 31.78, lon: 119.96 },
    subdistrict: 'tianning',
    address: '常州市天宁区青果巷1号',
    categories: ['paper'],
  };
  const siteOf = (id: string) => (id === 'ts-01' ? station : undefined);
  const scale = { ...box, id: 'scale-ts-01', kind: 'scale', compartments: [], siteId: 'ts-01' };
  const scaleFields = (input: unknown) => {
    const check = checkNewDevice(input, siteOf);
    return check.ok ? [] : check.issues.map((i) => `${i.field}: ${i.message}`);
  };

  it('accepts a scale that names an existing site, and keeps the site', () => {
    const check = checkNewDevice(scale, siteOf);
    expect(check.ok && check.device.siteId).toBe('ts-01');
  });

  it('refuses a scale without a site or at a site the registry does not have', () => {
    const { siteId: _none, ...noSite } = scale;
    expect(scaleFields(noSite)).toEqual(['siteId: a scale must name its site']);
    expect(scaleFields({ ...scale, siteId: 'ts-99' })).toEqual(['siteId: no site "ts-99"']);
    // Without a site lookup no site exists.
    expect(fieldsOf(scale)).toEqual(['siteId']);
  });

  it('refuses compartments or a camera point type on a scale, and a site on a box or camera', () => {
    expect(scaleFields({ ...scale, compartments: box.compartments })).toEqual(['compartments: a scale has no compartments']);
    expect(scaleFields({ ...scale, cameraPointType: 'road' })).toEqual(['cameraPointType: only cameras have a camera point type']);
    expect(scaleFields({ ...box, siteId: 'ts-01' })).toEqual(['siteId: only scales have a site']);
    expect(scaleFields({ ...box, kind: 'camera', compartments: [], siteId: 'ts-01' })).toEqual(['siteId: only scales have a site']);
  });
});
