// `npm run prices`: rewrites core/prices/snapshot.json from the installed @pydantic/genai-prices.
// Run it after updating that devDependency; test/prices-snapshot.test.ts shows what changed until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot } from './prices-snapshot.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { findProvider } = await import('@pydantic/genai-prices');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'));
const date = process.env.HYPERAGENT_PRICES_DATE ?? new Date().toISOString().slice(0, 10);
const snapshot = buildSnapshot(findProvider, version, date);
const file = join(root, 'core', 'prices', 'snapshot.json');
// One model per line: small, and a price change is a one-line diff.
const lines = [];
for (const [name, provider] of Object.entries(snapshot.providers)) {
  const models = provider.models.map((model) => `      ${JSON.stringify(model)}`).join(',\n');
  lines.push(`    ${JSON.stringify(name)}: {\n      "id": ${JSON.stringify(provider.id)}, "pricingUrls": ${JSON.stringify(provider.pricingUrls)}, "models": [\n${models}\n    ]}`);
}
const header = `"format": ${snapshot.format}, "source": ${JSON.stringify(snapshot.source)}, "version": ${JSON.stringify(version)}, "date": ${JSON.stringify(date)}`;
const text = `{\n  ${header},\n  "providers": {\n${lines.join(',\n')}\n  }\n}\n`;
JSON.parse(text);
writeFileSync(file, text);
const count = Object.values(snapshot.providers).reduce((sum, provider) => sum + provider.models.length, 0);
console.log(`wrote ${file}: ${count} models of ${Object.keys(snapshot.providers).length} providers, @pydantic/genai-prices ${version}, prices as of ${date}, ${Buffer.byteLength(text)} bytes`);
