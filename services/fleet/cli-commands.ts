/** The fleet CLI's commands, apart from process start-up so tests can run them in-process. */
import { DeviceKind, Subdistrict } from '../../shared/contracts/index.ts';
import type { Config } from '../../shared/config.ts';
import { demoCredentialsPath } from './adapters/credentials-file.ts';
import { ADD_OPTIONS, AddOptionError, deviceFromAddOptions } from './cli-add.ts';
import { count, oneOf, parse, plural, UsageError } from './cli-args.ts';
import { formatDevice, formatDeviceList } from './cli-format.ts';
import { SITE_COMMANDS, SITE_USAGE, SiteOptionError } from './cli-sites.ts';
import { COMMUNITY_COMMANDS, COMMUNITY_USAGE } from './cli-communities.ts';
import type { CommunityRegistry } from './core/communities.ts';
import { FleetError, type DeviceCertificates, type DeviceFilter, type FleetRegistry, type SiteRegistry } from './core/registry.ts';
import { CERT_USAGE, runCertCommand } from './cli-certs.ts';
import { provisionDemoFleet } from './provision-demo.ts';

export const EXIT_OK = 0;
export const EXIT_RUNTIME_ERROR = 1;
export const EXIT_USAGE = 2;

export interface FleetCliContext {
  registry: FleetRegistry & SiteRegistry & DeviceCertificates;
  /** Communities and their households (issue 14); unset: `community` says the registry keeps none. */
  communities?: CommunityRegistry;
  config: Pick<Config, 'DATA_DIR' | 'SIM_SEED' | 'DISTRICT_UTC_OFFSET_MIN'> & Partial<Pick<Config, 'TLS_CA_FILE'>>;
  /** Prints one line (or several, joined by newlines) to standard output. */
  out: (text: string) => void;
  err: (text: string) => void;
  now?: () => Date;
}

export const USAGE = `Usage: npm run fleet -- <command> [options]

Commands:
  add --id <id> --kind box|camera|scale --name <name> --lat <deg> --lon <deg>
      --subdistrict <subdistrict> --community <name> --address <address>
      --grid-cell <cell> --responsible <person>
      [--compartments paper:150,plastic:60]   boxes default to the standard five
      [--camera-point-type existing|road|market] [--installed-on YYYY-MM-DD]
      [--site <site id>]      a scale (weighbridge) must name the site it weighs at
                              provision a device; prints its secret once
  list [--kind box|camera|scale] [--subdistrict <subdistrict>] [--json]
  show <id> [--json]
  rotate-secret <id>          issue a new secret; the old one stops working at once
  remove <id>
${CERT_USAGE}
${SITE_USAGE}
${COMMUNITY_USAGE}
  demo [--boxes 605] [--cameras 54]
                              provision the district's demo fleet into an empty registry,
                              with its 10 transfer stations, sorting centre, 12 vehicles
                              and a weighbridge (scale) at each site

Subdistricts: ${Subdistrict.options.join(', ')}
Exit codes: 0 ok, 1 runtime error, 2 usage error.`;

const SECRET_NOTE = 'note: the secret is shown only this once (the registry keeps a hash); use rotate-secret if it is lost';

type Command = (args: string[], ctx: FleetCliContext) => void;

