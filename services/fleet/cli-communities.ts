/**
 * `fleet community …`: communities and their registered households, the denominator of the
 * participation rate (issue 14). A community's subdistrict defaults to that of its boxes.
 */
import { Subdistrict, SUBDISTRICT_NAMES } from '../../shared/contracts/index.ts';
import { count, oneOf, parse, plural, UsageError } from './cli-args.ts';
import { formatTable } from './cli-format.ts';
import type { CommunityRegistry } from './core/communities.ts';
import type { FleetRegistry } from './core/registry.ts';

export interface CommunityCliContext {
  registry: FleetRegistry;
  /** Unset: a registry without communities (the command says so). */
  communities?: CommunityRegistry;
  out: (text: string) => void;
}

export const COMMUNITY_USAGE = `  community set <name> --households <n> [--subdistrict <subdistrict>]
                              register a community's households (subdistrict: its boxes')
  community list [--json]`;

type Sub = (args: string[], ctx: CommunityCliContext, communities: CommunityRegistry) => void;

const SUBS: Record<string, Sub> = {
  set(args, ctx, communities) {
    const { values, positionals } = parse(args, { households: { type: 'string' }, subdistrict: { type: 'string' } }, 1, 'community name');
    const name = positionals[0]!.trim();
    if (values.households === undefined) throw new UsageError('--households: required');
    const households = count('--households', values.households);
    const subdistrict =
      values.subdistrict !== undefined
        ? oneOf(Subdistrict, '--subdistrict', values.subdistrict)
        : (communities.getCommunity(name)?.subdistrict ?? ctx.registry.list().find((d) => d.community === name)?.subdistrict);
    if (subdistrict === undefined) throw new UsageError(`--subdistrict: required, as no device names the community "${name}"`);
    const saved = communities.setCommunity({ name, subdistrict, households });
    ctx.out(`${saved.name} (${SUBDISTRICT_NAMES[saved.subdistrict].zh}): ${plural(saved.households, 'household', 'households')}`);
  },

  list(args, ctx, communities) {
    const { values } = parse(args, { json: { type: 'boolean' } }, 0);
    const all = communities.listCommunities();
    if (values.json) return ctx.out(JSON.stringify(all, null, 2));
    const rows = all.map((c) => [c.subdistrict, String(c.households), c.name]);
    const households = all.reduce((n, c) => n + c.households, 0);
    ctx.out([...formatTable(['SUBDISTRICT', 'HOUSEHOLDS', 'NAME'], rows), `${plural(all.length, 'community', 'communities')}, ${plural(households, 'household', 'households')}`].join('\n'));
  },
};

export const COMMUNITY_COMMANDS = {
  community(args: string[], ctx: CommunityCliContext): void {
    const [sub, ...rest] = args;
    const run = sub !== undefined && Object.hasOwn(SUBS, sub) ? SUBS[sub]! : undefined;
    if (run === undefined) {
      throw new UsageError(`expected ${Object.keys(SUBS).map((s) => `community ${s}`).join(', ')}${sub === undefined ? '' : `, got "${sub}"`}`);
    }
    if (ctx.communities === undefined) throw new Error('this registry keeps no communities');
    run(rest, ctx, ctx.communities);
  },
};
