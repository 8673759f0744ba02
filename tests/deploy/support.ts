/**
 * What the deployment tests read: the compose file as `docker-compose config` resolves it, the
 * Dockerfiles' instructions and the .dockerignore rules.
 *
 * `docker-compose config` (Debian's docker-compose 1.29, a Python program) prints YAML and has
 * no JSON output. No YAML library is installed for Node, so the printed YAML is parsed by the
 * interpreter docker-compose itself runs on, with the PyYAML it depends on (the Debian package
 * requires python3-yaml): the same library that printed it.
 *
 * Without docker-compose the tests that need it are skipped with a message, except under
 * CI=true, where its absence is a failure (a skipped suite would look green).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const COMPOSE_FILE = join(REPO, 'docker-compose.yml');
export const ENV_EXAMPLE = join(REPO, 'deploy/binpulse.env.example');
export const COMPOSE_BIN = process.env.DOCKER_COMPOSE_BIN ?? '/usr/bin/docker-compose';

/**
 * Whether docker-compose is installed; says why the tests that need it are skipped, or throws
 * under CI=true.
 */
export function requireCompose(): boolean {
  if (existsSync(COMPOSE_BIN)) return true;
  const message = `${COMPOSE_BIN} not found: \`apt-get install docker-compose\` (Debian) provides it`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the compose file must be validated)`);
  console.warn(`skipping the docker-compose tests: ${message}`);
  return false;
}

// ---------------------------------------------------------------- docker-compose config

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: Array<{ published?: number | string; target: number | string; protocol?: string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface ComposeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `docker-compose -f docker-compose.yml --env-file <file> config` with `envFileText` as the env
 * file and a clean environment: neither the caller's shell variables nor a developer's `.env`
 * leak into the interpolation, so an empty text is a fresh clone.
 */
export function composeConfig(envFileText = ''): ComposeRun {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-compose-'));
  try {
    const envFile = join(dir, 'compose.env');
    writeFileSync(envFile, envFileText);
    const result = spawnSync(COMPOSE_BIN, ['-f', COMPOSE_FILE, '--env-file', envFile, 'config'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      encoding: 'utf8',
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Python that runs docker-compose (its shebang), which has PyYAML. */
function composePython(): string {
  const firstLine = readFileSync(COMPOSE_BIN, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\s*(\S*python[\d.]*)\s*$/.exec(firstLine);
  if (!match?.[1]) {
    throw new Error(`${COMPOSE_BIN} is not a Python script (first line ${JSON.stringify(firstLine)}): these tests expect Debian's docker-compose 1.x`);
  }
  return match[1];
}

/** YAML text to a JSON value, with PyYAML's safe_load. */
export function parseYaml(text: string): unknown {
  const result = spawnSync(composePython(), ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: text,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`PyYAML could not parse the text: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The resolved compose configuration; fails the test with docker-compose's message if it refuses. */
export function resolvedCompose(envFileText = ''): ComposeConfig {
  const run = composeConfig(envFileText);
  if (run.status !== 0) throw new Error(`docker-compose config exited ${run.status}:\n${run.stderr}`);
  return parseYaml(run.stdout) as ComposeConfig;
}

export function service(config: ComposeConfig, name: string): ComposeService {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${JSON.stringify(name)} (has ${Object.keys(config.services).join(', ')})`);
  return found;
}

/** A service's environment as strings, as the container sees it (null: set to nothing). */
export function environment(svc: ComposeService): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(svc.environment ?? {})) out[key] = value === null ? '' : String(value);
  return out;
}

export interface Mount {
  source: string;
  target: string;
  mode: string;
  /** A host path (bind mount) rather than a named volume. */
  bind: boolean;
}

/** `docker-compose config` prints volumes as "source:target:mode" with absolute host paths. */
export function mounts(svc: ComposeService): Mount[] {
  return (svc.volumes ?? []).map((text) => {
    const [source = '', target = '', mode = 'rw'] = text.split(':');
    return { source, target, mode, bind: source.startsWith('/') };
  });
}

