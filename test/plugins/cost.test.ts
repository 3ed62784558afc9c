import { describe, expect, it } from 'vitest';
import { BudgetExceededError, ErrorCode } from '../../core/errors.js';
import type { CostEvent, KernelNotice } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { Kernel } from '../../core/kernel.js';
import type { EmbeddingOutput, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, ModelPricing, TokenUsage } from '../../core/types.js';
import cost, { getCostLedger, UNKNOWN_PRICING_NOTICE, type CostOptions } from '../../plugins/cost/index.js';

/** gpt-4o-mini's shape of prices (USD per 1M tokens), so the arithmetic below is easy to follow. */
const MINI: ModelPricing = { input: 0.15, output: 0.6, cachedInput: 0.075 };
/** Claude-like prices with a cache-write rate. */
const SONNET: ModelPricing = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };

class FakeBackend implements LLMBackend {
  readonly provider = 'fake';
  calls = 0;
  /** Usage of the next calls, in order; the last one repeats. */
  usages: TokenUsage[] = [{ promptTokens: 1000, completionTokens: 100, totalTokens: 1100 }];
  constructor(
    private readonly model: string,
    private readonly pricing: ModelPricing | 'unknown',
  ) {}
  private nextUsage(): TokenUsage {
    return this.usages.length > 1 ? (this.usages.shift() as TokenUsage) : this.usages[0];
  }
  async infer(): Promise<InferenceOutput> {
    this.calls += 1;
    return { content: 'ok', confidence: 1, tokenUsage: this.nextUsage(), finishReason: 'stop', metadata: { provider: this.provider, model: this.model } };
  }
  inferStream(): InferenceStream {
    this.calls += 1;
    const usage = this.nextUsage();
    return new ManagedInferenceStream(async function* () {
      yield { type: 'text-delta', text: 'ok' } as const;
      yield { type: 'done', tokenUsage: usage, finishReason: 'stop' } as const;
    }, { provider: this.provider, model: this.model });
  }
  async embed(): Promise<EmbeddingOutput> {
    this.calls += 1;
    return { embeddings: [[0.1, 0.2]], model: this.model, tokenUsage: this.nextUsage(), metadata: { provider: this.provider, model: this.model } };
  }
  modelInfo(model = this.model): ModelInfo {
    const capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: true, promptCaching: true };
    return { id: model, provider: 'fake', contextWindow: 128_000, maxOutputTokens: 16_384, pricing: this.pricing, capabilities };
  }
  supportsFunctionCalling(): boolean {
    return true;
  }
  supportsStreaming(): boolean {
    return true;
  }
}

function setup(options: CostOptions = {}) {
  const kernel = new Kernel();
  cost.apply(kernel, options);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => {
    if (notice.type !== 'attempt-start' && notice.type !== 'first-token') notices.push(notice);
  });
  const ledger = getCostLedger(kernel);
  if (!ledger) throw new Error('the cost plugin did not make a ledger');
  return { kernel, notices, ledger };
}

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];

