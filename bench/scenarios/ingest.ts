/**
 * 1. Ingest throughput: the district's 659 devices publish their own traffic (QoS 1, a window
 * of publishes in flight per connection) as fast as the broker acknowledges, against
 * (a) bare aedes with a no-op subscriber, (b) the full platform (journal before PUBACK,
 * validation, enrichment, alerts) on its SQLite store, (c) the same on a real influxd when one
 * is installed, and with `--peer node-red` (d) Node-RED's batched flow to influxd on bare aedes
 * (issue 16). Rounds alternate a, b, c, d, a, b… in one run; the medians are compared.
 *
 * The platform's figure is the rate it *stores*, so acknowledging fast while the consumers fall
 * behind does not count (bench/scenarios/ingest-rounds.ts says how each system's is taken).
 */
import { existsSync } from 'node:fs';
import { median, round } from '../core/stats.ts';
import type { Figure } from '../core/results.ts';
import { ensureNodeRed } from '../adapters/node-red.ts';
import { DISTRICT_DEVICES, type Scenario } from './context.ts';
import { INFLUXD_BIN, measureBare, measureNodeRed, measurePlatform, type RoundFigures, WINDOW_PER_CONNECTION } from './ingest-rounds.ts';

export const ingestScenario: Scenario = async (ctx) => {
  const timing = ctx.options.quick ? { warmupMs: 2000, measureMs: 5000 } : { warmupMs: 5000, measureMs: 20_000 };
  const withInflux = existsSync(INFLUXD_BIN);
  const withNodeRed = ctx.options.peer === 'node-red' && withInflux;
  const notes: string[] = [];
  if (!withInflux) notes.push(`InfluxDB rounds skipped: ${INFLUXD_BIN} not installed (apt-get install influxdb)${ctx.options.peer ? `, and with them --peer ${ctx.options.peer}` : ''}`);
  if (withNodeRed) await ensureNodeRed(ctx.progress);

  const bare: RoundFigures[] = [];
  const sqlite: RoundFigures[] = [];
  const influx: RoundFigures[] = [];
  const nodeRed: RoundFigures[] = [];
  for (let r = 1; r <= ctx.options.rounds; r++) {
    const label = `round ${r}/${ctx.options.rounds}`;
    bare.push(await measureBare(ctx, timing, label));
    sqlite.push(await measurePlatform(ctx, timing, label, 'sqlite'));
    if (withInflux) influx.push(await measurePlatform(ctx, timing, label, 'influx'));
    if (withNodeRed) nodeRed.push(await measureNodeRed(ctx, timing, label));
  }

  const a = median(bare.map((x) => x.ackRate));
  const b = median(sqlite.map((x) => x.storedRate));
  const figures: Record<string, Figure> = {
    bareRate: msgs('(a) bare aedes, QoS 1 acknowledged', a),
    platformAckRate: msgs('(b) BinPulse on SQLite, acknowledged', median(sqlite.map((x) => x.ackRate))),
    platformRate: msgs('(b) BinPulse on SQLite, stored', b),
    ratio: { label: 'b / a: BinPulse (SQLite, stored) ÷ bare aedes', value: round(b / a, 2), unit: '' },
    bareCpu: cpu('bare aedes process CPU', bare.map((x) => x.targetCpu)),
    platformCpu: cpu('(b) platform process CPU', sqlite.map((x) => x.targetCpu)),
    platformCpuPerStored: usPerMessage('(b) CPU per stored message, platform', sqlite, (x) => x.targetCpu),
  };
  const c = median(influx.map((x) => x.storedRate));
  if (withInflux) {
    Object.assign(figures, {
      influxAckRate: msgs('(c) BinPulse on InfluxDB 1.6, acknowledged', median(influx.map((x) => x.ackRate))),
      influxRate: msgs('(c) BinPulse on InfluxDB 1.6, stored', c),
      influxRatio: { label: 'c / a: BinPulse (InfluxDB, stored) ÷ bare aedes', value: round(c / a, 2), unit: '' },
      influxPlatformCpu: cpu('(c) platform process CPU', influx.map((x) => x.targetCpu)),
      influxdCpu: cpu('(c) influxd CPU', influx.map((x) => x.influxdCpu ?? Number.NaN)),
      influxCpuPerStored: usPerMessage('(c) CPU per stored message, platform + influxd', influx, (x) => x.targetCpu + (x.influxdCpu ?? 0)),
    });
  }
  if (withNodeRed) {
    const d = median(nodeRed.map((x) => x.storedRate));
    Object.assign(figures, {
      nodeRedAckRate: msgs('(d) Node-RED flow on aedes, acknowledged', median(nodeRed.map((x) => x.ackRate))),
      nodeRedRate: msgs('(d) Node-RED flow, stored in influxd', d),
      nodeRedRatio: { label: 'c / d: BinPulse (InfluxDB) ÷ Node-RED flow, stored', value: round(c / d, 2), unit: '' },
      nodeRedCpu: cpu('(d) Node-RED process CPU', nodeRed.map((x) => x.targetCpu)),
      nodeRedBrokerCpu: cpu('(d) its aedes process CPU', nodeRed.map((x) => x.brokerCpu ?? Number.NaN)),
      nodeRedInfluxdCpu: cpu('(d) its influxd CPU', nodeRed.map((x) => x.influxdCpu ?? Number.NaN)),
      nodeRedCpuPerStored: usPerMessage('(d) CPU per stored message, aedes + Node-RED + influxd', nodeRed, (x) => x.targetCpu + (x.brokerCpu ?? 0) + (x.influxdCpu ?? 0)),
    });
    notes.push(
      `Node-RED stored ${nodeRed.map((x) => `${x.storedTotal!.toLocaleString('en-US')} of ${x.ackedTotal!.toLocaleString('en-US')}`).join(', ')} acknowledged messages once its writes settled`,
    );
    const errors = nodeRed.flatMap((x) => x.errors ?? []);
    if (errors.length > 0) notes.push(`Node-RED logged ${errors.length} errors, the first: ${errors[0]!.trim()}`);
  }
  const all = [...bare, ...sqlite, ...influx, ...nodeRed];
  figures.generatorCpu = { label: 'load generator CPU (max of runs)', value: round(Math.max(...all.map((x) => x.generatorCpu)) * 100, 0), unit: '% of a core' };
  const perRound = (i: number) => [bare, sqlite, influx, nodeRed].filter((list) => list.length > 0).map((list) => round(list[i]!.storedRate, 0)).join('/');
  notes.push(
    `rounds (${['a', 'b', withInflux ? 'c' : '', withNodeRed ? 'd' : ''].filter(Boolean).join(', ')}), stored msg/s: ${bare.map((_, i) => perRound(i)).join(', ')}`,
    `${DISTRICT_DEVICES} connections, ${WINDOW_PER_CONNECTION} publishes in flight each, ${timing.measureMs / 1000} s measured after ${timing.warmupMs / 1000} s warm-up`,
  );
  if (ctx.options.peer === 'node-red' && !withNodeRed) notes.push('--peer node-red skipped: it writes to influxd, which is not installed');
  return { scenario: 'ingest', figures, notes };
};

const msgs = (label: string, value: number): Figure => ({ label, value: round(value, 0), unit: 'msg/s' });
const cpu = (label: string, shares: number[]): Figure => ({ label, value: round(median(shares) * 100, 0), unit: '% of a core' });

/** Median over rounds of CPU seconds spent per message stored, in µs (lower is cheaper). */
const usPerMessage = (label: string, rounds: RoundFigures[], share: (x: RoundFigures) => number): Figure => ({
  label,
  value: round(median(rounds.map((x) => (share(x) / x.storedRate) * 1e6)), 0),
  unit: 'µs',
});
