/** journal_near_cap end to end: a real journal's capacity watch wired to a real alert engine. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertOnJournalCapacity } from '../../../services/platform/wiring/alerts.ts';
import { entry, openJournal, removeTempDirs, tempJournalFile } from '../journal/journal-harness.ts';
import { alertsHarness, metricValue } from './harness.ts';

/** 34-byte topic + 66-byte body: 100 bytes an entry against a 1000-byte cap. */
const BODY = 'x'.repeat(66);

describe('journal_near_cap', () => {
  const h = alertsHarness();
  const stops: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    h.cleanup();
    removeTempDirs();
  });

  it('raises once when the unconsumed backlog passes 80% of the cap and clears when the consumer catches up', async () => {
    const { engine, events, metrics } = h.open();
    engine.start();
    const { journal } = openJournal(tempJournalFile(), { maxBytes: 1000 });
    stops.push(() => journal.stop());
    journal.register('timeseries');
    stops.push(alertOnJournalCapacity(journal, engine, () => h.clock.now));
    expect(events).toEqual([]);

    for (let i = 0; i < 8; i++) await journal.append(entry(BODY));
    expect(events).toEqual([]); // 800 bytes: at 80 %, not past it

    await journal.append(entry(BODY)); // 900
    await journal.append(entry(BODY)); // 1000: exactly the cap
    await expect(journal.append(entry(BODY))).rejects.toThrow();

    expect(events.map((e) => e.event)).toEqual(['raised']);
    const alert = events[0]!.alert;
    expect(alert).toMatchObject({
      key: 'journal_near_cap:timeseries',
      type: 'journal_near_cap',
      severity: 'critical',
      status: 'active',
      count: 1,
      deviceId: null,
      area: null,
      subdistrict: null,
      evidence: { backlogBytes: 900, maxBytes: 1000 },
    });
    expect(alert.title).toBe('Ingest backlog at 90% of its cap (InfluxDB unreachable?)');
    expect(await metricValue(metrics, 'binpulse_alerts_open', { type: 'journal_near_cap' })).toBe(1);

    journal.commit('timeseries', 2); // 800 bytes left: not past 80 %, not yet below 70 %
    expect(events).toHaveLength(1);
    journal.commit('timeseries', journal.headSeq());

    expect(events.map((e) => e.event)).toEqual(['raised', 'resolved']);
    expect(events[1]!.alert).toMatchObject({ id: alert.id, status: 'resolved', resolvedBy: 'auto' });
    expect(engine.list({ status: 'open', limit: 10, offset: 0 }).total).toBe(0);
  });

  it('on subscribing, raises for a backlog already near the cap and clears one a previous run left open', async () => {
    const file = tempJournalFile();
    const first = openJournal(file, { maxBytes: 1000 });
    first.journal.register('timeseries');
    for (let i = 0; i < 9; i++) await first.journal.append(entry(BODY));
    await first.journal.stop();

    const { engine, events } = h.open();
    engine.start();
    const { journal } = openJournal(file, { maxBytes: 1000 });
    stops.push(() => journal.stop());
    stops.push(alertOnJournalCapacity(journal, engine, () => h.clock.now));
    expect(events.map((e) => [e.event, e.alert.key])).toEqual([['raised', 'journal_near_cap:timeseries']]);
    await journal.stop();

    // Next run: the consumer caught up meanwhile, nothing crosses a threshold, yet the alert clears.
    const again = openJournal(file, { maxBytes: 1000 });
    stops.push(() => again.journal.stop());
    again.journal.commit('timeseries', again.journal.headSeq());
    stops.push(alertOnJournalCapacity(again.journal, engine, () => h.clock.now));
    expect(events.map((e) => e.event)).toEqual(['raised', 'resolved']);
  });
});
