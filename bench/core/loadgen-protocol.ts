/** Messages between a benchmark and its load generator processes (over the IPC channel). */

export interface LoadgenInit {
  type: 'init';
  host: string;
  port: number;
  /** The fleet file the platform reads (bench/adapters/fleet.ts); devices [from, to) are this generator's. */
  credentialsPath: string;
  from: number;
  to: number;
  /** false: connect without username/password (the bare broker has no authentication). */
  auth: boolean;
}

export type LoadgenCommand =
  | LoadgenInit
  /** storm: every connection at once; otherwise at most `concurrency` connects in flight. */
  | { type: 'connect'; storm: boolean; concurrency?: number }
  /** Simulates the devices' own traffic over `days` days (before a run: it takes seconds). */
  | { type: 'plan'; days: number }
  /** As fast as the broker acknowledges, `window` QoS 1 publishes in flight per connection. */
  | { type: 'run'; mode: 'max'; window: number; warmupMs: number; measureMs: number }
  /** A steady district-like rate, spread over the connections, until `stop` or durationMs. */
  | { type: 'run'; mode: 'paced'; ratePerS: number; durationMs: number }
  | { type: 'stop' }
  /** Each device says it is online and sends one reading, as after a (re)boot. */
  | { type: 'publish-once' }
  | { type: 'close' };

export type LoadgenReply =
  | { type: 'ready'; devices: number }
  | { type: 'planned'; messages: number }
  | { type: 'connected'; elapsedMs: number; accepted: number; refused: number; attempts: number }
  | { type: 'progress'; sent: number; acked: number }
  | {
      type: 'ran';
      sent: number;
      acked: number;
      /** PUBACKs inside the measurement window, and its length. */
      measuredAcked: number;
      measuredMs: number;
      /** CPU this generator used in the window, as a share of one core (0..1). */
      cpuShare: number;
      messagesPlanned: number;
    }
  | { type: 'published-once'; acked: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
