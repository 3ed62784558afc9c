// Writes schemas/plugins/<name>.json from each built-in provider's and plugin's optionsSchema, so
// editors can validate config files. The schemas in code are the source; test/schemas.test.ts
// fails when these files fall behind.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider } = await import(join(root, 'dist/index.js'));

export async function builtinSchemas() {
  const out = {};
  for (const name of Object.keys(BUILTIN_PROVIDERS)) out[`provider-${name}`] = (await loadProvider(name, root)).optionsSchema ?? {};
  for (const name of Object.keys(BUILTIN_PLUGINS)) out[`plugin-${name}`] = (await loadPlugin(name, root)).optionsSchema ?? {};
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(root, 'schemas', 'plugins');
  mkdirSync(dir, { recursive: true });
  for (const [name, schema] of Object.entries(await builtinSchemas())) {
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`);
  }
}
