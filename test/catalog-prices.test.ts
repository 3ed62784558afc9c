// Catalogs built on core/model-catalog.ts take their prices from the price table first (the
// config's price file, our dated entries, the shipped snapshot of the maintained database), then
// from their own entry, else 'unknown'.
import { afterEach, describe, expect, it } from 'vitest';
import { catalogModelInfo } from '../core/model-catalog.js';
import { setPriceOverrides } from '../core/pricing-table.js';
import { DEEPINFRA_CATALOG } from '../plugins/deepinfra/deepinfra-models.js';
import { GROQ_CATALOG } from '../plugins/groq/groq-models.js';

afterEach(() => setPriceOverrides(undefined));

describe('vendor catalogs and the price table', () => {
  it('a model the database has is priced from it, and says so', () => {
    const info = catalogModelInfo(GROQ_CATALOG, 'llama-3.3-70b-versatile');
    expect(info.pricing).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect(info.pricingSource).not.toBe(GROQ_CATALOG.pricingSource);
    expect(info.pricingSource).toMatch(/genai-prices/);
  });

  it("a model the database lacks keeps the catalog's own dated price", () => {
    const [id] = Object.keys(DEEPINFRA_CATALOG.models);
    const info = catalogModelInfo(DEEPINFRA_CATALOG, id!);
    expect(info.pricing).toEqual(DEEPINFRA_CATALOG.models[id!]!.pricing);
    expect(info.pricingSource).toBe(DEEPINFRA_CATALOG.pricingSource);
  });

  it('an id nobody knows is unknown, never 0', () => {
    expect(catalogModelInfo(GROQ_CATALOG, 'some-new-model-2027').pricing).toBe('unknown');
  });

  it("the config's price file wins over the database", () => {
    setPriceOverrides({ models: [{ provider: 'groq', id: 'llama-3.3-70b-versatile', pricing: { input: 0.01, output: 0.02 }, source: 'contract', date: '2026-12-01' }] }, 'team-prices.json');
    expect(catalogModelInfo(GROQ_CATALOG, 'llama-3.3-70b-versatile').pricing).toMatchObject({ input: 0.01, output: 0.02 });
  });
});
