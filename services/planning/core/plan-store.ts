/** Where shift plans are kept (issue 13): the SQLite adapter in production, memory in tests. */
import type { Plan } from '../../../shared/contracts/index.ts';

export interface PlanStore {
  save(plan: Plan): void;
  get(id: string): Plan | undefined;
  /** The plans of a district day's shifts, oldest first. */
  listByDate(date: string): Plan[];
  /**
   * For every vehicle some plan gives a route: the newest such plan (latest createdAt, then the
   * greater id). What each vehicle's retained plan topic carries, republished at start-up.
   */
  latestByVehicle(): Map<string, Plan>;
}
