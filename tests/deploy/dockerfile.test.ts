/**
 * The images, as far as they can be checked without building them: every COPY source exists and
 * is not kept out of the build context by .dockerignore, the repository layout is kept (the
 * sources import each other by relative paths), and everything the entry point imports is in the
 * image: local files under a COPY, packages among the `dependencies` that `npm ci --omit=dev`
 * installs (a devDependency imported at run time works in a checkout and crashes in the image).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';
import { REPO, contextCopies, dockerfileInstructions, dockerignore, execForm, imageEnv, type Copy } from './support.ts';

const images = [
  { dockerfile: 'Dockerfile', entryFrom: 'CMD' as const },
  { dockerfile: 'simulators/Dockerfile', entryFrom: 'ENTRYPOINT' as const },
];

const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const runtimeDependencies = new Set(Object.keys(packageJson.dependencies ?? {}));
const ignored = dockerignore(readFileSync(join(REPO, '.dockerignore'), 'utf8'));

/** Where a COPY puts each source, relative to WORKDIR (the repository root in the image). */
function destinations(copy: Copy): Array<{ source: string; target: string }> {
  return copy.sources.map((source) => {
    const intoDir = copy.sources.length > 1 || copy.dest.endsWith('/');
    const target = intoDir ? posix.join(copy.dest, posix.basename(source)) : copy.dest;
    return { source: posix.normalize(source), target: posix.normalize(target) };
  });
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The local files and the packages an entry point imports, through every relative import. */
async function importGraph(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !isBuiltin(imported.path)) packages.add(packageName(imported.path));
    }
  }
  return { files: Object.keys(result.metafile.inputs), packages: [...packages] };
}

describe.each(images)('$dockerfile', ({ dockerfile, entryFrom }) => {
  const instructions = dockerfileInstructions(readFileSync(join(REPO, dockerfile), 'utf8'));
  const copies = contextCopies(instructions);
  const placed = copies.flatMap(destinations);
  const command = execForm(instructions, entryFrom) ?? [];

  it('copies sources that exist and that .dockerignore lets into the build context', () => {
    expect(placed.length).toBeGreaterThan(0);
    for (const { source } of placed) {
      expect(existsSync(join(REPO, source)), `COPY ${source}: not in the repository`).toBe(true);
      expect(ignored(source), `COPY ${source}: excluded by .dockerignore`).toBe(false);
    }
    // npm ci installs exactly the lockfile.
    expect(placed.map((p) => p.source)).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
  });

  it('keeps the repository layout (sources import each other by relative paths)', () => {
    for (const { source, target } of placed) expect(target, `COPY ${source}`).toBe(source);
  });

  it('runs its entry point with tsx, a runtime dependency', () => {
    expect(command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    expect(runtimeDependencies.has('tsx'), 'tsx in dependencies').toBe(true);
    expect(command[3]).toMatch(/\.ts$/);
  });

  it('contains every file the entry point imports, and every package it imports is installed by npm ci --omit=dev', async () => {
    const entry = command[3]!;
    const graph = await importGraph(entry);
    expect(graph.files).toContain(entry);
    const covered = (file: string): boolean => placed.some(({ source }) => file === source || file.startsWith(`${source}/`));
    expect(graph.files.filter((file) => !covered(file)), 'imported but not copied').toEqual([]);
    expect(graph.files.filter((file) => ignored(file)), 'imported but excluded by .dockerignore').toEqual([]);
    expect(graph.packages.filter((name) => !runtimeDependencies.has(name)), 'imported packages missing from dependencies').toEqual([]);
  });
});

describe('Dockerfile: the web console, bundled when the platform starts', () => {
  // services/console/adapters/bundle.ts builds this entry (and index.html beside it) with esbuild
  // at start-up: its files and packages are needed in the image although nothing imports them.
  const CONSOLE_WEB = 'services/console/web';
  const placed = contextCopies(dockerfileInstructions(readFileSync(join(REPO, 'Dockerfile'), 'utf8'))).flatMap(destinations);
  const inImage = (file: string): boolean =>
    !ignored(file) && placed.some(({ source }) => file === source || file.startsWith(`${source}/`));

  it('is built from files the image contains and packages npm ci --omit=dev installs', async () => {
    const result = await build({
      absWorkingDir: REPO,
      entryPoints: [`${CONSOLE_WEB}/main.ts`],
      bundle: true,
      write: false,
      outdir: '/console-bundle',
      format: 'esm',
      platform: 'browser',
      loader: { '.png': 'dataurl', '.svg': 'dataurl' },
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const local = [...inputs.filter((file) => !file.startsWith('node_modules/')), `${CONSOLE_WEB}/index.html`];
    expect(local.filter((file) => !inImage(file)), 'console sources missing from the image').toEqual([]);
    const packages = new Set(inputs.filter((file) => file.startsWith('node_modules/')).map((file) => packageName(file.slice('node_modules/'.length))));
    expect([...packages].filter((name) => !runtimeDependencies.has(name)), 'bundled packages missing from dependencies').toEqual([]);
  });
});

describe('Dockerfile: the platform image', () => {
  it('listens on every interface: behind the default HOST (loopback) the published ports would reach nothing', () => {
    const env = imageEnv(dockerfileInstructions(readFileSync(join(REPO, 'Dockerfile'), 'utf8')));
    expect(loadConfig({}).HOST, 'the default this image must override').not.toBe('0.0.0.0');
    expect(loadConfig(env).HOST).toBe('0.0.0.0');
  });

  it('reads ENV in both of its forms', () => {
    const env = imageEnv(dockerfileInstructions('FROM x\nENV A=1 B="two words"\nENV C 3 4\nENV A=5\n'));
    expect(env).toEqual({ A: '5', B: 'two words', C: '3 4' });
  });
});

describe('the two images', () => {
  const user = (dockerfile: string): string | undefined =>
    dockerfileInstructions(readFileSync(join(REPO, dockerfile), 'utf8'))
      .filter((i) => i.keyword === 'USER')
      .at(-1)?.text;

  it('run as the same unprivileged user: the platform writes the demo credentials 0600 and the simulators read them', () => {
    expect(user('Dockerfile')).toBeDefined();
    expect(user('Dockerfile')).not.toMatch(/^(root|0)(:|$)/);
    expect(user('simulators/Dockerfile')).toBe(user('Dockerfile'));
  });
});

describe('.dockerignore', () => {
  it('keeps secrets and local state out of the build context', () => {
    for (const path of ['.env', 'services/.env', 'data/binpulse.db', 'data/admin-token', 'node_modules/zod/package.json', '.git/config']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('the matcher follows Docker: directories exclude their contents, ** spans directories, ! re-includes, the last rule wins', () => {
    const match = dockerignore('data\n**/*.log\nsecrets/*\n!secrets/keep.txt\n');
    expect(match('data')).toBe(true);
    expect(match('data/x/y.db')).toBe(true);
    expect(match('database.ts')).toBe(false);
    expect(match('a/b/c.log')).toBe(true);
    expect(match('c.log')).toBe(true);
    expect(match('secrets/key')).toBe(true);
    expect(match('secrets/keep.txt')).toBe(false);
    expect(match('services/data/x.ts')).toBe(false);
  });
});
