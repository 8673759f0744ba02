/** Devices: the list operators and engineers work from, one device's detail, provisioning. */
import { ApiErrorBody, DeviceListQuery, NewDevice } from '../../../shared/contracts/index.ts';
import { FleetError } from '../../fleet/core/registry.ts';
import { listDevices, withState } from '../core/query.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { DeviceExists, DeviceNotFound, fromStore, InvalidDevice } from '../errors.ts';
import {
  DeviceDetailOut,
  DeviceDetailQuery,
  DeviceIdParams,
  DeviceListOut,
  ProvisionedDeviceOut,
} from '../schemas.ts';

const HOUR_MS = 3_600_000;
/**
 * Bounded for the browser (~1.6 MB of JSON), yet enough for a month: a 5-compartment box's
 * reading is up to 13 points, so the demo history's four weeks of hourly readings and deposits
 * are ~9,700 points, and the live fleet (a reading every few minutes) adds ~2,300 a day.
 */
const SERIES_LIMIT = 20_000;

export function deviceRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'registry' | 'deviceState' | 'timeseries' | 'forecasts' | 'now'>,
): void {
  app.get(
    '/api/v1/devices',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'Devices with their latest state, filtered and paged, sorted by id',
        querystring: DeviceListQuery,
        response: { 200: DeviceListOut, 400: ApiErrorBody },
      },
    },
    async (request) => {
      const { kind, subdistrict, ...rest } = request.query;
      // kind and subdistrict narrow in the registry; the rest needs the state.
      const devices = deps.registry.list({
        ...(kind !== undefined && { kind }),
        ...(subdistrict !== undefined && { subdistrict }),
      });
      return listDevices(devices, deps.deviceState.all(), { kind, subdistrict, ...rest });
    },
  );

  app.get(
    '/api/v1/devices/:id',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: "One device's registry record, latest state, recent series and fill-level forecast",
        params: DeviceIdParams,
        querystring: DeviceDetailQuery,
        response: { 200: DeviceDetailOut, 400: ApiErrorBody, 404: ApiErrorBody, 503: ApiErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      const device = deps.registry.get(id);
      if (device === undefined) throw new DeviceNotFound(id);
      const now = deps.now();
      // `to` is exclusive: +1 keeps a reading stamped exactly now.
      const range = { from: now - request.query.hours * HOUR_MS, to: now + 1 };
      const series = await fromStore(deps.timeseries.deviceSeries(id, range, SERIES_LIMIT));
      return { ...withState(device, deps.deviceState.get(id)), series, forecast: deps.forecasts.boxForecast(device) };
    },
  );

  app.post(
    '/api/v1/devices',
    {
      config: { permission: 'fleet:write' },
      schema: {
        tags: ['devices'],
        summary: 'Provision a device; its MQTT secret is in the response, once',
        body: NewDevice,
        response: { 201: ProvisionedDeviceOut, 400: ApiErrorBody, 409: ApiErrorBody },
      },
    },
    async (request, reply) => {
      try {
        const provisioned = deps.registry.add(request.body);
        return reply.code(201).send(provisioned);
      } catch (error) {
        if (error instanceof FleetError && error.code === 'DEVICE_EXISTS') throw new DeviceExists(request.body.id);
        if (error instanceof FleetError && error.code === 'INVALID_DEVICE') throw new InvalidDevice(error.message);
        throw error;
      }
    },
  );
}
