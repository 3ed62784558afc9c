// `npm run prices`: rewrites core/prices/snapshot*.json from the installed @pydantic/genai-prices.
// Run it after updating that devDependency; test/prices-snapshot.test.ts shows what changed until then.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot } from './prices-snapshot.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { findProvider } = await import('@pydantic/genai-prices');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'));
const date = process.env.HYPERAGENT_PRICES_DATE ?? new Date().toISOString().slice(0, 10);
const snapshot = buildSnapshot(findProvider, version, date);
const dir = join(root, 'core', 'prices');
// One file per provider, read only when a model of that provider is first priced (the whole
// database parses in ~8 ms, one provider in well under 1); one model per line, so a price change is a one-line diff.
let bytes = 0;
for (const name of readdirSync(dir)) if (/^snapshot-.*\.json$/.test(name)) rmSync(join(dir, name));
const index = {};
for (const [name, provider] of Object.entries(snapshot.providers)) {
  const text = `[\n${provider.models.map((model) => `  ${JSON.stringify(model)}`).join(',\n')}\n]\n`;
  JSON.parse(text);
  writeFileSync(join(dir, `snapshot-${name}.json`), text);
  bytes += Buffer.byteLength(text);
  index[name] = { id: provider.id, pricingUrls: provider.pricingUrls, models: provider.models.length };
}
const { providers: _providers, ...meta } = snapshot;
const indexText = `${JSON.stringify({ ...meta, providers: index }, null, 2)}\n`;
writeFileSync(join(dir, 'snapshot.json'), indexText);
bytes += Buffer.byteLength(indexText);
const count = Object.values(snapshot.providers).reduce((sum, provider) => sum + provider.models.length, 0);
console.log(`wrote ${dir}/snapshot*.json: ${count} models of ${Object.keys(snapshot.providers).length} providers, @pydantic/genai-prices ${version}, prices as of ${date}, ${bytes} bytes`);
