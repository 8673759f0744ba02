import { describe, expect, it } from 'vitest';
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
