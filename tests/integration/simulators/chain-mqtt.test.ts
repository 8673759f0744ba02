/** The chain after the box over a real broker: weighbridges log in as devices and publish tickets and the sorting report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SortingReport, WeighTicket } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { formatStatusLine } from '../../../simulators/adapters/status-line.ts';
import { runSimulation, type SimulationHandle } from '../../../simulators/main.ts';
import { SCALES, SITES } from '../../unit/simulators/chain-fixture.ts';
import { testBoxes } from '../../unit/simulators/fleet-fixture.ts';
import { type ObservedMessage, type TestBroker, observe, startTestBroker, waitFor } from './test-broker.ts';

const members = [...testBoxes(30), ...SCALES].map((device) => ({ device, secret: `secret-of-${device.id}-0123456789` }));
const secrets = new Map(members.map((m) => [m.device.id, m.secret]));
/** 07:00 yesterday, district time: the morning round, the shipments at 18:30 and the sorting report at midnight follow. */
const START = localDayStart(localDay(Date.now(), 480), 480) - DAY_MS + 7 * HOUR_MS;

let broker: TestBroker;
let sim: SimulationHandle;
let seen: ObservedMessage[];
let closeObserver: () => Promise<void>;

const tickets = () => seen.filter((m) => m.channel === 'event/weigh').map((m) => ({ deviceId: m.deviceId, ticket: WeighTicket.parse(m.payload) }));

beforeAll(async () => {
  broker = await startTestBroker(secrets);
  const observer = await observe(broker.url, 'observer-chain');
  seen = observer.messages;
  closeObserver = () => observer.client.endAsync();
  sim = await runSimulation({
    url: broker.url,
    devices: members,
    sites: SITES,
    speed: 10_000,
    startMs: START,
    seed: 'integration',
    anomalyRate: 0,
    quiet: true,
    tickMs: 100,
    log: () => {},
  });
});

afterAll(async () => {
  await sim?.stop();
  await closeObserver?.();
  await broker?.close();
});

describe('the chain after the box over MQTT', () => {
  it('connects the weighbridges with their own credentials', async () => {
    await waitFor('every device connected', () => sim.stats().devices.connected === members.length);
    expect(broker.accepted.get('scale-ts-01')).toBe('scale-ts-01');
    expect(broker.accepted.get('scale-sc-01')).toBe('scale-sc-01');
  });

  it("publishes the trips' weigh-ins, the shipments out and in, and the day's sorting report", async () => {
    await waitFor('a sorting report', () => seen.some((m) => m.channel === 'event/sorting'), 60_000);
    const all = tickets();
    const weighIns = all.filter((t) => t.deviceId === 'scale-ts-01' && t.ticket.direction === 'in');
    const out = all.filter((t) => t.ticket.direction === 'out');
    expect(weighIns.length).toBeGreaterThan(0);
    expect(out.length).toBeGreaterThan(0);
    await waitFor('every shipment weighed in at the sorting centre', () =>
      out.every((o) => tickets().some((t) => t.deviceId === 'scale-sc-01' && t.ticket.reference === o.ticket.reference)),
    );
    const report = SortingReport.parse(seen.find((m) => m.channel === 'event/sorting')!.payload);
    expect(Object.keys(report.recoveredKg).length).toBeGreaterThan(0);
    expect(broker.foreignPublishes).toEqual([]);
    const stats = sim.stats();
    expect(stats.chain!.weighTickets).toBeGreaterThanOrEqual(all.length);
    expect(stats.chain!.sortingReports).toBeGreaterThanOrEqual(1);
    expect(formatStatusLine(stats, 480)).toContain('anomalies injected: 0 light, 0 missing, 0 drift');
  });
});
