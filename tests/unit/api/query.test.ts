import { describe, expect, it } from 'vitest';
import type { DeviceState } from '../../../shared/contracts/index.ts';
import { emptyDeviceState } from '../../../shared/contracts/index.ts';
import { listDevices } from '../../../services/api/core/query.ts';
import { makeDevice, makeState } from '../../support/api-fakes.ts';

describe('listDevices', () => {
  const devices = [makeDevice('C002', { kind: 'camera' }), makeDevice('B010'), makeDevice('B002'), makeDevice('A1')];
  const states = new Map<string, DeviceState>([
    ['B010', makeState({ maxFillingLevel: 0.2 })],
    ['C002', makeState({ online: false })],
  ]);
  const all = { limit: 1000, offset: 0 };

  it('sorts by id in code-unit order and gives unheard devices an empty state', () => {
    const result = listDevices(devices, states, all);
    expect(result.items.map((d) => d.id)).toEqual(['A1', 'B002', 'B010', 'C002']);
    expect(result.items[0]?.state).toEqual(emptyDeviceState());
    expect(result.items[0]?.state).toMatchObject({ online: false, lastSeen: null, messagesReceived: 0 });
  });

  it('counts total and online before paging', () => {
    const result = listDevices(devices, states, { limit: 1, offset: 2 });
    expect(result).toMatchObject({ total: 4, online: 1 });
    expect(result.items.map((d) => d.id)).toEqual(['B010']);
  });

  it('fillAbove never matches devices without a fill level', () => {
    expect(listDevices(devices, states, { ...all, fillAbove: 0 }).items.map((d) => d.id)).toEqual(['B010']);
  });
});
