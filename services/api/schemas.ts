/**
 * Zod schemas only the API uses: query/params shapes, the summary, tokens, and the response
 * variants of the shared device schemas.
 *
 * Why response variants: shared Device, CompartmentSpec and CompartmentReading are strict
 * objects (right for input: a typo in a provisioning request must be refused). As response
 * schemas, strictness would turn an unexpected field from a store (say a secret hash) into a
 * 500. The variants below strip instead, so the response schema is an allow-list: fields it
 * does not name never leave the server, and the response still succeeds.
 */
import { z } from 'zod';
import {
  ApiRole,
  CompartmentReading,
  CompartmentSpec,
  DeadLetterReason,
  Device,
  DeviceId,
  DeviceList,
  DeviceState,
  SeriesPoint,
} from '../../shared/contracts/index.ts';

export const DeviceOut = Device.strip().extend({ compartments: z.array(CompartmentSpec.strip()) });
export const DeviceStateOut = DeviceState.strip().extend({ compartments: z.array(CompartmentReading.strip()) });
export const DeviceWithStateOut = DeviceOut.extend({ state: DeviceStateOut });
export const DeviceListOut = DeviceList.strip().extend({ items: z.array(DeviceWithStateOut) });
export const DeviceDetailOut = DeviceWithStateOut.extend({ series: z.array(SeriesPoint.strip()) });
export const ProvisionedDeviceOut = z.object({
  device: DeviceOut,
  secret: z.string().describe('MQTT password of the device: shown once, only its hash is stored'),
});

export const DeviceIdParams = z.object({ id: DeviceId });

export const MAX_DETAIL_HOURS = 168;
export const DeviceDetailQuery = z.object({
  hours: z.coerce.number().int().min(1).max(MAX_DETAIL_HOURS).default(24).describe('How many past hours of series'),
});

export const DeadLetterQuery = z.object({
  reason: DeadLetterReason.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});


export const Health = z.looseObject({ status: z.literal('ok') });

export const NewToken = z.strictObject({
  role: ApiRole,
  name: z.string().trim().min(1).max(64).describe('Who or what uses the token, e.g. "ops dashboard"'),
});
export const TokenIdParams = z.object({ id: z.string().min(1).max(64) });
export const TokenInfoOut = z.object({
  id: z.string(),
  role: ApiRole,
  name: z.string(),
  createdAt: z.string().describe('ISO 8601 instant (UTC)'),
});
export const CreatedToken = z.object({
  id: z.string(),
  role: ApiRole,
  name: z.string(),
  token: z.string().describe('Bearer token: shown once, only its hash is stored'),
});
export const TokenList = z.object({ items: z.array(TokenInfoOut) });
