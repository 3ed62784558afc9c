// Turns @pydantic/genai-prices (a devDependency, never imported at run time) into the compact price
// snapshot HyperAgent ships: only the providers it talks to, each model's `match` rule and its prices
// in HyperAgent's `ModelPricing` shape. Shared by `npm run prices` and test/prices-snapshot.test.ts,
// which fails with the changed prices whenever the package is updated and this was not re-run.

/** HyperAgent's provider name → the database's provider id. */
export const SNAPSHOT_PROVIDERS = Object.freeze({
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistral: 'mistral',
  azure: 'azure',
  bedrock: 'aws',
  cohere: 'cohere',
  groq: 'groq',
  deepseek: 'deepseek',
  together: 'together',
  fireworks: 'fireworks',
  xai: 'x-ai',
  perplexity: 'perplexity',
  cerebras: 'cerebras',
  moonshot: 'moonshotai',
  openrouter: 'openrouter',
});

/** Database price keys → `ModelPricing` fields (USD per 1M tokens, except `perRequest`). */
const KEYS = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cachedInput',
  cache_write_mtok: 'cacheWrite',
  cache_write_1h_mtok: 'cacheWrite1h',
  output_reasoning_mtok: 'reasoning',
};

/**
 * The price in effect on `date` (YYYY-MM-DD). Time-of-day discounts (DeepSeek's off-peak hours) are
 * left out: the price outside them is kept, so a call is never priced below what it may cost.
 */
export function priceOn(prices, date) {
  if (!Array.isArray(prices)) return prices;
  for (let index = prices.length - 1; index >= 0; index -= 1) {
    const { constraint, prices: entry } = prices[index];
    if (constraint === undefined) return entry;
    if (constraint.type === 'start_date' && constraint.start_date <= date) return entry;
  }
  return prices[0].prices;
}

/** One database price set → `ModelPricing`, or `undefined` when it has no input token price. */
export function convertPrices(prices) {
  const pricing = {};
  const thresholds = new Set();
  const tiered = {};
  const ignored = [];
  for (const [key, value] of Object.entries(prices)) {
    if (value === undefined) continue;
    if (key === 'requests_kcount' && typeof value === 'number') {
      pricing.perRequest = round(value / 1000);
      continue;
    }
    const field = KEYS[key];
    if (field === undefined) {
      ignored.push(key);
      continue;
    }
    if (typeof value === 'number') {
      pricing[field] = value;
      continue;
    }
    pricing[field] = value.base;
    tiered[field] = [...value.tiers].sort((a, b) => a.start - b.start);
    for (const tier of value.tiers) thresholds.add(tier.start);
  }
  if (pricing.input === undefined) return undefined;
  pricing.output ??= 0;
  if (thresholds.size > 0) {
    // The database tiers each price on its own; a tier here is one threshold with every rate that changes there.
    pricing.tiers = [...thresholds]
      .sort((a, b) => a - b)
      .map((above) => {
        const tier = { above };
        for (const [field, steps] of Object.entries(tiered)) {
          let rate = pricing[field];
          for (const step of steps) if (above >= step.start) rate = step.price;
          tier[field] = rate;
        }
        return tier;
      });
  }
  return { pricing: ordered(pricing), ...(ignored.length > 0 ? { ignored: ignored.sort() } : {}) };
}

const ORDER = ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'reasoning', 'perRequest', 'tiers'];

function ordered(pricing) {
  return Object.fromEntries(ORDER.filter((key) => pricing[key] !== undefined).map((key) => [key, pricing[key]]));
}

function round(value) {
  return Number(value.toPrecision(12));
}

/**
 * The snapshot's `providers` part from the package's data, prices as in effect on `date`.
 * `findProvider` is the package's export of that name.
 */
export function snapshotProviders(findProvider, date) {
  const providers = {};
  for (const [name, id] of Object.entries(SNAPSHOT_PROVIDERS)) {
    const provider = findProvider({ providerId: id });
    if (provider === undefined) throw new Error(`@pydantic/genai-prices has no provider "${id}" any more: update SNAPSHOT_PROVIDERS in scripts/prices-snapshot.js.`);
    const models = [];
    for (const model of provider.models) {
      const converted = convertPrices(priceOn(model.prices, date));
      if (converted === undefined) continue;
      models.push({ id: model.id, match: model.match, ...converted, ...(model.deprecated ? { deprecated: true } : {}) });
    }
    providers[name] = { id, pricingUrls: provider.pricing_urls ?? [], models };
  }
  return providers;
}

/** The whole snapshot file's content. */
export function buildSnapshot(findProvider, version, date) {
  return { format: 1, source: '@pydantic/genai-prices', version, date, providers: snapshotProviders(findProvider, date) };
}
