import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../core/errors.js';
import { closeAllPools } from '../core/http.js';
import type { KernelNotice } from '../core/hooks.js';
import { Kernel } from '../core/kernel.js';
import { setPriceOverrides } from '../core/pricing-table.js';
import type { LLMMessage } from '../core/types.js';
import { usageLine } from '../cli/usage-line.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { OpenRouterProvider } from '../plugins/openrouter/index.js';
import cost, { getCostLedger, type CostOptions } from '../plugins/cost/index.js';
import { FAKE_OPENAI_KEY, FAKE_OPENROUTER_KEY } from './providers/openai-style-helpers.js';
import { ReplayServer } from './replay-server.js';

const server = new ReplayServer();
beforeAll(() => server.start());
afterEach(() => setPriceOverrides(undefined));
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];

/** An OpenAI Chat Completions answer from `model`, with 1,000 prompt and 100 completion tokens. */
function completion(model: string): { body: string; headers: Record<string, string> } {
  const body = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

function setup(costOptions?: CostOptions) {
  const kernel = new Kernel();
  if (costOptions) cost.apply(kernel, costOptions);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => void (notice.type.startsWith('price-') || notice.type === 'custom' ? notices.push(notice) : undefined));
  kernel.register('gpt', new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-imaginary-9' }));
  kernel.register('other', new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-imaginary-9' }));
  return { kernel, notices };
}

describe('prices: an unpriced model stays unknown, loudly', () => {
  it('costUsd is undefined, with one price-unknown notice per backend and model, and the ledger counts the calls apart', async () => {
    const { kernel, notices } = setup({});
    for (let i = 0; i < 3; i += 1) server.enqueue('/v1/chat/completions', completion('gpt-imaginary-9'));
    server.enqueue('/v1/chat/completions', completion('gpt-4o-mini'));
    const first = await kernel.backend('gpt').infer(hello);
    await kernel.backend('gpt').infer(hello);
    await kernel.backend('other').infer(hello);
    const priced = await kernel.backend('other').infer(hello);
    expect(first.metadata.costUsd).toBeUndefined();
    expect(priced.metadata.costUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
    expect(notices).toEqual([
      { type: 'price-unknown', backend: 'gpt', provider: 'openai', model: 'gpt-imaginary-9', message: expect.stringMatching(/price of gpt-imaginary-9 on backend gpt \(openai\) is unknown.*"prices": "\.\/prices\.json"/) },
      expect.objectContaining({ type: 'price-unknown', backend: 'other', model: 'gpt-imaginary-9' }),
    ]);
    const summary = getCostLedger(kernel)!.summary();
    expect(summary).toMatchObject({ calls: 4, unknownPricingCalls: 3 });
    expect(summary.totalUsd).toBeCloseTo(priced.metadata.costUsd!, 12);
  });

  it('the CLI says "cost unknown", not $0', () => {
    const line = usageLine({ tokenUsage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 }, costUsd: undefined, calls: 1, elapsedMs: 1200 });
    expect(line).toBe('tokens: 1,000 in, 100 out, 0 cached · cost unknown · 1 call · 1.20s');
  });

  it('a budget refuses it by default, before anything is sent, and says how to price it', async () => {
    const { kernel } = setup({ budgetUsd: 10 });
    const sent = server.requests.length;
    const refused = await kernel.backend('gpt').infer(hello).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toMatchObject({ code: 'HA_BUDGET_EXCEEDED', budgetUsd: 10, estimatedUsd: Number.POSITIVE_INFINITY });
    expect((refused as Error).message).toMatch(/price of gpt-imaginary-9 \(openai\) is unknown.*"prices": "\.\/prices\.json".*unpricedCalls: "allow"/);
    expect(server.requests.length).toBe(sent);
  });

  it('a budget that waits refuses it too, at once', async () => {
    const { kernel } = setup({ budgetUsd: 10, whenExceeded: 'wait' });
    await expect(kernel.backend('gpt').infer(hello)).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it('with unpricedCalls "allow" it goes through, uncounted, with a notice', async () => {
    const { kernel, notices } = setup({ budgetUsd: 10, unpricedCalls: 'allow' });
    server.enqueue('/v1/chat/completions', completion('gpt-imaginary-9'));
    const output = await kernel.backend('gpt').infer(hello);
    expect(output.metadata.costUsd).toBeUndefined();
    expect(notices.map((notice) => notice.type)).toEqual(['custom', 'price-unknown']);
  });

  it('an override price makes it priced, and the budget counts it', async () => {
    setPriceOverrides({ models: [{ provider: 'openai', id: 'gpt-imaginary-9', pricing: { input: 1, output: 2 }, source: 'contract', date: '2026-12-01' }] }, 'prices.json');
    const { kernel, notices } = setup({ budgetUsd: 10 });
    server.enqueue('/v1/chat/completions', completion('gpt-imaginary-9'));
    const output = await kernel.backend('gpt').infer(hello);
    expect(output.metadata.costUsd).toBeCloseTo((1000 * 1 + 100 * 2) / 1e6, 12);
    expect(kernel.backend('gpt').modelInfo().pricingSource).toBe('prices.json (contract, read 2026-12-01)');
    expect(notices).toEqual([]);
  });
});

describe('prices: a provider-reported cost wins, and a stale table is a notice', () => {
  function openrouter() {
    const kernel = new Kernel();
    const notices: KernelNotice[] = [];
    kernel.hooks.onNotice.tap('test', (notice) => void (notice.type.startsWith('price-') ? notices.push(notice) : undefined));
    kernel.register('or', new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL: `${server.baseURL}/api/v1`, model: 'anthropic/claude-4.6-sonnet-20260217' }));
    return { kernel, notices };
  }
  // The recording: 3 uncached + 3,211 cache-write prompt tokens and 100 output, usage.cost 0.01355025.
  const REPORTED = 0.01355025;

  it('our table agrees with the reported cost: charged the reported cost, no notice', async () => {
    const { kernel, notices } = openrouter();
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-cache-write.json' });
    const output = await kernel.backend('or').infer(hello);
    expect(output.metadata.costUsd).toBe(REPORTED);
    expect(kernel.backend('or').modelInfo(output.metadata.model).pricingSource).toMatch(/^@pydantic\/genai-prices/);
    expect(notices).toEqual([]);
  });

  it('more than 5% apart: still the reported cost, and one price-mismatch notice per backend and model', async () => {
    setPriceOverrides({ models: [{ provider: 'openrouter', id: 'anthropic/claude-4.6-sonnet-20260217', pricing: { input: 3, output: 15, cacheWrite: 3 } }] }, 'stale.json');
    const { kernel, notices } = openrouter();
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-cache-write.json' });
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-cache-write.json' });
    const output = await kernel.backend('or').infer(hello);
    await kernel.backend('or').infer(hello);
    expect(output.metadata.costUsd).toBe(REPORTED);
    const table = (3 * 3 + 3211 * 3 + 100 * 15) / 1e6;
    expect(notices).toEqual([
      { type: 'price-mismatch', backend: 'or', provider: 'openrouter', model: 'anthropic/claude-4.6-sonnet-20260217', reportedUsd: REPORTED, tableUsd: expect.closeTo(table, 12), message: expect.stringMatching(/reported \$0\.01355025 .* 22% away from .*stale\.json/) },
    ]);
  });

  it('within 5%: no notice', async () => {
    setPriceOverrides({ models: [{ provider: 'openrouter', id: 'anthropic/claude-4.6-sonnet-20260217', pricing: { input: 3, output: 15, cacheWrite: 3.6 } }] }, 'close.json');
    const { kernel, notices } = openrouter();
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-cache-write.json' });
    await kernel.backend('or').infer(hello);
    expect(notices).toEqual([]);
  });
});
