/**
 * Why an alert key is held open. Several causes can raise the same key (a low battery reading
 * and a low_battery fault; a lid left open and a lid_stuck fault); the key clears only when the
 * last cause goes away. In-memory only: after a restart the causes are unknown, so the first
 * "cause gone" report clears the alert, and a cause that still holds raises it again.
 */
export class ConditionSources {
  private readonly active = new Map<string, Set<string>>();

  set(key: string, source: string, on: boolean): void {
    const sources = this.active.get(key);
    if (on) {
      if (sources) sources.add(source);
      else this.active.set(key, new Set([source]));
      return;
    }
    if (!sources) return;
    sources.delete(source);
    if (sources.size === 0) this.active.delete(key);
  }

  has(key: string, source: string): boolean {
    return this.active.get(key)?.has(source) ?? false;
  }

  /** Any cause still holds the key. */
  any(key: string): boolean {
    return this.active.has(key);
  }
}
