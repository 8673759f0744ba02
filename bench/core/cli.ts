/** `npm run bench -- [scenario ...] [--quick] [--rounds N] [--peer node-red]`. Pure. */
import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './results.ts';

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Shorter windows and a smaller year: a smoke run of the harness, not figures to publish. */
  quick: boolean;
  /** Alternating bare/platform rounds of the ingest benchmark. */
  rounds: number;
  /**
   * A peer system the ingest scenario measures beside BinPulse under the same load (issue 16):
   * null unless asked for, because the peer is installed from the npm registry on first use.
   */
  peer: Peer | null;
  help: boolean;
}

export const PEERS = ['node-red'] as const;
export type Peer = (typeof PEERS)[number];

export const USAGE = `npm run bench -- [scenario ...] [--quick] [--rounds N] [--peer node-red]

scenarios: ${SCENARIOS.join(', ')} (default: all)
  --quick      short windows, 30 days of deposits instead of 365 (checks the harness; figures not comparable)
  --rounds N   ingest: alternating bare-aedes / platform rounds (default 2)
  --peer node-red
               ingest: also a Node-RED flow (mqtt in -> json -> join -> influxdb batch) on aedes
               and influxd under the same load; installs Node-RED into bench/.peers/ on first use
Results: a table on stdout, JSON in bench/results/.`;

export class UsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      peer: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const unknown = positionals.filter((p) => !(SCENARIOS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new UsageError(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const rounds = values.rounds === undefined ? 2 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new UsageError('--rounds must be an integer from 1 to 10');
  if (values.peer !== undefined && !(PEERS as readonly string[]).includes(values.peer)) {
    throw new UsageError(`unknown peer ${values.peer}; choose from ${PEERS.join(', ')}`);
  }
  return {
    scenarios: positionals.length === 0 ? [...SCENARIOS] : SCENARIOS.filter((s) => positionals.includes(s)),
    quick: values.quick,
    rounds,
    peer: (values.peer as Peer | undefined) ?? null,
    help: values.help,
  };
}
