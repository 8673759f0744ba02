/**
 * The compose deployment, as far as it can be checked without a Docker engine: `docker-compose
 * config` must accept docker-compose.yml, and the resolved configuration must not break a
 * deployment silently (a missing bind-mounted file becomes an empty directory, a token that
 * differs between InfluxDB and its clients only shows as 401s at run time, an env variable the
 * platform does not know is ignored, a service started before its dependency is ready fails).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigShape, loadConfig } from '../../shared/config.ts';
import { demoCredentialsPath } from '../../services/fleet/adapters/credentials-file.ts';
import { parseCli } from '../../simulators/main.ts';
import {
  COMPOSE_FILE,
  ENV_EXAMPLE,
  REPO,
  args,
  composeConfig,
  dependsOn,
  dockerfileInstructions,
  environment,
  execForm,
  insideRepo,
  interpolatedNames,
  mounts,
  parseEnvFile,
  parseYaml,
  requireCompose,
  resolvedCompose,
  service,
  type ComposeConfig,
} from './support.ts';

const hasCompose = requireCompose();
const DBRP_SCRIPT = 'deploy/influxdb/create-dbrp.sh';
/** Secrets with no default (issue 15): compose refuses to run until .env sets them. */
const REQUIRED_SECRETS = ['INFLUXDB_ADMIN_PASSWORD', 'INFLUXDB_ADMIN_TOKEN', 'GRAFANA_ADMIN_PASSWORD'];

/** The env text with every required secret set, as the deployer's filled-in .env. */
function withSecrets(text: string): string {
  const lines = text.split('\n').filter((line) => !REQUIRED_SECRETS.some((name) => line.startsWith(`${name}=`)));
  return [...lines, ...REQUIRED_SECRETS.map((name) => `${name}=secret-${name.toLowerCase()}-0123456789abcdef`)].join('\n');
}

/** Published ports as docker-compose 1.x prints them: long syntax, or "host_ip:published:target/proto" when a host address is given. */
function publishedPorts(svc: ReturnType<typeof service>): Array<{ hostIp: string; published: number; target: number }> {
  return (svc.ports ?? []).map((port) => {
    if (typeof port === 'string') {
      const match = /^(?:(.+):)?(\d+):(\d+)(?:\/\w+)?$/.exec(port);
      if (!match) throw new Error(`unexpected port ${port}`);
      return { hostIp: match[1] ?? '0.0.0.0', published: Number(match[2]), target: Number(match[3]) };
    }
    return { hostIp: '0.0.0.0', published: Number(port.published), target: Number(port.target) };
  });
}

/** Every documented variable set to a value of its own, as a user's edited .env would. */
function customisedEnv(): { text: string; values: Map<string, string> } {
  const values = new Map<string, string>();
  for (const name of parseEnvFile(readFileSync(ENV_EXAMPLE, 'utf8')).keys()) {
    // Long enough for every length rule (ADMIN_TOKEN ≥ 24, InfluxDB password ≥ 8).
    values.set(name, `custom-${name.toLowerCase().replaceAll('_', '-')}-0123456789abcdef`);
  }
  // Values the configuration accepts only from a fixed set.
  if (values.has('DEMO_FLEET')) values.set('DEMO_FLEET', 'off');
  if (values.has('SIM_SPEED')) values.set('SIM_SPEED', '37');
  if (values.has('PLAINTEXT')) values.set('PLAINTEXT', 'off');
  if (values.has('PUBLISH_ADDRESS')) values.set('PUBLISH_ADDRESS', '0.0.0.0');
  return { text: [...values].map(([k, v]) => `${k}=${v}`).join('\n'), values };
}

/** The string values of `after` that differ from `before` at the same place. */
function changedLeaves(before: unknown, after: unknown): string[] {
  if (after !== null && typeof after === 'object') {
    const prev = (before ?? {}) as Record<string, unknown>;
    return Object.entries(after as Record<string, unknown>).flatMap(([key, value]) => changedLeaves(prev[key], value));
  }
  return String(after) === String(before) ? [] : [String(after)];
}

