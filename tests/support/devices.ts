/** Registry records the unit tests share: a box with two compartments in Hongmei. */
import type { Device } from '../../shared/contracts/index.ts';

export const TEST_BOX: Device = {
  id: 'box-0001',
  kind: 'box',
  name: 'Hongmei Xincun No. 3',
  lat: 31.79,
  lon: 119.98,
  subdistrict: 'hongmei',
  community: 'hongmei-xincun',
  address: '3 Hongmei Road',
  compartments: [
    { category: 'paper', capacityKg: 120 },
    { category: 'plastic', capacityKg: 60 },
  ],
  cameraPointType: null,
  installedOn: '2026-03-01',
  gridCell: 'HM-07',
  responsiblePerson: 'Zhang Wei',
};
