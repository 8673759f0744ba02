/** `npm run fleet -- <command>`: provision and inspect the devices allowed onto the broker. */
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { openDatabase } from '../storage/sqlite.ts';
import { SqliteFleetRegistry } from './adapters/sqlite-fleet-registry.ts';
import { ensureCommunitiesSchema, SqliteCommunityRegistry } from './adapters/sqlite-community-registry.ts';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE, isUsageOnly, runFleetCliAsync, USAGE } from './cli-commands.ts';

// `fleet list | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const out = (text: string) => void process.stdout.write(`${text}\n`);
const err = (text: string) => void process.stderr.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  if (isUsageOnly(argv)) {
    // Help needs no configuration and must not create DATA_DIR as a side effect.
    if (argv.length === 0) err(USAGE);
    else out(USAGE);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const config = loadConfig(process.env);
    // The same file the platform uses: WAL and busy_timeout let both write while it runs.
    const db = openDatabase(join(config.DATA_DIR, 'binpulse.db'));
    try {
      const registry = new SqliteFleetRegistry(db);
      ensureCommunitiesSchema(db);
      return await runFleetCliAsync(argv, { registry, communities: new SqliteCommunityRegistry(db), config, out, err });
    } finally {
      db.close();
    }
  } catch (error) {
    // ConfigError names the bad variables; anything else (an unreadable database) is shown as is.
    err(error instanceof ConfigError ? error.message : `fleet: ${(error as Error).message}`);
    return EXIT_RUNTIME_ERROR;
  }
}

// exitCode rather than exit(): output still buffered for a pipe gets written first.
process.exitCode = await main(process.argv.slice(2));
