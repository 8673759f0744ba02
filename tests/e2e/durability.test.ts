/**
 * Durable ingest, as the issue accepts it: nothing the broker acknowledged is lost and
 * nothing is stored twice, whatever happens downstream. Demo boxes publish unique deposits
 * at QoS 1 (mqtt.js, their own credentials) into the platform running as `npm start` does;
 * every PUBACK is recorded; then the stores are read directly and through the API.
 *
 * 1. InfluxDB goes down for ~30 s while the stream goes on, and comes back (same data, same
 *    port): the journal's 'timeseries' backlog is replayed, and InfluxDB holds exactly the
 *    acknowledged deposits.
 * 2. The platform is SIGKILLed under a pipelined load and restarted on the same DATA_DIR:
 *    every acknowledged deposit is in timeseries.db exactly once (publishes in flight at the
 *    kill may or may not be; they were never acknowledged).
 *
 * Each prints "sent, acknowledged, stored". No timing is asserted; waits have generous bounds.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS, localDay } from '../../shared/units.ts';
import { demoBoxes, startDepositStream, type SentDeposit } from '../support/deposit-stream.ts';
import { hasInfluxd, startInfluxd, type RunningInfluxd } from '../support/influxd.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';

const UTC_OFFSET_MIN = 480; // DISTRICT_UTC_OFFSET_MIN's default: Tianning, UTC+8
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** binpulse_journal_backlog{consumer} from the platform's /metrics. */
async function journalBacklog(platform: RunningPlatform, consumer: string): Promise<number> {
  const text = await (await fetch(`${platform.baseUrl}/metrics`)).text();
  const match = new RegExp(`^binpulse_journal_backlog\\{consumer="${consumer}"\\} (\\d+)$`, 'm').exec(text);
  if (!match) throw new Error(`no binpulse_journal_backlog{consumer="${consumer}"} in /metrics`);
  return Number(match[1]);
}

function waitForEmptyBacklog(platform: RunningPlatform, timeoutMs: number): Promise<true> {
  return waitFor(
    async () => ((await journalBacklog(platform, 'timeseries')) === 0 ? true : undefined),
    timeoutMs,
    'binpulse_journal_backlog{consumer="timeseries"} 0',
  );
}

interface TonnageReport {
  totalKg: number;
  totalDeposits: number;
}

/** The tonnage report over yesterday and today (district days): the deposits were made just now. */
async function tonnageReport(platform: RunningPlatform): Promise<Response> {
  const today = localDay(Date.now(), UTC_OFFSET_MIN);
  const yesterday = localDay(Date.now() - DAY_MS, UTC_OFFSET_MIN);
  return fetch(`${platform.baseUrl}/api/v1/reports/tonnage?from=${yesterday}&to=${today}`, {
    headers: { authorization: `Bearer ${platform.adminToken}` },
  });
}

