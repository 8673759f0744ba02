/**
 * Communities and their registered households in SQLite (table `communities`), in the fleet
 * registry's database. ensureCommunitiesSchema owns the table; the registry expects it.
 */
import type { Statement } from 'better-sqlite3';
import type { Community } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import { checkCommunity, type CommunityRegistry } from '../core/communities.ts';
import { FleetError } from '../core/registry.ts';

export const COMMUNITIES_SCHEMA = `
CREATE TABLE IF NOT EXISTS communities (
  name        TEXT PRIMARY KEY,
  subdistrict TEXT NOT NULL,
  households  INTEGER NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
`;

/** Creates the table when missing (a registry from before issue 14); a no-op otherwise. */
export function ensureCommunitiesSchema(db: SqliteDatabase): void {
  db.exec(COMMUNITIES_SCHEMA);
}

const COLUMNS = 'name, subdistrict, households';

export class SqliteCommunityRegistry implements CommunityRegistry {
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #upsert: Statement<[string, string, number, string]>;
  readonly #get: Statement<[string], Community>;
  readonly #list: Statement<[], Community>;

  constructor(db: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
    this.#upsert = db.prepare(`INSERT INTO communities (${COLUMNS}, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET subdistrict = excluded.subdistrict, households = excluded.households, updated_at = excluded.updated_at`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM communities WHERE name = ?`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM communities ORDER BY subdistrict, name`);
  }

  setCommunity(input: Community): Community {
    const check = checkCommunity(input);
    if (!check.ok) throw new FleetError('INVALID_COMMUNITY', `invalid community: ${check.error}`);
    const c = check.value;
    this.#upsert.run(c.name, c.subdistrict, c.households, this.#now().toISOString());
    return c;
  }

  setCommunities(communities: readonly Community[]): void {
    this.#db.transaction(() => {
      for (const c of communities) this.setCommunity(c);
    })();
  }

  getCommunity(name: string): Community | undefined {
    return this.#get.get(name);
  }

  listCommunities(): Community[] {
    return this.#list.all();
  }
}
