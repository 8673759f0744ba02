/**
 * The plan view's arithmetic (issue 13): one colour per vehicle route, district clock times for
 * ETAs, and each route's stops joined with their proof-of-service status when the progress
 * endpoint answers. Pure: no DOM, no clock; times and the district offset are passed in.
 */
import type { Plan, PlanProgress, PlanRoute, PlanStop, StopStatus } from '../../../shared/contracts/index.ts';

/**
 * Twelve colours a driver and an operator tell apart on a map and on paper: every pair at least
 * ΔE 25 apart (CIE Lab), none closer than ΔE 25 to the fill scale's green/amber/red
 * (fill-scale.ts), so a route never reads as a fill level. A thirteenth vehicle reuses the first
 * colour with a dashed line (routeDash).
 */
export const ROUTE_COLOURS = [
  '#1f5fd6', // blue
  '#8e3fd1', // violet
  '#d2367a', // magenta
  '#0f8b8d', // teal
  '#b86b00', // ochre
  '#6b7a00', // olive
  '#6b3e26', // brown
  '#00a3d9', // sky
  '#37474f', // slate
  '#f08ac0', // pink
  '#1a237e', // navy
  '#b39ddb', // lavender
] as const;

export function routeColour(index: number): string {
  return ROUTE_COLOURS[((index % ROUTE_COLOURS.length) + ROUTE_COLOURS.length) % ROUTE_COLOURS.length]!;
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const LIGHT_INK = '#ffffff';
const DARK_INK = '#1b2430';

/** The stop numbers' colour on a route colour: white, or dark on the light ones (pink, lavender). */
export function routeInk(colour: string): string {
  return contrastRatio(colour, LIGHT_INK) >= contrastRatio(colour, DARK_INK) ? LIGHT_INK : DARK_INK;
}

/** Solid for the first twelve routes, dashed for the next twelve, so no two routes look the same. */
export function routeDash(index: number): string | undefined {
  return Math.floor(index / ROUTE_COLOURS.length) % 2 === 1 ? '8 6' : undefined;
}

/** "06:42": an instant's district wall-clock time, for ETAs on screen, on paper and in the CSV. */
export function clockTime(instant: string | number, utcOffsetMinutes: number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) return '–';
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
}

export interface StopRow {
  stop: PlanStop;
  /** null while the progress endpoint has not answered (or does not exist yet). */
  status: StopStatus | null;
  collectedAt: string | null;
}

export interface RouteView {
  route: PlanRoute;
  colour: string;
  /** The stop numbers' colour on `colour`. */
  ink: string;
  dash: string | undefined;
  /** Stops in driving order. */
  stops: StopRow[];
  /** Share of capacity the route loads, 0..1 (or more if the planner overloaded it). */
  loadShare: number;
  /** Served (done + late) / stops from the progress; null without progress. */
  completion: number | null;
}

/**
 * The plan's routes as the view draws them: routes with stops only (a vehicle the planner left
 * at the depot has nothing to drive or print), each with its colour, in the plan's order so a
 * vehicle keeps its colour between refreshes of the same plan.
 */
export function routeViews(plan: Plan, progress: PlanProgress | null): RouteView[] {
  const byVehicle = new Map((progress?.planId === plan.id ? progress.routes : []).map((r) => [r.vehicleId, r]));
  return plan.routes
    .filter((route) => route.stops.length > 0)
    .map((route, index) => {
      const routeProgress = byVehicle.get(route.vehicleId);
      const bySequence = new Map(routeProgress?.stops.map((s) => [s.sequence, s]) ?? []);
      return {
        route,
        colour: routeColour(index),
        ink: routeInk(routeColour(index)),
        dash: routeDash(index),
        stops: [...route.stops]
          .sort((a, b) => a.sequence - b.sequence)
          .map((stop) => {
            const p = bySequence.get(stop.sequence);
            // A progress row for another box at this sequence is not this stop's.
            const matches = p !== undefined && p.deviceId === stop.deviceId;
            return { stop, status: matches ? p.status : null, collectedAt: matches ? p.collectedAt : null };
          }),
        loadShare: route.capacityKg > 0 ? route.loadKg / route.capacityKg : 0,
        completion: routeProgress ? routeProgress.completion : null,
      };
    });
}

/** "3 h 25 min" parts for a route's duration. */
export function hoursAndMinutes(totalMinutes: number): { hours: number; minutes: number } {
  const rounded = Math.max(0, Math.round(totalMinutes));
  return { hours: Math.floor(rounded / 60), minutes: rounded % 60 };
}

/** The shift's local start and end ("06:00", "14:00"), as the plan list shows them. */
export function shiftTimes(plan: Pick<Plan, 'shift'>, utcOffsetMinutes: number): { start: string; end: string } {
  return { start: clockTime(plan.shift.startAt, utcOffsetMinutes), end: clockTime(plan.shift.endAt, utcOffsetMinutes) };
}

/**
 * Who made a plan, from the API's `createdBy` ("王芳 (operator)", routes/alerts.ts actor()):
 * the name and the role code, so the console names the role in the reader's language; any
 * other text is a name alone.
 */
export function plannerOf(createdBy: string): { name: string; role: 'operator' | 'engineer' | 'manager' | 'admin' | null } {
  const match = /^(.*) \((operator|engineer|manager|admin)\)$/.exec(createdBy);
  return match ? { name: match[1]!, role: match[2] as 'operator' | 'engineer' | 'manager' | 'admin' } : { name: createdBy, role: null };
}