export function dependsOn(svc: ComposeService): Record<string, string | undefined> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

export function args(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** Names a YAML file (compose, Grafana provisioning) interpolates: ${NAME}, ${NAME:-default}, $NAME (not the escaped $$). */
export function interpolatedNames(yamlText: string): Set<string> {
  const names = new Set<string>();
  // Comments first: they are not interpolated into anything.
  const text = yamlText.replaceAll(/(^|\s)#.*$/gm, '$1');
  for (const match of text.matchAll(/(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    names.add((match[1] ?? match[2])!);
  }
  return names;
}

/** KEY=value lines of an env file (comments and blank lines skipped). */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`not a KEY=value line: ${JSON.stringify(line)}`);
    vars.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return vars;
}

/** `repo`-relative path of an absolute one, or null when it lies outside the repository. */
export function insideRepo(path: string): string | null {
  const rel = posix.relative(REPO, normalize(path));
  return rel.startsWith('..') || posix.isAbsolute(rel) ? null : rel;
}

// ---------------------------------------------------------------- Dockerfiles

export interface Instruction {
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  text: string;
}

export function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const [keyword = '', ...rest] = full.split(/\s+/);
    out.push({ keyword: keyword.toUpperCase(), text: rest.join(' ') });
  }
  return out;
}

/** The variables ENV instructions set (`ENV A=1 B=2`, or the legacy `ENV A 1`), the last one winning. */
export function imageEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, text } of instructions) {
    if (keyword !== 'ENV') continue;
    if (!/^[^\s=]+=/.test(text)) {
      const [name = '', ...value] = text.split(/\s+/);
      env[name] = value.join(' ');
      continue;
    }
    for (const [, name, quoted, bare] of text.matchAll(/([^\s=]+)=(?:"([^"]*)"|(\S*))/g)) env[name!] = quoted ?? bare ?? '';
  }
  return env;
}

export interface Copy {
  sources: string[];
  dest: string;
}

/** COPY/ADD instructions from the build context (not --from another stage). */
export function contextCopies(instructions: Instruction[]): Copy[] {
  const copies: Copy[] = [];
  for (const { keyword, text } of instructions) {
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const words = text.startsWith('[') ? (JSON.parse(text) as string[]) : text.split(/\s+/);
    if (words.some((w) => w.startsWith('--from'))) continue;
    const paths = words.filter((w) => !w.startsWith('--'));
    const dest = paths.pop();
    if (dest === undefined || paths.length === 0) throw new Error(`cannot read ${keyword} ${text}`);
    copies.push({ sources: paths, dest });
  }
  return copies;
}

/** The exec-form CMD or ENTRYPOINT (the last one wins, as in Docker). */
export function execForm(instructions: Instruction[], keyword: 'CMD' | 'ENTRYPOINT'): string[] | undefined {
  const last = instructions.filter((i) => i.keyword === keyword).at(-1);
  if (!last) return undefined;
  if (!last.text.startsWith('[')) throw new Error(`${keyword} ${last.text}: use the exec form (a JSON array), so signals reach node`);
  return JSON.parse(last.text) as string[];
}

// ---------------------------------------------------------------- .dockerignore

interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
}

/**
 * .dockerignore as Docker reads it, for the patterns this repository uses: paths relative to the
 * context, `*` and `?` within one path segment, `**` across segments, `!` re-includes, the last
 * matching rule wins, and a pattern that matches a directory excludes what is inside it.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, '');
    let source = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '*' && line[i + 1] === '*') {
        // "**/" matches zero or more directories.
        if (line[i + 2] === '/') {
          source += '(?:.*/)?';
          i += 2;
        } else {
          source += '.*';
          i += 1;
        }
      } else if (ch === '*') source += '[^/]*';
      else if (ch === '?') source += '[^/]';
      else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    rules.push({ regex: new RegExp(`^${source}(?:/.*)?$`), negate });
  }
  return (path: string) => {
    const rel = posix.normalize(path).replace(/^\.\//, '');
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(rel)) ignored = !rule.negate;
    return ignored;
  };
}
