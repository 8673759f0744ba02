/** InfluxDB down: ingest keeps spooling, and the API says so instead of failing blindly. */
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApi, FakeTimeSeries } from '../../support/api-fakes.ts';

class DownStore extends FakeTimeSeries {
  override async tonnage(): Promise<never> {
    throw new Error('InfluxDB not reachable (ECONNREFUSED)');
  }
  override async deviceSeries(): Promise<never> {
    throw new Error('InfluxDB not reachable (ECONNREFUSED)');
  }
}

describe('when the time-series store is unavailable', () => {
  let api: Awaited<ReturnType<typeof buildTestApi>>;
  afterEach(async () => api?.app.close());

  it('answers reports with 503 BP_STORE_UNAVAILABLE and the reason', async () => {
    api = await buildTestApi({ timeseries: new DownStore() });
    const response = await api.app.inject({ url: '/api/v1/reports/tonnage?from=2026-11-01&to=2026-11-02', headers: api.auth.manager });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'BP_STORE_UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('still gives the summary from the live state, without today’s kg', async () => {
    api = await buildTestApi({ timeseries: new DownStore() });
    const response = await api.app.inject({ url: '/api/v1/summary', headers: api.auth.operator });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ depositedKgToday: null });
  });
});
