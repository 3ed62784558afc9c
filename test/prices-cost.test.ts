import { describe, expect, it } from 'vitest';
import { calculateCost, costBreakdown } from '../core/cost.js';
import type { ModelInfo, ModelPricing, TokenUsage } from '../core/types.js';
import { anthropicModelInfo } from '../plugins/anthropic/anthropic-models.js';
import { openAIModelInfo } from '../plugins/openai/openai-models.js';
import { convertAnthropicUsage } from '../protocols/anthropic-messages/convert-anthropic-usage.js';

const CAPABILITIES = { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: false, promptCaching: true };
const info = (pricing: ModelPricing | 'unknown'): ModelInfo => ({ id: 'm', provider: 'p', contextWindow: 1_000_000, maxOutputTokens: 64_000, pricing, capabilities: CAPABILITIES });
const usage = (promptTokens: number, completionTokens: number, extra: Partial<TokenUsage> = {}): TokenUsage => ({ promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, ...extra });
const perMillion = (tokens: number, rate: number): number => (tokens * rate) / 1e6;

describe('prices: tiers by prompt length', () => {
  // Claude Sonnet 4.5 as the price database has it: every rate doubles (output 1.5x) above 200K prompt tokens.
  const sonnet = anthropicModelInfo('claude-sonnet-4-5-20250929');

  it('the database tiers Sonnet 4.5 at 200K, and the whole request is priced at the tier it reaches', () => {
    expect(sonnet.pricing).toMatchObject({ input: 3, output: 15, tiers: [{ above: 200_000, input: 6, output: 22.5, cachedInput: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 }] });
    const atThreshold = costBreakdown(sonnet, usage(200_000, 1_000))!;
    expect(atThreshold.tier).toBeUndefined();
    expect(atThreshold.total).toBeCloseTo(perMillion(200_000, 3) + perMillion(1_000, 15), 12);
    const past = costBreakdown(sonnet, usage(200_001, 1_000, { cachedTokens: 100_000 }))!;
    expect(past.tier).toBe(200_000);
    expect(past.total).toBeCloseTo(perMillion(100_001, 6) + perMillion(100_000, 0.6) + perMillion(1_000, 22.5), 12);
  });

  it("Haiku 5.5 (HyperAgent's own dated entry: the database lacks it) crosses at 100K", () => {
    const haiku = anthropicModelInfo('claude-haiku-5-5');
    expect(haiku.pricingSource).toMatch(/^HyperAgent's own entry: platform\.claude\.com.*read \d{4}-\d{2}-\d{2}$/);
    expect(calculateCost(haiku, usage(100_000, 1_000))).toBeCloseTo(perMillion(100_000, 0.1) + perMillion(1_000, 0.5), 12);
    expect(costBreakdown(haiku, usage(100_001, 1_000))).toMatchObject({ tier: 100_000 });
    expect(calculateCost(haiku, usage(100_001, 1_000))).toBeCloseTo(perMillion(100_001, 0.5) + perMillion(1_000, 2.5), 12);
  });

  it('a rate a tier leaves out stays the base one; the last tier the prompt passes applies', () => {
    const pricing: ModelPricing = { input: 1, output: 2, tiers: [{ above: 10, input: 3 }, { above: 20, output: 5 }] };
    expect(costBreakdown(info(pricing), usage(15, 1_000_000))).toMatchObject({ tier: 10, input: perMillion(15, 3), output: 2 });
    expect(costBreakdown(info(pricing), usage(25, 1_000_000))).toMatchObject({ tier: 20, input: perMillion(25, 1), output: 5 });
  });

  it('gpt-5.5 (not in the OpenAI catalog) is priced from the database, tiered above 272K', () => {
    const gpt = openAIModelInfo('gpt-5.5');
    expect(costBreakdown(gpt, usage(272_000, 0))).toMatchObject({ tier: 271_999, input: perMillion(272_000, 10) });
  });
});

describe('prices: cache writes, 5 minutes against 1 hour', () => {
  const haiku = anthropicModelInfo('claude-haiku-4-5');

  it('Anthropic cache_creation splits the writes by TTL, and 1-hour writes cost 2x input against 1.25x', () => {
    const converted = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 2_000 },
      output_tokens: 100,
    });
    expect(converted).toMatchObject({ promptTokens: 3_010, cacheWriteTokens: 3_000, cacheWrite1hTokens: 2_000 });
    const breakdown = costBreakdown(haiku, converted)!;
    expect(breakdown.cacheWrite1h).toBeCloseTo(perMillion(2_000, 2), 12);
    expect(breakdown.cacheWrite).toBeCloseTo(perMillion(1_000, 1.25) + perMillion(2_000, 2), 12);
    expect(breakdown.total).toBeCloseTo(perMillion(10, 1) + perMillion(1_000, 1.25) + perMillion(2_000, 2) + perMillion(100, 5), 12);
  });

  it('the same writes all at 5 minutes cost less', () => {
    const fiveMinutes = calculateCost(haiku, usage(3_010, 100, { cacheWriteTokens: 3_000 }))!;
    const oneHour = calculateCost(haiku, usage(3_010, 100, { cacheWriteTokens: 3_000, cacheWrite1hTokens: 3_000 }))!;
    expect(oneHour - fiveMinutes).toBeCloseTo(perMillion(3_000, 2 - 1.25), 12);
  });

  it('a model with no 1-hour rate bills them at its cache-write rate, and more 1-hour writes than writes are capped', () => {
    const plain = info({ input: 3, output: 15, cacheWrite: 3.75 });
    expect(calculateCost(plain, usage(1_000, 0, { cacheWriteTokens: 1_000, cacheWrite1hTokens: 5_000 }))).toBeCloseTo(perMillion(1_000, 3.75), 12);
  });
});

