import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { priceFor } from '../core/pricing-table.js';
import { ANTHROPIC_MODEL_IDS, anthropicModelInfo } from '../plugins/anthropic/anthropic-models.js';
import { GOOGLE_MODEL_IDS, googleModelInfo } from '../plugins/google/google-models.js';
import { OPENAI_MODEL_IDS, openAIModelInfo } from '../plugins/openai/openai-models.js';
import { openRouterModelInfo } from '../plugins/openrouter/openrouter-models.js';
import { VERTEX_MODEL_IDS, vertexModelInfo } from '../plugins/vertex/vertex-models.js';
// @ts-expect-error: a plain JavaScript build script, shared with `npm run prices`.
import { snapshotProviders } from '../scripts/prices-snapshot.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PRICES = join(root, 'core', 'prices');
const read = (name: string): any => JSON.parse(readFileSync(join(PRICES, name), 'utf8'));
const index = read('snapshot.json');

describe('prices: the shipped snapshot is the devDependency, as `npm run prices` writes it', () => {
  it('names the installed @pydantic/genai-prices version', () => {
    const installed = JSON.parse(readFileSync(join(root, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8')) as { version: string };
    expect(index.version, 'run `npm run prices` after updating @pydantic/genai-prices').toBe(installed.version);
    expect(index.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('holds the same prices, model by model (a diff until `npm run prices` is run)', () => {
    const fresh = snapshotProviders(findProvider, index.date) as Record<string, { id: string; models: { id: string }[] }>;
    const changes: string[] = [];
    for (const name of new Set([...Object.keys(fresh), ...Object.keys(index.providers)])) {
      const shipped = new Map<string, unknown>(index.providers[name] ? read(`snapshot-${name}.json`).map((model: { id: string }) => [model.id, model]) : []);
      const current = new Map<string, unknown>((fresh[name]?.models ?? []).map((model) => [model.id, model]));
      for (const [id, model] of current) {
        if (!shipped.has(id)) changes.push(`+ ${name} ${JSON.stringify(model)}`);
        else if (JSON.stringify(shipped.get(id)) !== JSON.stringify(model)) changes.push(`~ ${name} ${id}: shipped ${JSON.stringify(shipped.get(id))}, database ${JSON.stringify(model)}`);
      }
      for (const id of shipped.keys()) if (!current.has(id)) changes.push(`- ${name} ${id}`);
      if (fresh[name] && index.providers[name]?.models !== fresh[name].models.length) changes.push(`  ${name}: snapshot.json counts ${index.providers[name]?.models} models`);
    }
    expect(changes, `the price database changed; run \`npm run prices\`:\n${changes.join('\n')}`).toEqual([]);
  });

  it("HyperAgent's own entries cover only models the database lacks, each with a source and the date it was read", () => {
    for (const entry of read('own-prices.json').models) {
      expect(entry.source, entry.id).toMatch(/\S{10,}/);
      expect(entry.date, entry.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const models: { id: string }[] = read(`snapshot-${entry.provider}.json`);
      expect(models.map((model) => model.id), `${entry.id} is in the database now: delete it from core/prices/own-prices.json`).not.toContain(entry.id);
    }
  });
});

/** Each built-in catalog, by provider: every id priced from the database, from our own entries, or unknown. */
function counts(ids: readonly string[], source: (id: string) => string | undefined): { database: number; own: number; unknown: number } {
  const result = { database: 0, own: 0, unknown: 0 };
  for (const id of ids) {
    const from = source(id);
    if (from === undefined) result.unknown += 1;
    else if (from.startsWith('@pydantic/genai-prices')) result.database += 1;
    else if (from.startsWith("HyperAgent's own entry")) result.own += 1;
    else throw new Error(`${id}: priced from "${from}", neither the database nor a dated own entry`);
  }
  return result;
}

const OPENROUTER_STATIC = ['openai/gpt-4o', 'openai/gpt-4o-2024-11-20', 'openai/gpt-4o-2024-08-06', 'openai/o3-mini', 'openai/o4-mini-high', 'openai/o3-pro'];

describe('prices: every catalog model is priced or explicitly unknown', () => {
  const table = {
    openai: counts(OPENAI_MODEL_IDS, (id) => openAIModelInfo(id).pricingSource),
    anthropic: counts(ANTHROPIC_MODEL_IDS, (id) => anthropicModelInfo(id).pricingSource),
    openrouter: counts(OPENROUTER_STATIC, (id) => openRouterModelInfo(id, 'http://127.0.0.1:1/api/v1').pricingSource),
    google: counts(GOOGLE_MODEL_IDS, (id) => googleModelInfo(id).pricingSource),
    vertex: counts(VERTEX_MODEL_IDS, (id) => vertexModelInfo(id).pricingSource),
  };

  it('every id is priced from the database or a dated own entry, or explicitly unknown', () => {
    expect(table).toEqual({
      openai: { database: OPENAI_MODEL_IDS.length, own: 0, unknown: 0 },
      anthropic: { database: ANTHROPIC_MODEL_IDS.length - 2, own: 2, unknown: 0 },
      openrouter: { database: OPENROUTER_STATIC.length, own: 0, unknown: 0 },
      google: { database: GOOGLE_MODEL_IDS.length, own: 0, unknown: 0 },
      // gemini-embedding-001: vertexCatalogId() strips its "-001", so neither the catalog nor the price table finds it.
      vertex: { database: VERTEX_MODEL_IDS.length - 1, own: 0, unknown: 1 },
    });
    expect(vertexModelInfo('gemini-embedding-001').pricing).toBe('unknown');
  });

  it('the README states the same counts', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [provider, { database, own, unknown }] of Object.entries(table)) {
      const row = `| ${provider} | ${database + own + unknown} | ${database} | ${own} | ${unknown} |`;
      expect(readme.includes(row), `README.md, section "Prices", should have the row ${row}`).toBe(true);
    }
  });

  it('dated ids and aliases resolve to their model: the database rule, never a neighbour', () => {
    expect(priceFor('anthropic', 'claude-sonnet-5-5')?.origin).toBe('own');
    expect(priceFor('anthropic', 'claude-sonnet-5')?.entryId).toBe('claude-sonnet-5');
    expect(priceFor('anthropic', 'claude-opus-4-7')).toMatchObject({ origin: 'database', entryId: 'claude-opus-4-7' });
    expect(priceFor('openai', 'gpt-4o-mini-2024-07-18')?.entryId).toBe('gpt-4o-mini');
    expect(priceFor('bedrock', 'nothing-like-a-model')).toBeUndefined();
    expect(priceFor('no-such-provider', 'gpt-4o')).toBeUndefined();
  });
});