const COMMANDS: Record<string, Command> = {
  ...SITE_COMMANDS,
  ...COMMUNITY_COMMANDS,

  add(args, ctx) {
    const { values } = parse(args, ADD_OPTIONS, 0);
    const now = (ctx.now ?? (() => new Date()))();
    const device = deviceFromAddOptions(values, {
      now,
      utcOffsetMinutes: ctx.config.DISTRICT_UTC_OFFSET_MIN,
      siteOf: (id) => ctx.registry.getSite(id),
    });
    const provisioned = ctx.registry.add(device);
    ctx.out(formatDevice(provisioned.device).join('\n'));
    ctx.out(`secret: ${provisioned.secret}`);
    ctx.err(SECRET_NOTE);
  },

  list(args, ctx) {
    const { values } = parse(args, { kind: { type: 'string' }, subdistrict: { type: 'string' }, json: { type: 'boolean' } }, 0);
    const filter: DeviceFilter = {};
    if (values.kind !== undefined) filter.kind = oneOf(DeviceKind, '--kind', values.kind);
    if (values.subdistrict !== undefined) filter.subdistrict = oneOf(Subdistrict, '--subdistrict', values.subdistrict);
    const devices = ctx.registry.list(filter);
    ctx.out(values.json ? JSON.stringify(devices, null, 2) : formatDeviceList(devices).join('\n'));
  },

  show(args, ctx) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
    const device = ctx.registry.get(positionals[0]!);
    if (device === undefined) throw new FleetError('UNKNOWN_DEVICE', `no device "${positionals[0]}" in the registry`);
    ctx.out(values.json ? JSON.stringify(device, null, 2) : formatDevice(device).join('\n'));
  },

  'rotate-secret'(args, ctx) {
    const { positionals } = parse(args, {}, 1);
    const secret = ctx.registry.rotateSecret(positionals[0]!);
    ctx.out(`secret: ${secret}`);
    ctx.err(SECRET_NOTE);
  },

  remove(args, ctx) {
    const { positionals } = parse(args, {}, 1);
    const id = positionals[0]!;
    if (!ctx.registry.remove(id)) throw new FleetError('UNKNOWN_DEVICE', `no device "${id}" in the registry`);
    ctx.out(`removed ${id}`);
  },

  demo(args, ctx) {
    const { values } = parse(args, { boxes: { type: 'string' }, cameras: { type: 'string' } }, 0);
    const result = provisionDemoFleet({
      registry: ctx.registry,
      credentialsPath: demoCredentialsPath(ctx.config.DATA_DIR),
      seed: ctx.config.SIM_SEED,
      boxes: values.boxes === undefined ? undefined : count('--boxes', values.boxes),
      cameras: values.cameras === undefined ? undefined : count('--cameras', values.cameras),
      now: ctx.now,
      communities: ctx.communities,
    });
    const boxes = plural(ctx.registry.list({ kind: 'box' }).length, 'box', 'boxes');
    const cameras = plural(ctx.registry.list({ kind: 'camera' }).length, 'camera', 'cameras');
    const messages = {
      created: `created the demo fleet: ${plural(result.created, 'device', 'devices')}`,
      rotated: `credentials file was missing: issued new secrets to ${plural(result.rotated, 'demo device', 'demo devices')}`,
      unchanged: 'registry already provisioned and credentials file present: nothing to do',
      'not-demo': 'registry holds no demo devices: no credentials file written',
    };
    ctx.out(messages[result.outcome]);
    const stations = plural(ctx.registry.listStations().length, 'transfer station', 'transfer stations');
    const vehicles = plural(ctx.registry.listVehicles().length, 'vehicle', 'vehicles');
    const centres = plural(ctx.registry.listSites().length - ctx.registry.listStations().length, 'sorting centre', 'sorting centres');
    const scales = plural(ctx.registry.list({ kind: 'scale' }).length, 'scale', 'scales');
    ctx.out(`registry: ${boxes}, ${cameras}, ${stations}, ${vehicles}, ${centres}, ${scales}`);
    if (result.outcome !== 'not-demo') ctx.out(`credentials: ${result.credentialsPath}`);
  },
};

/** Registry refusals that are the caller's input at fault: usage errors (exit 2), not runtime ones. */
const INVALID_INPUT = new Set(['INVALID_DEVICE', 'INVALID_SITE', 'INVALID_VEHICLE', 'INVALID_COMMUNITY']);

const HELP = new Set(['help', '--help', '-h']);

/** Whether the command line only asks for usage, so the entry point need not open the database. */
export function isUsageOnly(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.some((arg) => HELP.has(arg));
}

/** As runFleetCli, with the commands that wait (cert issue signs with WebCrypto): what the entry point runs. */
export async function runFleetCliAsync(argv: readonly string[], ctx: FleetCliContext): Promise<number> {
  const [command, ...args] = argv;
  if (command !== 'cert' || isUsageOnly(argv)) return runFleetCli(argv, ctx);
  try {
    await runCertCommand(args, ctx);
    return EXIT_OK;
  } catch (error) {
    return failed(command, error, ctx);
  }
}

/** Runs one command line (without node and the script) and returns the process exit code. */
export function runFleetCli(argv: readonly string[], ctx: FleetCliContext): number {
  const [command, ...args] = argv;
  if (command === undefined) {
    ctx.err(USAGE);
    return EXIT_USAGE;
  }
  if (isUsageOnly(argv)) {
    ctx.out(USAGE);
    return EXIT_OK;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    ctx.err(`unknown command "${command}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    run(args, ctx);
    return EXIT_OK;
  } catch (error) {
    return failed(command, error, ctx);
  }
}

/** Prints why a command failed; a usage error (exit 2) when the caller's input is at fault. */
function failed(command: string, error: unknown, ctx: FleetCliContext): number {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  ctx.err(lines.length === 1 ? `fleet ${command}: ${message}` : `fleet ${command}:\n  ${lines.join('\n  ')}`);
  const usage =
    error instanceof UsageError ||
    error instanceof AddOptionError ||
    error instanceof SiteOptionError ||
    (error instanceof FleetError && INVALID_INPUT.has(error.code));
  return usage ? EXIT_USAGE : EXIT_RUNTIME_ERROR;
}
