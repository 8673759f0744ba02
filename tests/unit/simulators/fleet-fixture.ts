/** A synthetic district fleet for the simulator tests: 605 boxes and 54 camera points by default. */
import { createHash } from 'node:crypto';
import { SUBDISTRICTS, type CompartmentSpec, type Device } from '../../../shared/contracts/index.ts';

export const TEST_COMPARTMENTS: CompartmentSpec[] = [
  { category: 'paper', capacityKg: 150 },
  { category: 'plastic', capacityKg: 60 },
  { category: 'metal', capacityKg: 80 },
  { category: 'glass', capacityKg: 120 },
  { category: 'textile', capacityKg: 100 },
];

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const base = (id: string, i: number) => {
  const subdistrict = SUBDISTRICTS[i % SUBDISTRICTS.length]!;
  return {
    id,
    name: `${id} test`,
    lat: 31.78 + (i % 50) * 0.001,
    lon: 119.97 + (i % 40) * 0.001,
    subdistrict,
    community: `community-${subdistrict}-${Math.floor(i / 21)}`,
    address: `${i} Test Road`,
    installedOn: '2024-05-01',
    gridCell: `grid-${subdistrict}-${i % 9}`,
    responsiblePerson: 'Test Person',
  };
};

export function testBoxes(count = 605): Device[] {
  return Array.from({ length: count }, (_, i) => ({
    ...base(`box-${String(i + 1).padStart(4, '0')}`, i),
    kind: 'box' as const,
    compartments: TEST_COMPARTMENTS.map((c) => ({ ...c })),
    cameraPointType: null,
  }));
}

/** 36 existing points, then 16 road and 2 market demonstration points, as in the district plan. */
export function testCameras(count = 54): Device[] {
  return Array.from({ length: count }, (_, i) => ({
    ...base(`cam-${String(i + 1).padStart(3, '0')}`, i + 3),
    kind: 'camera' as const,
    compartments: [],
    cameraPointType: i < 36 ? ('existing' as const) : i < 52 ? ('road' as const) : ('market' as const),
  }));
}

export const testFleet = (boxes = 605, cameras = 54): Device[] => [...testBoxes(boxes), ...testCameras(cameras)];
