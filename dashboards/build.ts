/**
 * `npm run dashboards:build`: regenerates dashboards/json/<name>.json from the dashboards as
 * code. Commit the result: Grafana's file provider reads the JSON (docs/dashboards.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, JSON_DIR, render } from './render.ts';

mkdirSync(JSON_DIR, { recursive: true });
for (const source of DASHBOARDS) {
  const file = new URL(`${source.name}.json`, JSON_DIR);
  writeFileSync(file, render(source));
  process.stdout.write(`wrote ${fileURLToPath(file)}\n`);
}