describe.runIf(hasCompose)('docker-compose.yml', () => {
  let fresh: ComposeConfig;
  let customised: ComposeConfig;
  let custom: ReturnType<typeof customisedEnv>;

  beforeAll(() => {
    fresh = resolvedCompose(withSecrets(''));
    custom = customisedEnv();
    customised = resolvedCompose(custom.text);
  });

  it('is refused by `docker-compose config` until the secrets are set (a fresh clone, the example as shipped), naming them; accepted then', () => {
    for (const text of ['', readFileSync(ENV_EXAMPLE, 'utf8')]) {
      const refused = composeConfig(text);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(new RegExp(`set (${REQUIRED_SECRETS.join('|')}) in \\.env`));
    }
    for (const missing of REQUIRED_SECRETS) {
      const others = withSecrets('').split('\n').filter((line) => !line.startsWith(`${missing}=`)).join('\n');
      expect(composeConfig(others).stderr, `${missing} unset`).toContain(`set ${missing} in .env`);
    }
    const withExample = composeConfig(withSecrets(readFileSync(ENV_EXAMPLE, 'utf8')));
    expect(withExample.status, withExample.stderr).toBe(0);
    expect(Object.keys(fresh.services).sort()).toEqual(['binpulse', 'grafana', 'influxdb', 'simulators']);
  });

  it('ships no default secret: no change-me value, the secrets of the example env file are empty', () => {
    for (const file of [COMPOSE_FILE, ENV_EXAMPLE]) expect(readFileSync(file, 'utf8'), file).not.toMatch(/change-me/i);
    const example = parseEnvFile(readFileSync(ENV_EXAMPLE, 'utf8'));
    for (const name of [...REQUIRED_SECRETS, 'ADMIN_TOKEN']) expect(example.get(name), name).toBe('');
    // An empty ADMIN_TOKEN is unset to the platform: it generates one into the data volume.
    expect(loadConfig(environment(service(fresh, 'binpulse'))).ADMIN_TOKEN).toBeUndefined();
  });

  it('publishes every port on 127.0.0.1 unless PUBLISH_ADDRESS says otherwise', () => {
    for (const [name, svc] of Object.entries(fresh.services)) {
      for (const port of publishedPorts(svc)) expect(port.hostIp, `${name} ${port.published}`).toBe('127.0.0.1');
    }
    const open = Object.values(customised.services).flatMap((svc) => publishedPorts(svc));
    expect(open.length).toBeGreaterThan(0);
    for (const port of open) expect(port.hostIp).toBe('0.0.0.0');
  });

  it('serves TLS by default: the local CA for TLS_HOSTNAMES, which include the service name the simulators use', () => {
    const config = loadConfig(environment(service(fresh, 'binpulse')));
    expect(config.TLS).toBe(true);
    expect(config.TLS_CERT_FILE).toBeUndefined();
    expect(config.TLS_HOSTNAMES.split(',')).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', 'binpulse']));
    expect(config.PLAINTEXT, 'the simulators service speaks plain MQTT inside the compose network').toBe(true);
    const custom = loadConfig(environment(service(customised, 'binpulse')));
    expect(custom.TLS_CERT_FILE, 'a certificate of your own, named in .env').toMatch(/^custom-/);
    expect(custom.PLAINTEXT).toBe(false);
  });

  describe('the env file', () => {
    it('documents exactly the defaults the compose file uses', () => {
      expect(resolvedCompose(withSecrets(readFileSync(ENV_EXAMPLE, 'utf8')))).toEqual(fresh);
    });

    it('lists every variable the compose file reads, and each one changes the configuration', () => {
      const documented = [...parseEnvFile(readFileSync(ENV_EXAMPLE, 'utf8')).keys()].sort();
      expect(documented).toEqual([...interpolatedNames(readFileSync(COMPOSE_FILE, 'utf8'))].sort());
      // What the edited env file changed; each variable's value must be among the changes.
      const changed = changedLeaves(fresh, customised);
      for (const [name, value] of custom.values) {
        expect(changed.some((leaf) => leaf.includes(value)), `${name}=${value} changes nothing`).toBe(true);
      }
    });
  });

  it('builds from Dockerfiles inside the repository', () => {
    const built = Object.entries(fresh.services).filter(([, svc]) => svc.build);
    expect(built.map(([name]) => name).sort()).toEqual(['binpulse', 'simulators']);
    for (const [name, svc] of built) {
      const context = insideRepo(svc.build!.context);
      expect(context, `${name}: build context ${svc.build!.context} is outside the repository`).not.toBeNull();
      expect(statSync(svc.build!.context).isDirectory(), `${name}: build context`).toBe(true);
      const dockerfile = join(svc.build!.context, svc.build!.dockerfile ?? 'Dockerfile');
      expect(statSync(dockerfile, { throwIfNoEntry: false })?.isFile(), `${name}: ${dockerfile} does not exist`).toBe(true);
    }
  });

  it('bind-mounts only paths that exist in the repository (Docker would create empty directories)', () => {
    const binds = Object.entries(fresh.services).flatMap(([name, svc]) => mounts(svc).filter((m) => m.bind).map((m) => ({ name, ...m })));
    expect(binds.map((b) => `${b.name} ${insideRepo(b.source)} -> ${b.target}`).sort()).toEqual([
      'grafana dashboards/json -> /var/lib/grafana/dashboards/binpulse',
      'grafana dashboards/provisioning -> /etc/grafana/provisioning',
      `influxdb ${DBRP_SCRIPT} -> /docker-entrypoint-initdb.d/create-dbrp.sh`,
    ]);
    const missing = binds.filter((b) => statSync(b.source, { throwIfNoEntry: false }) === undefined).map((b) => insideRepo(b.source));
    expect(missing, 'bind-mounted paths missing from the repository').toEqual([]);
    for (const b of binds) expect(b.mode, `${b.source} is mounted writable`).toBe('ro');
  });

  it('mounts an executable init script (the influxdb image runs /docker-entrypoint-initdb.d/*.sh with run-parts, which skips the others)', () => {
    expect(statSync(join(REPO, DBRP_SCRIPT)).mode & 0o111, `${DBRP_SCRIPT} is not executable (git update-index --chmod=+x)`).not.toBe(0);
  });

  describe.each([
    ['defaults', () => fresh],
    ['every variable of the env file changed', () => customised],
  ])('InfluxDB credentials (%s)', (_label, config) => {
    it('agree between influxdb, grafana and binpulse', () => {
      const influx = environment(service(config(), 'influxdb'));
      const grafana = environment(service(config(), 'grafana'));
      const binpulse = environment(service(config(), 'binpulse'));
      expect(influx.DOCKER_INFLUXDB_INIT_MODE).toBe('setup');
      const token = influx.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN;
      expect(token, 'admin token').toBeTruthy();
      expect(grafana.INFLUX_TOKEN, 'grafana token').toBe(token);
      expect(binpulse.INFLUX_TOKEN, 'binpulse token').toBe(token);
      expect(binpulse.INFLUX_ORG, 'org').toBe(influx.DOCKER_INFLUXDB_INIT_ORG);
      expect(binpulse.INFLUX_BUCKET, 'bucket').toBe(influx.DOCKER_INFLUXDB_INIT_BUCKET);
      expect(influx.DOCKER_INFLUXDB_INIT_BUCKET).toBe('binpulse');
      expect(grafana.INFLUX_DB, 'the InfluxQL database of the dashboards').toBe(binpulse.INFLUX_DB);
      // `influx setup` refuses shorter passwords, and the container stops.
      expect(influx.DOCKER_INFLUXDB_INIT_PASSWORD?.length ?? 0, 'InfluxDB admin password length').toBeGreaterThanOrEqual(8);
    });
  });

  it('keeps events forever: the bucket retention is infinite (docs/influxdb.md, Retention)', () => {
    expect(environment(service(fresh, 'influxdb')).DOCKER_INFLUXDB_INIT_RETENTION).toBe('0');
  });

  it('maps the InfluxQL database the clients read onto the bucket (the init script names the same database)', () => {
    const script = readFileSync(join(REPO, DBRP_SCRIPT), 'utf8');
    const db = /^db=(\S+)/m.exec(script)?.[1];
    expect(db, `${DBRP_SCRIPT} sets db=`).toBe(environment(service(fresh, 'binpulse')).INFLUX_DB);
    const mount = mounts(service(fresh, 'influxdb')).find((m) => insideRepo(m.source) === DBRP_SCRIPT);
    expect(mount?.target).toMatch(/^\/docker-entrypoint-initdb\.d\/[^/]+\.sh$/);
  });

  it('points binpulse and grafana at the influxdb service, on the port it listens on', () => {
    const influxPorts = publishedPorts(service(fresh, 'influxdb')).map((p) => p.target);
    for (const name of ['binpulse', 'grafana']) {
      const url = new URL(environment(service(fresh, name)).INFLUX_URL ?? 'missing:');
      expect(url.hostname, `${name} INFLUX_URL`).toBe('influxdb');
      expect(fresh.services[url.hostname], `${name}: no service ${url.hostname}`).toBeDefined();
      expect(influxPorts, `${name} INFLUX_URL port`).toContain(Number(url.port || 80));
    }
    expect(environment(service(fresh, 'binpulse')).INFLUX_API).toBe('v2');
  });

  describe.each([
    ['defaults', () => fresh],
    ['every variable of the env file changed', () => customised],
  ])('binpulse (%s)', (_label, config) => {
    it('is given only variables the platform reads, with values it accepts', () => {
      const env = environment(service(config(), 'binpulse'));
      const known = new Set(Object.keys(ConfigShape));
      expect(Object.keys(env).filter((key) => !known.has(key)), 'variables shared/config.ts does not read').toEqual([]);
      expect(() => loadConfig(env)).not.toThrow();
    });
  });

  it('runs the platform alone, for the network, with the demo fleet, its data on a named volume, serving on the published ports', () => {
    const binpulse = service(fresh, 'binpulse');
    const config = loadConfig(environment(binpulse));
    expect(config.SIMULATOR, 'SIMULATOR (the simulators service runs the fleet)').toBe(false);
    expect(config.DEMO_FLEET, 'DEMO_FLEET').toBe(true);
    expect(config.HOST, 'HOST (the default, loopback, is unreachable through the published ports)').toBe('0.0.0.0');
    expect(config.INFLUX_URL).toBeDefined();
    const ports = publishedPorts(binpulse);
    const served = [config.MQTT_PORT, config.MQTT_WS_PORT, config.HTTP_PORT, config.MQTTS_PORT, config.MQTT_WSS_PORT, config.HTTPS_PORT];
    expect(ports.map((p) => p.target).sort()).toEqual(served.sort());
    for (const port of ports) expect(port.published, 'published on the same port number as served').toBe(port.target);
    const data = mounts(binpulse).find((m) => m.target === config.DATA_DIR);
    expect(data, `a volume on DATA_DIR ${config.DATA_DIR}`).toBeDefined();
    expect(data!.bind, 'DATA_DIR on a named volume').toBe(false);
    expect(data!.mode).toBe('rw');
    expect(Object.keys(fresh.volumes ?? {})).toContain(data!.source);
    const probe = args(binpulse.healthcheck?.test).join(' ');
    // HTTP, else HTTPS: healthy with PLAINTEXT=off too.
    expect(probe).toMatch(new RegExp(`require\\('http'\\), ${config.HTTP_PORT}\\b`));
    expect(probe).toMatch(new RegExp(`require\\('https'\\), ${config.HTTPS_PORT}\\b`));
    expect(probe).toContain("path: '/healthz'");
  });

  it('runs the simulators against the binpulse broker with the credentials the platform writes to the shared volume', () => {
    const sim = service(fresh, 'simulators');
    const binpulse = service(fresh, 'binpulse');
    const platform = loadConfig(environment(binpulse));
    // The image's entry point runs simulators/main.ts; compose gives its arguments.
    const dockerfile = join(sim.build!.context, sim.build!.dockerfile ?? 'Dockerfile');
    const entrypoint = sim.entrypoint ? args(sim.entrypoint) : (execForm(dockerfileInstructions(readFileSync(dockerfile, 'utf8')), 'ENTRYPOINT') ?? []);
    expect(entrypoint.at(-1)).toBe('simulators/main.ts');
    const cli = parseCli(args(sim.command), environment(sim));
    const url = new URL(cli.url);
    expect(url.hostname, 'broker host').toBe('binpulse');
    expect(Number(url.port || 1883), 'broker port').toBe(platform.MQTT_PORT);
    expect(cli.credentialsPath).toBe(demoCredentialsPath(platform.DATA_DIR));
    // The directory holding the file is the platform's data volume, in both containers.
    const platformVolume = mounts(binpulse).find((m) => m.target === platform.DATA_DIR)?.source;
    const simVolume = mounts(sim).find((m) => m.target === posix.dirname(cli.credentialsPath))?.source;
    expect(simVolume, 'the simulators mount the platform data volume where they read the credentials').toBe(platformVolume);
  });

  it('starts each service after what it needs is healthy, and those services have a healthcheck', () => {
    expect(dependsOn(service(fresh, 'grafana'))).toEqual({ influxdb: 'service_healthy' });
    expect(dependsOn(service(fresh, 'binpulse'))).toEqual({ influxdb: 'service_healthy' });
    expect(dependsOn(service(fresh, 'simulators'))).toEqual({ binpulse: 'service_healthy' });
    for (const name of ['influxdb', 'binpulse']) {
      const check = service(fresh, name).healthcheck;
      expect(check?.disable, `${name} healthcheck disabled`).not.toBe(true);
      expect(args(check?.test).length, `${name} has no healthcheck`).toBeGreaterThan(1);
    }
    // During its first start, the influx CLI's config points at the private init port: the
    // probe must name 8086, or the service looks healthy before the init script has run.
    expect(args(service(fresh, 'influxdb').healthcheck?.test).join(' ')).toContain('localhost:8086');
  });

  it('pins its images', () => {
    expect(service(fresh, 'influxdb').image).toMatch(/^influxdb:2\.7\.\d+$/);
    expect(service(fresh, 'grafana').image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  });

  describe('grafana provisioning (dashboards/provisioning)', () => {
    const provisioningDir = join(REPO, 'dashboards/provisioning');
    const yamlFiles = (): string[] => {
      const found: string[] = [];
      if (!existsSync(provisioningDir)) return found;
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (/\.ya?ml$/.test(entry.name)) found.push(path);
        }
      };
      walk(provisioningDir);
      return found;
    };
    // Set by the grafana image itself.
    const imageEnv = ['GF_PATHS_CONFIG', 'GF_PATHS_DATA', 'GF_PATHS_HOME', 'GF_PATHS_LOGS', 'GF_PATHS_PLUGINS', 'GF_PATHS_PROVISIONING'];

    it('reads only environment variables the grafana service sets (Grafana puts an empty string for the others)', () => {
      const env = environment(service(fresh, 'grafana'));
      const files = yamlFiles();
      expect(files.length, 'YAML files under dashboards/provisioning').toBeGreaterThan(0);
      const unset: string[] = [];
      for (const file of files) {
        for (const name of interpolatedNames(readFileSync(file, 'utf8'))) {
          if (!(name in env) && !imageEnv.includes(name)) unset.push(`${insideRepo(file)}: $${name}`);
        }
      }
      expect(unset).toEqual([]);
    });

    it('loads dashboards from where dashboards/json is mounted', () => {
      const jsonMount = mounts(service(fresh, 'grafana')).find((m) => insideRepo(m.source) === 'dashboards/json');
      expect(jsonMount).toBeDefined();
      const paths: string[] = [];
      for (const file of yamlFiles()) {
        const doc = parseYaml(readFileSync(file, 'utf8')) as { providers?: Array<{ options?: { path?: string } }> } | null;
        for (const provider of doc?.providers ?? []) {
          if (provider.options?.path) paths.push(provider.options.path.replaceAll(/\$\{?GF_PATHS_DATA\}?/g, '/var/lib/grafana'));
        }
      }
      expect(paths, 'dashboard providers').not.toEqual([]);
      const target = jsonMount!.target;
      expect(
        paths.some((p) => target === p.replace(/\/+$/, '') || target.startsWith(`${p.replace(/\/+$/, '')}/`)),
        `no dashboard provider reads ${target} (providers: ${paths.join(', ')})`,
      ).toBe(true);
      const jsonDir = join(REPO, 'dashboards/json');
      const dashboards = existsSync(jsonDir) ? readdirSync(jsonDir).filter((f) => f.endsWith('.json')) : [];
      expect(dashboards.length, 'dashboards/json/*.json').toBeGreaterThan(0);
    });
  });
});