describe('cost: the ledger per backend, per model and in total', () => {
  it('adds up calls, keeping uncached, cached and cache-write input and output apart', async () => {
    const { kernel, ledger } = setup();
    const mini = new FakeBackend('gpt-4o-mini', MINI);
    mini.usages = [
      { promptTokens: 1_000_000, completionTokens: 1_000_000, totalTokens: 2_000_000, cachedTokens: 400_000 },
      { promptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 },
    ];
    const sonnet = new FakeBackend('claude-sonnet', SONNET);
    sonnet.usages = [{ promptTokens: 2_000_000, completionTokens: 100_000, totalTokens: 2_100_000, cachedTokens: 1_000_000, cacheWriteTokens: 500_000, reasoningTokens: 40_000 }];
    kernel.register('openai', mini).register('anthropic', sonnet);

    await kernel.backend('openai').infer(hello);
    await kernel.backend('openai').inferStream(hello).output();
    await kernel.backend('anthropic').infer(hello);

    const summary = ledger.summary();
    // openai: 600k uncached * 0.15 + 400k cached * 0.075 + 1M out * 0.6, then 1M uncached * 0.15
    const openaiUsd = 0.09 + 0.03 + 0.6 + 0.15;
    // anthropic: 500k uncached * 3 + 1M cached * 0.3 + 500k written * 3.75 + 100k out * 15
    const anthropicUsd = 1.5 + 0.3 + 1.875 + 1.5;
    expect(summary.calls).toBe(3);
    expect(summary.totalUsd).toBeCloseTo(openaiUsd + anthropicUsd, 9);
    expect(summary.usd.input).toBeCloseTo(0.09 + 0.15 + 1.5, 9);
    expect(summary.usd.cachedInput).toBeCloseTo(0.03 + 0.3, 9);
    expect(summary.usd.cacheWrite).toBeCloseTo(1.875, 9);
    expect(summary.usd.output).toBeCloseTo(0.6 + 1.5, 9);
    expect(summary.tokens).toEqual({ input: 2_100_000, cachedInput: 1_400_000, cacheWrite: 500_000, output: 1_100_000, reasoning: 40_000, total: 5_100_000 });

    expect(Object.keys(summary.byBackend)).toEqual(['openai', 'anthropic']);
    expect(summary.byBackend.openai.calls).toBe(2);
    expect(summary.byBackend.openai.totalUsd).toBeCloseTo(openaiUsd, 9);
    expect(summary.byBackend.openai.tokens.cachedInput).toBe(400_000);
    expect(summary.byBackend.anthropic.totalUsd).toBeCloseTo(anthropicUsd, 9);
    expect(summary.byModel['gpt-4o-mini'].totalUsd).toBeCloseTo(openaiUsd, 9);
    expect(summary.byModel['claude-sonnet'].usd.cacheWrite).toBeCloseTo(1.875, 9);
    expect(ledger.spentUsd).toBeCloseTo(openaiUsd + anthropicUsd, 9);
  });

  it('groups two backends of one model under that model', async () => {
    const { kernel, ledger } = setup();
    kernel.register('a', new FakeBackend('gpt-4o-mini', MINI)).register('b', new FakeBackend('gpt-4o-mini', MINI));
    await kernel.backend('a').infer(hello);
    await kernel.backend('b').infer(hello);
    expect(ledger.summary().byModel['gpt-4o-mini'].calls).toBe(2);
    expect(Object.keys(ledger.summary().byBackend)).toEqual(['a', 'b']);
  });

  it('records embeddings and provider-reported costs', async () => {
    const { kernel, ledger } = setup();
    const router = new FakeBackend('openrouter/auto', 'unknown');
    router.usages = [{ promptTokens: 10, completionTokens: 5, totalTokens: 15, reportedCostUsd: 0.0123 }];
    const embedder = new FakeBackend('text-embedding-3-small', { input: 0.02, output: 0 });
    embedder.usages = [{ promptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 }];
    kernel.register('router', router).register('embed', embedder);
    await kernel.backend('router').infer(hello);
    await kernel.backend('embed').embed('some text');
    const summary = ledger.summary();
    expect(summary.unknownPricingCalls).toBe(0);
    expect(summary.usd.providerReported).toBeCloseTo(0.0123, 9);
    expect(summary.byModel['text-embedding-3-small'].usd.input).toBeCloseTo(0.02, 9);
    expect(summary.totalUsd).toBeCloseTo(0.0323, 9);
  });

  it('starts over on reset', async () => {
    const { kernel, ledger } = setup();
    kernel.register('a', new FakeBackend('gpt-4o-mini', MINI));
    await kernel.backend('a').infer(hello);
    ledger.reset();
    expect(ledger.summary()).toMatchObject({ calls: 0, totalUsd: 0, byBackend: {}, byModel: {} });
  });

  it('is there only for kernels the plugin was applied to, once', () => {
    expect(getCostLedger(new Kernel())).toBeUndefined();
    const { kernel } = setup();
    expect(() => cost.apply(kernel, {})).toThrow(/already applied/);
  });
});

