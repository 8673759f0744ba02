/**
 * Checkpoints a SQLite file's write-ahead log from a worker thread with its own connection, so
 * copying the log into the database file (and the fsync after it) no longer blocks the event
 * loop. Issue 16: 22 % of the platform's busy time was the store's COMMIT, most of it SQLite's
 * automatic checkpoint every 1,000 pages.
 *
 * The owner turns automatic checkpoints off on its connection and calls request() after each
 * write; requests made while a checkpoint runs become one more afterwards. PASSIVE never waits
 * for the writer. Should the worker fail, onFailure is told once (the owner turns automatic
 * checkpoints back on) and later requests do nothing.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain CommonJS run by the worker (eval: no TypeScript loader needed in the thread). */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage('done');
});
`;

export class WalCheckpointer {
  private worker: Worker | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private failed = false;

  constructor(
    private readonly file: string,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Starts a checkpoint now, or right after the one running. */
  request(): void {
    if (this.stopped || this.failed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    (this.worker ??= this.startWorker()).postMessage('checkpoint');
  }

  /** Closes the worker's connection and waits for the thread to end. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const worker = this.worker;
    if (!worker || this.failed) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  private startWorker(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { file: this.file, driver } });
    // A store its owner forgets to close must not keep the process alive.
    worker.unref();
    worker.on('message', () => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.stopped) this.fail(new Error(`WAL checkpoint worker exited with code ${code}`));
    });
    return worker;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.running = false;
    this.onFailure(error);
  }
}
