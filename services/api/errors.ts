/**
 * Every error the API answers with, in one catalogue. Codes are stable and machine-readable
 * (clients branch on them); messages are for people. Fastify's own codes (FST_ERR_VALIDATION,
 * FST_ERR_CTP_*) pass through unchanged.
 */
import createError from '@fastify/error';

export const Unauthenticated = createError('BP_UNAUTHENTICATED', '%s', 401);
export const Forbidden = createError<[string, string]>(
  'BP_FORBIDDEN',
  "role '%s' lacks the permission '%s'",
  403,
);
export const RouteNotFound = createError<[string, string]>('BP_NOT_FOUND', 'no route %s %s', 404);
export const DeviceNotFound = createError<[string]>('BP_DEVICE_NOT_FOUND', "no device '%s'", 404);
export const DeviceExists = createError<[string]>('BP_DEVICE_EXISTS', "device '%s' already exists", 409);
export const InvalidDevice = createError<[string]>('BP_INVALID_DEVICE', '%s', 400);
export const BadRange = createError<[string]>('BP_BAD_RANGE', '%s', 400);
export const TokenNotFound = createError<[string]>('BP_TOKEN_NOT_FOUND', "no token '%s'", 404);
export const TooManyStreams = createError<[number]>(
  'BP_TOO_MANY_STREAMS',
  'this token already holds %d open alert streams (SSE_MAX_STREAMS_PER_TOKEN); close one first',
  429,
);
export const AlertNotFound = createError<[string]>('BP_ALERT_NOT_FOUND', "no alert '%s'", 404);
export const AlertNotOpen = createError<[string]>('BP_ALERT_NOT_OPEN', "alert '%s' is resolved", 409);
export const AlertAlreadyAcknowledged = createError<[string]>(
  'BP_ALERT_ALREADY_ACKNOWLEDGED',
  "alert '%s' is already acknowledged",
  409,
);
export const SilenceNotFound = createError<[string]>('BP_SILENCE_NOT_FOUND', "no silence '%s'", 404);
export const BadSilence = createError<[string]>('BP_BAD_SILENCE', '%s', 400);
/** What a client sees for any unexpected failure: details go to the log, never the response. */
export const PlanNotFound = createError<[string]>('BP_PLAN_NOT_FOUND', "no plan '%s'", 404);
/** A plan request the registry or the calendar cannot satisfy; the message starts with the field. */
export const BadPlanRequest = createError<[string]>('BP_BAD_PLAN_REQUEST', '%s', 400);
export const StoreUnavailable = createError<[string]>('BP_STORE_UNAVAILABLE', 'time-series store unavailable: %s', 503);
export const Internal = createError('BP_INTERNAL', 'internal error', 500);

/**
 * Reads from the time-series store (InfluxDB may be down while ingest keeps spooling): a failure
 * is the dependency's, so answer 503 with the reason instead of a bare 500.
 */
export async function fromStore<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw new StoreUnavailable((error as Error).message);
  }
}
