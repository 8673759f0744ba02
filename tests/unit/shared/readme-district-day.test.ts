/**
 * The README's tonnage example asks for "today", and reports count district days (UTC+8). A plain
 * `$(date +%F)` is the machine's day: on a UTC machine between 00:00 and 08:00 district time it
 * asks for yesterday. The examples' date commands are run with bash at a fixed instant where the
 * machine's and the district's days differ (`date -d @<epoch>` stands in for the clock).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.ts';
import { localDay } from '../../../shared/units.ts';

const REPO = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', REPO), 'utf8');
const docs = readdirSync(new URL('docs/', REPO))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name: `docs/${name}`, text: readFileSync(new URL(`docs/${name}`, REPO), 'utf8') }));

/** 2026-12-05 20:00 UTC: already 2026-12-06 in the district, still the 5th in UTC and California. */
const INSTANT_S = Date.parse('2026-12-05T20:00:00Z') / 1000;
const DISTRICT_OFFSET_MIN = loadConfig({}).DISTRICT_UTC_OFFSET_MIN;
const districtDay = localDay(INSTANT_S * 1000, DISTRICT_OFFSET_MIN);
const MACHINE_ZONES = ['UTC', 'America/Los_Angeles'];

/** Runs a shell word such as `$(date +%F)` with bash, its `date` pinned to INSTANT_S, on a machine in `zone`. */
function evaluate(word: string, zone: string): string {
  const pinned = word.replace(/(^|[\s(;|&])date(?=\s)/g, `$1date -d @${INSTANT_S}`);
  return execFileSync('bash', ['-c', `printf %s "${pinned}"`], { env: { PATH: process.env.PATH, TZ: zone }, encoding: 'utf8' });
}

/** The command substitution behind `from=` in the tonnage example, through a variable if it uses one. */
function tonnageFrom(text: string): string {
  const line = text.split('\n').find((l) => l.includes('/api/v1/reports/tonnage?from='));
  expect(line, 'the tonnage example').toBeDefined();
  const from = /from=([^&"'\s]+)/.exec(line!)![1]!;
  const variable = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(from)?.[1];
  if (!variable) return from;
  const assigned = new RegExp(`^${variable}=(\\$\\([^)]*\\))`, 'm').exec(text)?.[1];
  expect(assigned, `where ${variable} is set`).toBeDefined();
  return assigned!;
}

/** Every `$(... date ... +%F ...)` in a text: commands that build a day. */
const dayCommands = (text: string): string[] => [...text.matchAll(/\$\([^()]*\bdate\b[^()]*\+%F[^()]*\)/g)].map((m) => m[0]);

describe("the README's tonnage example", () => {
  it('is checked at an instant where the machine and the district disagree about the day', () => {
    for (const zone of MACHINE_ZONES) expect(evaluate('$(date +%F)', zone), `the old example, on ${zone}`).not.toBe(districtDay);
  });

  it.each(MACHINE_ZONES)("asks for the district's day on a machine in %s", (zone) => {
    const command = tonnageFrom(readme);
    expect(command).toMatch(/\bdate\b/);
    expect(evaluate(command, zone)).toBe(districtDay);
  });
});

describe('every date example in README.md and docs/', () => {
  it("builds the district's day", () => {
    const found = [{ name: 'README.md', text: readme }, ...docs].flatMap(({ name, text }) => dayCommands(text).map((command) => ({ name, command })));
    expect(found.length).toBeGreaterThan(0);
    for (const { name, command } of found) {
      for (const zone of MACHINE_ZONES) expect(evaluate(command, zone), `${name}: ${command} on ${zone}`).toBe(districtDay);
    }
  });
});