describe('prices: reasoning, per-request fees, batch', () => {
  it('reasoning tokens priced apart where a model has a reasoning rate, at the output rate otherwise', () => {
    const apart = info({ input: 1, output: 4, reasoning: 2 });
    expect(costBreakdown(apart, usage(0, 1_000, { reasoningTokens: 600 }))).toMatchObject({ reasoning: perMillion(600, 2), output: perMillion(400, 4) + perMillion(600, 2) });
    expect(calculateCost(info({ input: 1, output: 4 }), usage(0, 1_000, { reasoningTokens: 600 }))).toBeCloseTo(perMillion(1_000, 4), 12);
  });

  it('a per-request fee is added once per call', () => {
    expect(costBreakdown(info({ input: 1, output: 1, perRequest: 0.005 }), usage(1_000, 0))).toMatchObject({ perRequest: 0.005, total: 0.005 + perMillion(1_000, 1) });
  });

  it('batch rates apply only to a cost computed with { batch: true }', () => {
    const pricing = info({ input: 2, output: 8, batch: { input: 1, output: 4 } });
    expect(calculateCost(pricing, usage(1e6, 1e6))).toBe(10);
    expect(costBreakdown(pricing, usage(1e6, 1e6), { batch: true })).toMatchObject({ total: 5, batch: true });
    expect(costBreakdown(info({ input: 2, output: 8 }), usage(1e6, 1e6), { batch: true })).toMatchObject({ total: 10, batch: false });
  });

  it('plain { input, output, cachedInput, cacheWrite } prices as before', () => {
    const breakdown = costBreakdown(info({ input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 }), usage(10_000, 2_000, { cachedTokens: 6_000, cacheWriteTokens: 1_000 }))!;
    expect(breakdown).toMatchObject({ source: 'catalog', tier: undefined, perRequest: 0, cacheWrite1h: 0 });
    expect(breakdown.total).toBeCloseTo(perMillion(3_000, 3) + perMillion(6_000, 0.3) + perMillion(1_000, 3.75) + perMillion(2_000, 15), 12);
  });
});

describe('prices: unknown stays unknown, a reported cost wins', () => {
  it('an unpriced model costs undefined, never 0', () => {
    expect(calculateCost(info('unknown'), usage(10, 10))).toBeUndefined();
    expect(calculateCost(anthropicModelInfo('claude-imaginary-9'), usage(10, 10))).toBeUndefined();
  });

  it("a provider's reported cost is the total, with our table's figure beside it", () => {
    const breakdown = costBreakdown(info({ input: 1, output: 1 }), usage(1e6, 0, { reportedCostUsd: 1.2 }));
    expect(breakdown).toMatchObject({ source: 'provider', total: 1.2, catalogTotal: 1 });
    expect(costBreakdown(info('unknown'), usage(1e6, 0, { reportedCostUsd: 1.2 }))).not.toHaveProperty('catalogTotal');
  });
});
