/**
 * What residents put in: the category mix by weight, how heavy one deposit is, the points it
 * earns, and which resident it was.
 */
import { POINTS_PILOT_COMMUNITY, type WasteCategory } from '../../shared/contracts/index.ts';
import { normal, type Random } from '../../shared/random.ts';
// The demo registry's households, one definition for the registry and the residents simulated.
import { demoHouseholds } from '../../services/fleet/core/communities.ts';
import type { SimulationTuning } from './context.ts';

interface CategoryModel {
  /** Share of the district's recovered kg. */
  kgShare: number;
  /** Mean kg of one deposit: a bag of bottles weighs less than a stack of cardboard. */
  meanKg: number;
  /** Points credited per kg: scarcer, more valuable material earns more. */
  pointsPerKg: number;
}

/** Paper ~40 % of kg, textile ~20 %, glass ~17 %, plastic ~15 %, metal ~8 %; ~3.5 kg a deposit overall. */
export const CATEGORY_MODELS: Record<WasteCategory, CategoryModel> = {
  paper: { kgShare: 0.4, meanKg: 4.2, pointsPerKg: 1 },
  plastic: { kgShare: 0.15, meanKg: 2.0, pointsPerKg: 3 },
  metal: { kgShare: 0.08, meanKg: 2.4, pointsPerKg: 4 },
  glass: { kgShare: 0.17, meanKg: 3.8, pointsPerKg: 1 },
  textile: { kgShare: 0.2, meanKg: 5.2, pointsPerKg: 2 },
  other: { kgShare: 0.05, meanKg: 2.5, pointsPerKg: 1 },
};

/** Spread of one deposit's weight (log-normal): most are a bag, a few a whole wardrobe clear-out. */
const WEIGHT_SIGMA = 0.55;
const MIN_KG = 0.05;
const MAX_KG = 40;

/**
 * How often each of a box's categories is chosen, per deposit: kg share ÷ mean deposit kg,
 * so that the kg (not the count) of deposits follow the district's mix.
 */
export function depositMix(categories: readonly WasteCategory[]): [WasteCategory, number][] {
  return [...new Set(categories)].map((c) => [c, CATEGORY_MODELS[c].kgShare / CATEGORY_MODELS[c].meanKg]);
}

export function depositWeightKg(r: Random, category: WasteCategory): number {
  const { meanKg } = CATEGORY_MODELS[category];
  const kg = meanKg * Math.exp(normal(r, 0, WEIGHT_SIGMA) - (WEIGHT_SIGMA * WEIGHT_SIGMA) / 2);
  return Math.round(Math.min(MAX_KG, Math.max(MIN_KG, kg)) * 100) / 100;
}

export function depositPoints(category: WasteCategory, weightKg: number): number {
  return Math.max(1, Math.round(weightKg * CATEGORY_MODELS[category].pointsPerKg));
}

/** 32-bit FNV-1a of a community's name: its share of households taking part, without a random stream. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * The residents (cards, one per household) who deposit at one of a community's boxes: the
 * community's demo households (the registry's) × the share taking part, over its boxes. The
 * pool only picks who deposits; how often and how much is unchanged.
 */
export function residentPool(community: string, boxesInCommunity: number, takingPart: SimulationTuning['takingPart']): number {
  const boxes = Math.max(1, boxesInCommunity);
  const share =
    community === POINTS_PILOT_COMMUNITY
      ? takingPart.pilot
      : takingPart.min + ((nameHash(community) >>> 8) % 1000) / 1000 * (takingPart.max - takingPart.min);
  return Math.max(1, Math.round((demoHouseholds(community, boxes) * share) / boxes));
}

/**
 * Which of the box's residents deposits: a few keen households come back often (squaring a
 * uniform favours low numbers), most rarely; over a month nearly all of the pool has come.
 */
export function pickResident(r: Random, residentsPerBox: number): number {
  const u = r.next();
  return Math.floor(u * u * residentsPerBox);
}
