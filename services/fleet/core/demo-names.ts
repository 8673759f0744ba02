/** Invented names for the demo fleet: residential communities and grid-cell responsible persons. */
import type { Subdistrict } from '../../../shared/contracts/index.ts';
import { pick, pickWeighted, type Random } from '../../../shared/random.ts';
import {
  COMMUNITY_SUFFIXES,
  GENERIC_NAME_PREFIXES,
  GIVEN_NAME_CHARS,
  SUBDISTRICT_PLACES,
  SURNAMES,
} from './tianning-places.ts';

const RANDOM_ATTEMPTS = 50;
const PHASES = ['二期', '三期', '四期', '五期', '六期', '七期', '八期', '九期'];

/** Hands out community names unique across the whole district, so a name identifies a community. */
export class CommunityNamer {
  readonly #used = new Set<string>();

  constructor(private readonly random: Random) {}

  /** Marks a name taken (the known communities), so no invented one repeats it. */
  reserve(name: string): void {
    this.#used.add(name);
  }

  next(subdistrict: Subdistrict): string {
    const local = SUBDISTRICT_PLACES[subdistrict].namePrefixes;
    for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
      // Local names (红梅新村) are more usual than developers' brand names (阳光花园).
      const prefix = this.random.next() < 0.45 ? pick(this.random, local) : pick(this.random, GENERIC_NAME_PREFIXES);
      const name = prefix + pickWeighted(this.random, COMMUNITY_SUFFIXES);
      if (this.#claim(name)) return name;
    }
    // Only a fleet far bigger than the district runs the pool dry: add phases, as developers do.
    for (let n = 0; ; n++) {
      const base = `${pick(this.random, local)}${pickWeighted(this.random, COMMUNITY_SUFFIXES)}`;
      const name = n < PHASES.length * 4 ? base + PHASES[n % PHASES.length] : `${base}${n}区`;
      if (this.#claim(name)) return name;
    }
  }

  #claim(name: string): boolean {
    if (this.#used.has(name)) return false;
    this.#used.add(name);
    return true;
  }
}

/** Hands out personal names unique across the fleet, so a name stands for one person. */
export class PersonNamer {
  readonly #used = new Set<string>();

  constructor(private readonly random: Random) {}

  next(): string {
    for (let attempt = 0; ; attempt++) {
      const surname = pickWeighted(this.random, SURNAMES);
      // Two-character given names are the majority; a third of people have one.
      const given =
        this.random.next() < 0.35
          ? pick(this.random, GIVEN_NAME_CHARS)
          : pick(this.random, GIVEN_NAME_CHARS) + pick(this.random, GIVEN_NAME_CHARS);
      const name = attempt < RANDOM_ATTEMPTS ? surname + given : `${surname}${given}${attempt}`;
      if (!this.#used.has(name)) {
        this.#used.add(name);
        return name;
      }
    }
  }
}
