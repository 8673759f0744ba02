/** The dashboard's headline numbers in one request. */
import { localDay } from '../../../shared/units.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { NO_DEMO_HISTORY, Summary } from '../../../shared/contracts/index.ts';

/** A box is "to empty" from this fillingLevel on. */
const FULL_THRESHOLD = 0.9;

export function summaryRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'registry' | 'deviceState' | 'deadLetters' | 'timeseries' | 'utcOffsetMinutes' | 'now' | 'demoHistory'>,
): void {
  app.get(
    '/api/v1/summary',
    {
      config: { permission: 'summary:read' },
      schema: {
        tags: ['summary'],
        summary: 'Fleet size, online devices, full boxes, kg deposited today (district-local), dead letters, demo history progress',
        response: { 200: Summary },
      },
    },
    async (request): Promise<Summary> => {
      const states = deps.deviceState.all();
      const summary: Summary = {
        boxes: 0,
        cameras: 0,
        online: { box: 0, camera: 0 },
        boxesAbove90: 0,
        depositedKgToday: 0,
        deadLetters: 0,
        history: deps.demoHistory?.() ?? NO_DEMO_HISTORY,
      };
      // Only registered devices count: a removed device's leftover state is not part of the fleet.
      for (const device of deps.registry.list()) {
        // Weighbridges are not part of the collection fleet's KPIs (issue 14's mass balance shows them).
        if (device.kind === 'scale') continue;
        const state = states.get(device.id);
        if (device.kind === 'box') summary.boxes += 1;
        else summary.cameras += 1;
        if (state?.online) summary.online[device.kind] += 1;
        if (device.kind === 'box' && (state?.maxFillingLevel ?? 0) >= FULL_THRESHOLD) summary.boxesAbove90 += 1;
      }
      const today = localDay(deps.now(), deps.utcOffsetMinutes);
      // The fleet's state is in memory; only today's kg needs the store, which may be down.
      try {
        const rows = await deps.timeseries.tonnage({ fromDay: today, toDay: today, utcOffsetMinutes: deps.utcOffsetMinutes });
        summary.depositedKgToday = rows.reduce((sum, row) => sum + row.kg, 0);
      } catch (error) {
        request.log.warn({ err: error }, 'summary without today’s kg: time-series store unavailable');
        summary.depositedKgToday = null;
      }
      summary.deadLetters = Object.values(deps.deadLetters.counts()).reduce((sum, n) => sum + n, 0);
      return summary;
    },
  );
}
