/**
 * Camera cases already alerted. A camera reports one case (one eventId) with 'start', then
 * 'update' while it persists, then 'end'. When someone resolves the alert while the camera still
 * reports the same case, those updates must not open a new alert every minute (and inflate the
 * dumping hotspot count): a case seen again within the window of its last sighting stays handled.
 * A new case (new eventId), or the same one after a quiet window, opens a new alert.
 */
export class DetectionCases {
  /** alert key → eventId → last sighting (ms). */
  private readonly seen = new Map<string, Map<string, number>>();

  /** True when the case was sighted (and alerted) within the window before `at`. */
  known(key: string, eventId: string, at: number, windowMs: number): boolean {
    return this.recent(key, at, windowMs)?.has(eventId) ?? false;
  }

  sighted(key: string, eventId: string, at: number, windowMs: number): void {
    const cases = this.recent(key, at, windowMs) ?? new Map<string, number>();
    cases.set(eventId, Math.max(at, cases.get(eventId) ?? at));
    this.seen.set(key, cases);
  }

  /** The key's cases sighted within the window; older ones are forgotten (memory stays bounded). */
  private recent(key: string, at: number, windowMs: number): Map<string, number> | undefined {
    const cases = this.seen.get(key);
    if (!cases) return undefined;
    for (const [id, last] of cases) if (at - last > windowMs) cases.delete(id);
    if (cases.size > 0) return cases;
    this.seen.delete(key);
    return undefined;
  }
}
