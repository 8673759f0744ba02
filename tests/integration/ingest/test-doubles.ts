/** Test doubles and metric helpers for the ingest integration tests. */
import type { Registry } from 'prom-client';
import type { TimeSeriesRecord, TimeSeriesStore } from '../../../services/timeseries/core/store.ts';

export async function metricValue(metrics: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.getSingleMetric(name)!.get();
  const match = metric.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

/** A store that fails its first `failures` writes, then delegates. */
export class FlakyStore implements TimeSeriesStore {
  writes = 0;
  constructor(
    private readonly inner: TimeSeriesStore,
    private failures: number,
  ) {}
  async write(records: readonly TimeSeriesRecord[]) {
    this.writes++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('influx unavailable');
    }
    return this.inner.write(records);
  }
  deviceSeries: TimeSeriesStore['deviceSeries'] = (...a) => this.inner.deviceSeries(...a);
  tonnage: TimeSeriesStore['tonnage'] = (q) => this.inner.tonnage(q);
  weighTickets: TimeSeriesStore['weighTickets'] = (r) => this.inner.weighTickets(r);
  sortingReports: TimeSeriesStore['sortingReports'] = (r) => this.inner.sortingReports(r);
  collections: TimeSeriesStore['collections'] = (r) => this.inner.collections(r);
  participation: TimeSeriesStore['participation'] = (q) => this.inner.participation(q);
  close = () => this.inner.close();
}

/** An error as InfluxDB's store raises it, with the hints the writer logs. */
export class StoreDownError extends Error {
  readonly retriable = true;
  constructor(readonly retryAfterMs?: number) {
    super('time-series store unavailable');
  }
}

/**
 * A store that fails while `down` is set, then delegates; it remembers every batch it
 * stored (in order) and every attempt.
 */
export class SwitchableStore implements TimeSeriesStore {
  down = false;
  attempts = 0;
  readonly stored: TimeSeriesRecord[][] = [];
  constructor(private readonly inner: TimeSeriesStore) {}
  async write(records: readonly TimeSeriesRecord[]) {
    this.attempts++;
    if (this.down) throw new StoreDownError(5);
    await this.inner.write(records);
    this.stored.push([...records]);
  }
  deviceSeries: TimeSeriesStore['deviceSeries'] = (...a) => this.inner.deviceSeries(...a);
  tonnage: TimeSeriesStore['tonnage'] = (q) => this.inner.tonnage(q);
  weighTickets: TimeSeriesStore['weighTickets'] = (r) => this.inner.weighTickets(r);
  sortingReports: TimeSeriesStore['sortingReports'] = (r) => this.inner.sortingReports(r);
  collections: TimeSeriesStore['collections'] = (r) => this.inner.collections(r);
  participation: TimeSeriesStore['participation'] = (q) => this.inner.participation(q);
  close = () => this.inner.close();
}