describe('cost: unknown pricing is counted apart, never as zero', () => {
  it('counts calls and tokens of unpriced models without adding to the USD total', async () => {
    const { kernel, ledger } = setup();
    kernel.register('local', new FakeBackend('llama3.2', 'unknown')).register('mini', new FakeBackend('gpt-4o-mini', MINI));
    await kernel.backend('local').infer(hello);
    await kernel.backend('local').infer(hello);
    await kernel.backend('mini').infer(hello);
    const summary = ledger.summary();
    expect(summary.calls).toBe(3);
    expect(summary.unknownPricingCalls).toBe(2);
    expect(summary.totalUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
    expect(summary.byModel['llama3.2']).toMatchObject({ calls: 2, unknownPricingCalls: 2, totalUsd: 0, tokens: { input: 2000, output: 200 } });
    expect(summary.byBackend.mini.unknownPricingCalls).toBe(0);
  });
});

describe('cost: budget refusal before any money is spent', () => {
  // Estimate with maxTokens 1000 at $15 per 1M output: $0.015 + a few prompt tokens.
  it('refuses a call whose estimate would pass the budget, without calling the backend', async () => {
    const { kernel } = setup({ budgetUsd: 0.01 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    kernel.register('claude', backend);
    const failure = await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BudgetExceededError);
    expect(failure).toMatchObject({ code: ErrorCode.BUDGET_EXCEEDED, budgetUsd: 0.01, spentUsd: 0 });
    expect((failure as BudgetExceededError).estimatedUsd).toBeGreaterThan(0.015);
    expect((failure as Error).message).toMatch(/this call to claude \(claude-sonnet\) needs up to \$0\.0150 .*of the \$0\.0100 budget \$0\.00 is spent and \$0\.00 is reserved by 0 call\(s\) in flight, leaving \$0\.0100\. It was not sent\. Lower maxTokens/);
    expect(backend.calls).toBe(0);
  });

  it('refuses streams and embeddings the same way', async () => {
    const { kernel } = setup({ budgetUsd: 0.000001 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    kernel.register('claude', backend);
    await expect(kernel.backend('claude').inferStream(hello).output()).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(kernel.backend('claude').embed('x'.repeat(4000))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(backend.calls).toBe(0);
  });

  it('falls back to the model max output tokens for the estimate', async () => {
    const { kernel } = setup({ budgetUsd: 0.2 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    kernel.register('claude', backend);
    // 16,384 output tokens * $15 per 1M = $0.2458 > $0.20; with maxTokens 1000 it fits.
    await expect(kernel.backend('claude').infer(hello)).rejects.toBeInstanceOf(BudgetExceededError);
    await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 });
    expect(backend.calls).toBe(1);
  });

  it('counts what was spent: refuses once spending plus the estimate passes the budget', async () => {
    const { kernel, ledger } = setup({ budgetUsd: 0.05 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    backend.usages = [{ promptTokens: 1000, completionTokens: 2500, totalTokens: 3500 }]; // $0.0405 per call, estimated at ~$0.015
    kernel.register('claude', backend);
    await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 });
    const failure = await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BudgetExceededError);
    expect((failure as BudgetExceededError).spentUsd).toBeCloseTo(0.0405, 9);
    expect(backend.calls).toBe(1);
    expect(ledger.summary().calls).toBe(1);
  });

  it('starts counting again after ledger.reset()', async () => {
    const { kernel, ledger } = setup({ budgetUsd: 0.05 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    backend.usages = [{ promptTokens: 1000, completionTokens: 2500, totalTokens: 3500 }]; // $0.0405
    kernel.register('claude', backend);
    await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 });
    await expect(kernel.backend('claude').infer(hello, [], { maxTokens: 1000 })).rejects.toBeInstanceOf(BudgetExceededError);
    ledger.reset();
    await kernel.backend('claude').infer(hello, [], { maxTokens: 1000 });
    expect(backend.calls).toBe(2);
  });

  it('with unpricedCalls "allow", lets calls with unknown pricing through, with one notice per model', async () => {
    const { kernel, notices } = setup({ budgetUsd: 0, unpricedCalls: 'allow' });
    const backend = new FakeBackend('llama3.2', 'unknown');
    kernel.register('local', backend);
    await kernel.backend('local').infer(hello);
    await kernel.backend('local').infer(hello);
    expect(backend.calls).toBe(2);
    expect(notices.filter((notice) => notice.type === 'custom')).toEqual([{ type: 'custom', name: UNKNOWN_PRICING_NOTICE, data: expect.objectContaining({ backend: 'local', model: 'llama3.2' }) }]);
  });
});

describe('cost: budget notices', () => {
  it('warns once at warnAtFraction and says once when spending crossed the budget', async () => {
    const { kernel, notices } = setup({ budgetUsd: 0.1, warnAtFraction: 0.5 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    // Each call costs $0.03 but is estimated at $0.0015, so spending can pass the budget.
    backend.usages = [{ promptTokens: 0, completionTokens: 2000, totalTokens: 2000 }];
    kernel.register('claude', backend);
    const run = () => kernel.backend('claude').infer(hello, [], { maxTokens: 100 });
    await run(); // 0.03
    expect(notices).toEqual([]);
    await run(); // 0.06: past half
    expect(notices).toEqual([{ type: 'budget', spentUsd: expect.closeTo(0.06, 9), budgetUsd: 0.1, crossed: false }]);
    await run(); // 0.09
    await run(); // 0.12: crossed
    await expect(run()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(notices).toHaveLength(2);
    expect(notices[1]).toEqual({ type: 'budget', spentUsd: expect.closeTo(0.12, 9), budgetUsd: 0.1, crossed: true });
  });

  it('warns at 80% by default', async () => {
    const { kernel, notices } = setup({ budgetUsd: 0.1 });
    const backend = new FakeBackend('claude-sonnet', SONNET);
    backend.usages = [{ promptTokens: 0, completionTokens: 5000, totalTokens: 5000 }]; // $0.075
    kernel.register('claude', backend);
    await kernel.backend('claude').infer(hello, [], { maxTokens: 10 });
    expect(notices).toEqual([]);
    backend.usages = [{ promptTokens: 0, completionTokens: 400, totalTokens: 400 }]; // +$0.006 = $0.081
    await kernel.backend('claude').infer(hello, [], { maxTokens: 10 });
    expect(notices).toMatchObject([{ type: 'budget', crossed: false }]);
  });
});

describe('cost: the total is exact over many calls', () => {
  it('equals the sum of 50,000 individual calls to the cent (and far below)', async () => {
    const { kernel, ledger } = setup();
    const backend = new FakeBackend('gpt-4o-mini', MINI);
    kernel.register('mini', backend);
    const api = kernel.backend('mini');
    // Deterministic pseudo-random usages; the exact expected total is kept in integer
    // thousandths of a nano-dollar: tokens * (price per 1M * 1000) / 1e6 USD = that / 1e12 USD.
    let seed = 42;
    const random = (max: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % max;
    };
    let expectedPico = 0n;
    let perCallSum = 0;
    for (let index = 0; index < 50_000; index += 1) {
      const prompt = 1 + random(3000);
      const cached = random(prompt);
      const completion = random(800);
      backend.usages = [{ promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, cachedTokens: cached }];
      const output = await api.infer(hello);
      perCallSum += output.metadata.costUsd ?? Number.NaN;
      expectedPico += BigInt((prompt - cached) * 150 + cached * 75 + completion * 600);
    }
    const expectedUsd = Number(expectedPico) / 1e9;
    const summary = ledger.summary();
    expect(summary.calls).toBe(50_000);
    expect(Math.round(summary.totalUsd * 100)).toBe(Math.round(expectedUsd * 100));
    expect(Math.abs(summary.totalUsd - expectedUsd)).toBeLessThan(1e-6);
    expect(Math.abs(summary.totalUsd - perCallSum)).toBeLessThan(1e-6);
    expect(summary.usd.input + summary.usd.cachedInput + summary.usd.output).toBeCloseTo(summary.totalUsd, 6);
  });
});

describe('cost: the ledger never goes down', () => {
  const event = (usage: TokenUsage, costUsd: number | undefined, extra: Record<string, unknown> = {}): CostEvent =>
    ({ backendName: 'b', provider: 'fake', model: 'm', operation: 'infer', usage, costUsd, breakdown: undefined, partial: false, ...extra }) as unknown as CostEvent;

  it('takes a negative or non-numeric cost and token count as unknown, never as a refund', () => {
    const { ledger } = setup();
    ledger.record(event({ promptTokens: 1000, completionTokens: 100, totalTokens: 1100 }, 0.5));
    const before = ledger.summary();
    ledger.record(event({ promptTokens: 10, completionTokens: -100_000_000, totalTokens: -99_999_990 }, -59.98));
    ledger.record(event({ promptTokens: Number.NaN, completionTokens: '10' as never, totalTokens: Number.POSITIVE_INFINITY, cachedTokens: -5 }, Number.NaN));
    const after = ledger.summary();
    expect(after.totalUsd).toBe(before.totalUsd);
    expect(after.unknownPricingCalls).toBe(2);
    expect(after.calls).toBe(3);
    expect(after.tokens).toEqual({ ...before.tokens, input: before.tokens.input + 10 });
    for (const value of [...Object.values(after.usd), ...Object.values(after.tokens)]) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('counts calls charged on an estimate', () => {
    const { ledger } = setup();
    ledger.record(event({ promptTokens: 50_000, completionTokens: 0, totalTokens: 50_000 }, 0.15, { estimated: true, partial: true }));
    ledger.record(event({ promptTokens: 10, completionTokens: 1, totalTokens: 11 }, 0.001));
    expect(ledger.summary()).toMatchObject({ calls: 2, estimatedCalls: 1, partialCalls: 1, byBackend: { b: { estimatedCalls: 1 } } });
  });

  it('a response with completion_tokens -1e8 does not open the budget: spending stays within it', async () => {
    const { kernel, ledger } = setup({ budgetUsd: 0.003 });
    const backend = new FakeBackend('gpt-4o-mini', MINI);
    // $0.00060075 each, reserved at $0.00060135 (maxTokens 1000); the first response says it produced -100,000,000 tokens.
    backend.usages = [
      { promptTokens: 5, completionTokens: -100_000_000, totalTokens: -99_999_995 },
      { promptTokens: 5, completionTokens: 1000, totalTokens: 1005 },
    ];
    kernel.register('mini', backend);
    let sent = 0;
    for (let index = 0; index < 20; index += 1) {
      const done = await kernel.backend('mini').infer(hello, [], { maxTokens: 1000 }).then(() => true, (error: unknown) => error instanceof BudgetExceededError && false);
      if (done) sent += 1;
    }
    expect(sent).toBeLessThanOrEqual(5);
    expect(ledger.summary().totalUsd).toBeGreaterThanOrEqual(0);
    expect(ledger.summary().totalUsd).toBeLessThanOrEqual(0.003);
    expect(backend.calls).toBe(sent);
  });
});

describe('cost: options', () => {
  it('throws a TypeError naming a bad option', () => {
    expect(() => cost.apply(new Kernel(), { budgetUsd: -1 })).toThrow(/option "budgetUsd"/);
    expect(() => cost.apply(new Kernel(), { budgetUsd: 'five' as never })).toThrow(TypeError);
    expect(() => cost.apply(new Kernel(), { warnAtFraction: 0 })).toThrow(/option "warnAtFraction"/);
    expect(() => cost.apply(new Kernel(), { warnAtFraction: 1.5 })).toThrow(/option "warnAtFraction"/);
    expect(() => cost.apply(new Kernel(), { budget: 5 } as never)).toThrow(/unknown option "budget"/);
  });
});
