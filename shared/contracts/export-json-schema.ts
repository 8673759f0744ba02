/** `npm run contracts:export`: writes docs/contracts/*.schema.json from the zod contracts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractSchemaDocuments } from './json-schema.ts';

const outDir = join(import.meta.dirname, '..', '..', 'docs', 'contracts');
mkdirSync(outDir, { recursive: true });
for (const { file, schema } of contractSchemaDocuments()) {
  writeFileSync(join(outDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/contracts/${file}`);
}
