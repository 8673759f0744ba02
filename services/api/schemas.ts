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
  Alert,
  ALERT_STATUSES,
  AlertType,
  AlertTransition,
  ApiRole,
  BoxForecast,
  CompartmentReading,
  CompartmentSpec,
  DeadLetterReason,
  Device,
  DeviceId,
  DeviceList,
  DeviceState,
  DeviceKind,
  SeriesPoint,
  Severity,
  Silence,
  SilenceMatcher,
  Subdistrict,
} from '../../shared/contracts/index.ts';

export const DeviceOut = Device.strip().extend({ compartments: z.array(CompartmentSpec.strip()) });
export const DeviceStateOut = DeviceState.strip().extend({ compartments: z.array(CompartmentReading.strip()) });
export const DeviceWithStateOut = DeviceOut.extend({ state: DeviceStateOut });
export const DeviceListOut = DeviceList.strip().extend({ items: z.array(DeviceWithStateOut) });
export const DeviceDetailOut = DeviceWithStateOut.extend({
  series: z.array(SeriesPoint.strip()),
  forecast: BoxForecast.nullable().describe("The box's live fill-level forecast; null for a camera"),
});
export const ProvisionedDeviceOut = z.object({
  device: DeviceOut,
  secret: z.string().describe('MQTT password of the device: shown once, only its hash is stored'),
});

export const DeviceIdParams = z.object({ id: DeviceId });

/** 30 days: the demo fleet's four weeks of history and today, as a chart of the month. */
export const MAX_DETAIL_HOURS = 720;
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
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('The token is refused after this many days; unset: TOKEN_MAX_AGE_DAYS, or until revoked'),
});
export const TokenIdParams = z.object({ id: z.string().min(1).max(64) });
export const TokenInfoOut = z.object({
  id: z.string(),
  role: ApiRole,
  name: z.string(),
  createdAt: z.string().describe('ISO 8601 instant (UTC)'),
  expiresAt: z.string().nullable().describe('ISO 8601 instant (UTC) after which the token is refused; null: until revoked'),
});
export const CreatedToken = z.object({
  id: z.string(),
  role: ApiRole,
  name: z.string(),
  token: z.string().describe('Bearer token: shown once, only its hash is stored'),
  expiresAt: z.string().nullable().describe('ISO 8601 instant (UTC) after which the token is refused; null: until revoked'),
});
export const TokenList = z.object({ items: z.array(TokenInfoOut) });

/** "true" / "false" only: z.coerce.boolean() would read "false" as true. */
const QueryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const AlertListQuery = z.object({
  status: z
    .enum(['open', ...ALERT_STATUSES])
    .optional()
    .describe('`open` = active or acknowledged'),
  type: AlertType.optional(),
  severity: Severity.optional(),
  deviceId: DeviceId.optional(),
  kind: DeviceKind.optional(),
  subdistrict: Subdistrict.optional(),
  muted: QueryBoolean.optional().describe('Raised while a silence matched'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
/** Alert ids are the engine's; bounded so a path cannot carry anything large. */
export const AlertIdParams = z.object({ id: z.string().min(1).max(128) });
export const AlertListOut = z.object({ total: z.int(), items: z.array(Alert) });
export const AlertDetailOut = Alert.extend({ history: z.array(AlertTransition) });
export const AcknowledgeBody = z
  .strictObject({ note: z.string().trim().min(1).max(500).optional() })
  // fastify hands a missing body to the validator as null.
  .nullish()
  .describe('Optional; `{}` or no body acknowledges without a note');
export const ResolveBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).describe('Why the alert is resolved by hand, e.g. "emptied by crew 3"'),
});

/** The shared matcher is strict (right for input); as a response it strips, like the device variants above. */
export const SilenceOut = Silence.extend({ matcher: SilenceMatcher.strip() });
export const SilenceList = z.object({ items: z.array(SilenceOut) });
export const SilenceListQuery = z.object({
  includeExpired: QueryBoolean.default(false).describe('Also silences whose end has passed'),
});
export const SilenceIdParams = z.object({ id: z.string().min(1).max(128) });

export const AlertStreamQuery = z.object({
  access_token: z
    .string()
    .optional()
    .describe('The API token, for EventSource clients that cannot send an Authorization header'),
});
