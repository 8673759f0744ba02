/**
 * A discrete-event scheduler over simulated time. Tasks run in time order; ties run in the
 * order they were scheduled, so a run is the same whether it is advanced in one step or many.
 */
export type Task = (nowMs: number) => void;

interface Entry {
  at: number;
  order: number;
  task: Task;
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

export class Scheduler {
  readonly #heap: Entry[] = [];
  #order = 0;
  #now: number;

  constructor(startMs: number) {
    this.#now = startMs;
  }

  get nowMs(): number {
    return this.#now;
  }

  get pending(): number {
    return this.#heap.length;
  }

  /** Runs task at simulated instant `atMs`; an instant already passed means "now"; never = Infinity. */
  at(atMs: number, task: Task): void {
    if (!Number.isFinite(atMs)) return;
    this.#push({ at: Math.max(atMs, this.#now), order: this.#order++, task });
  }

  /** Runs every task due at or before untilMs (tasks may schedule more), then stands at untilMs. */
  runUntil(untilMs: number): void {
    for (let head = this.#heap[0]; head !== undefined && head.at <= untilMs; head = this.#heap[0]) {
      this.#pop();
      this.#now = head.at;
      head.task(head.at);
    }
    if (untilMs > this.#now) this.#now = untilMs;
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}