async function tonnage(platform: RunningPlatform): Promise<TonnageReport> {
  const response = await tonnageReport(platform);
  if (!response.ok) throw new Error(`tonnage report: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as TonnageReport;
}

/** The journal's head and consumer offsets, read from the file of a stopped platform. */
function journalState(dataDir: string): { head: number; timeseries: number; live: number } {
  const db = new Database(join(dataDir, 'journal.db'), { readonly: true, fileMustExist: true });
  try {
    const head = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").get() as { seq: number } | undefined;
    const offsets = new Map(
      (db.prepare('SELECT name, committed_seq FROM consumers').all() as { name: string; committed_seq: number }[]).map((r) => [
        r.name,
        r.committed_seq,
      ]),
    );
    return { head: head?.seq ?? 0, timeseries: offsets.get('timeseries') ?? 0, live: offsets.get('live') ?? 0 };
  } finally {
    db.close();
  }
}

const sumGrams = (deposits: readonly SentDeposit[]) => deposits.reduce((g, d) => g + d.grams, 0);
const runId = (label: string) => `${label}-${Date.now().toString(36)}`;

/** Ids that occur more than once. */
function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

describe.runIf(hasInfluxd)('an InfluxDB outage under a steady stream of deposits', () => {
  let influxd: RunningInfluxd | undefined;
  let platform: RunningPlatform | undefined;

  afterAll(async () => {
    if (platform) {
      await platform.stop();
      platform.cleanUp();
    }
    await influxd?.stop();
  });

  async function influxQuery(q: string): Promise<{ columns: string[]; values: unknown[][] } | undefined> {
    const response = await fetch(`${influxd!.url}/query?${new URLSearchParams({ db: 'binpulse', epoch: 'ms' })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q }).toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[] };
    expect(body.results[0]!.error).toBeUndefined();
    return body.results[0]!.series?.[0];
  }

  it('stores every acknowledged deposit in InfluxDB exactly once after it comes back', async () => {
    const startedAt = Date.now();
    influxd = await startInfluxd({ restartable: true });
    platform = await startPlatformProcess({ SIMULATOR: 'off', INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DB: 'binpulse' });

    // ~200 deposits/s from 4 boxes for ~21 s; InfluxDB goes down a third of the way in.
    const stream = await startDepositStream({
      mqttPort: platform.mqttPort,
      boxes: demoBoxes(platform.dataDir, 4),
      runId: runId('outage'),
      inFlightPerBox: 10,
      pauseMs: 20,
      utcOffsetMinutes: UTC_OFFSET_MIN,
    });
    await sleep(7_000);
    await influxd.halt();
    const downAt = Date.now();
    const sentBeforeOutage = stream.ledger.sent.length;
    await sleep(14_000);
    const ledger = await stream.stop({ graceful: true });
    const sentDuringOutage = ledger.sent.length - sentBeforeOutage;

    // Down for ~30 s in all. Meanwhile only the store's backlog grows, and reports say 503.
    await sleep(Math.max(0, downAt + 30_000 - Date.now()));
    const backlogInOutage = await journalBacklog(platform, 'timeseries');
    const reportInOutage = await tonnageReport(platform);
    const outageMs = Date.now() - downAt;
    await influxd.resume();
    const upAt = Date.now();
    // The consumer backs off up to 30 s between attempts, then replays in order.
    await waitForEmptyBacklog(platform, 90_000);
    const drainedMs = Date.now() - upAt;

    const counted = await influxQuery('SELECT count("weightKg"), sum("weightKg") FROM "forever"."deposit"');
    const storedCount = Number(counted?.values[0]?.[1] ?? 0);
    const storedKg = Number(counted?.values[0]?.[2] ?? 0);
    const storedIds = ((await influxQuery('SELECT "eventId" FROM "forever"."deposit"'))?.values ?? []).map((row) => String(row[1]));
    const report = await tonnage(platform);

    console.info(
      `InfluxDB outage: sent ${ledger.sent.length} (${sentDuringOutage} while InfluxDB was down), ` +
        `acknowledged ${ledger.acked.length}, stored ${storedCount} (InfluxDB) / ${report.totalDeposits} (tonnage API); ` +
        `down ${seconds(outageMs)}, backlog in the outage ${backlogInOutage}, drained ${seconds(drainedMs)} after InfluxDB was back; ` +
        `test ${seconds(Date.now() - startedAt)}`,
    );

    expect(sentDuringOutage, 'the stream went on into the outage').toBeGreaterThan(0);
    expect(backlogInOutage, 'the outage held the timeseries consumer back').toBeGreaterThan(0);
    expect(reportInOutage.status).toBe(503);
    expect(ledger.unacked, `client errors: ${ledger.clientErrors.join('; ')}`).toBe(0);
    expect(ledger.acked.length).toBe(ledger.sent.length);

    const ackedIds = ledger.acked.map((d) => d.eventId);
    expect(duplicates(ackedIds)).toEqual([]);
    expect(duplicates(storedIds), 'no deposit stored twice').toEqual([]);
    expect(storedIds.length).toBe(storedCount);
    expect(storedCount, 'stored == acknowledged').toBe(ackedIds.length);
    expect(new Set(storedIds)).toEqual(new Set(ackedIds));
    const ackedKg = sumGrams(ledger.acked) / 1000;
    expect(storedKg).toBeCloseTo(ackedKg, 3);
    expect(report.totalDeposits).toBe(ackedIds.length);
    expect(report.totalKg).toBeCloseTo(ackedKg, 3);
  }, 180_000);
});

describe('a SIGKILL of the platform under load', () => {
  let platform: RunningPlatform | undefined;

  afterAll(async () => {
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it('keeps every acknowledged deposit, stored exactly once, after the restart', async () => {
    const startedAt = Date.now();
    platform = await startPlatformProcess({ SIMULATOR: 'off' });
    const { dataDir } = platform;

    // 6 boxes, 50 publishes in flight each, as fast as the broker acknowledges.
    const stream = await startDepositStream({
      mqttPort: platform.mqttPort,
      boxes: demoBoxes(dataDir, 6),
      runId: runId('sigkill'),
      inFlightPerBox: 50,
      pauseMs: 0,
      utcOffsetMinutes: UTC_OFFSET_MIN,
    });
    await sleep(5_000);
    const exit = await platform.stop('SIGKILL');
    expect(exit, 'killed, not exited').toBeNull();
    const ledger = await stream.stop({ graceful: false, settleTimeoutMs: 10_000 });
    const atKill = journalState(dataDir);

    const restartAt = Date.now();
    platform = await startPlatformProcess({ SIMULATOR: 'off' }, { dataDir });
    await waitForEmptyBacklog(platform, 60_000);
    const recoveredMs = Date.now() - restartAt;

    const db = new Database(join(dataDir, 'timeseries.db'), { readonly: true, fileMustExist: true });
    let rows: { device_id: string; event_id: string; weight_kg: number }[];
    try {
      rows = db.prepare('SELECT device_id, event_id, weight_kg FROM deposits').all() as typeof rows;
    } finally {
      db.close();
    }
    const report = await tonnage(platform);

    console.info(
      `SIGKILL under load: sent ${ledger.sent.length}, acknowledged ${ledger.acked.length}, stored ${rows.length} ` +
        `(tonnage API ${report.totalDeposits}); in flight at the kill, never acknowledged: ${ledger.unacked}; ` +
        `journal at the kill: head ${atKill.head}, timeseries committed ${atKill.timeseries}, live committed ${atKill.live}; ` +
        `restart to empty backlog ${seconds(recoveredMs)}; test ${seconds(Date.now() - startedAt)}`,
    );

    expect(ledger.acked.length, 'the kill came under load').toBeGreaterThan(0);
    const storedIds = rows.map((r) => r.event_id);
    expect(duplicates(storedIds), 'no deposit stored twice').toEqual([]);
    const stored = new Set(storedIds);
    const lost = ledger.acked.filter((d) => !stored.has(d.eventId)).map((d) => d.eventId);
    expect(lost, 'acknowledged but not stored').toEqual([]);
    const sent = new Map(ledger.sent.map((d) => [d.eventId, d]));
    expect(storedIds.filter((id) => !sent.has(id)), 'stored but never sent').toEqual([]);
    const wrongKg = rows.filter((r) => Math.round(r.weight_kg * 1000) !== sent.get(r.event_id)?.grams);
    expect(wrongKg, 'stored as sent').toEqual([]);

    // The rollup the reports read counts each stored deposit once: replays after the kill
    // must not have added to it.
    const storedKg = sumGrams(storedIds.map((id) => sent.get(id)!)) / 1000;
    expect(report.totalDeposits).toBe(rows.length);
    expect(report.totalKg).toBeCloseTo(storedKg, 3);
  }, 150_000);
});
