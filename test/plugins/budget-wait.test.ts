// whenExceeded: "wait" — a call that does not fit waits, first in first out, until calls in flight
// settle; it leaves on its signal, after maxWaitMs, or at once when it could never fit.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AbortError, BudgetExceededError } from '../../core/errors.js';
import { Kernel } from '../../core/kernel.js';
import type { EmbeddingOutput, InferenceOutput, InferenceStream, InferOptions, LLMBackend, LLMMessage, ModelInfo } from '../../core/types.js';
import cost, { getCostLedger, type CostOptions } from '../../plugins/cost/index.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { BudgetUpstream } from './budget-upstream.js';

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];
const MAX_1000: InferOptions = { maxTokens: 1000 };
const upstream = new BudgetUpstream();
/** What one call of gpt-4o-mini with maxTokens 1000 and "hello" reserves: a budget of $0 refuses it and says. */
let RESERVATION = 0;
beforeAll(async () => {
  await upstream.start();
  const kernel = new Kernel();
  cost.apply(kernel, { budgetUsd: 0 });
  kernel.register('gpt', new OpenAIProvider({ apiKey: 'sk-test-budget-0000', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1` }));
  const refused = await kernel.backend('gpt').infer(hello, [], MAX_1000).catch((error: unknown) => error);
  RESERVATION = (refused as BudgetExceededError).estimatedUsd;
});
afterAll(() => upstream.stop());
afterEach(() => {
  upstream.reset();
  vi.useRealTimers();
});

function setup(options: CostOptions, backend: LLMBackend = new OpenAIProvider({ apiKey: 'sk-test-budget-0000', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1` })) {
  const kernel = new Kernel();
  cost.apply(kernel, { whenExceeded: 'wait', ...options });
  kernel.register('gpt', backend);
  const sent: string[] = [];
  kernel.hooks.onNotice.tap('test', (notice, context) => {
    if (notice.type === 'attempt-start') sent.push(context.callId);
  });
  return { kernel, client: kernel.backend('gpt'), sent, ledger: getCostLedger(kernel)! };
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 2000 && !check(); tries += 1) await realDelay(2);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('budget wait: calls that do not fit wait for reservations to settle', () => {
  it('admits 10 calls three at a time, in the order they were made, and never more than three at the upstream', async () => {
    upstream.usage = { prompt_tokens: 5, completion_tokens: 10 }; // far less than reserved: the total budget holds all 10
    const { client, kernel, sent, ledger } = setup({ budgetUsd: RESERVATION * 3.5 });
    const made: string[] = [];
    kernel.hooks.beforeInfer.tap({ name: 'test', stage: -1000 }, (request, context) => {
      made.push(context.callId);
      return request;
    });
    upstream.holding = true;
    const calls = Array.from({ length: 10 }, () => client.infer(hello, [], MAX_1000));
    let most = 0;
    for (let batch = 1; batch <= 4; batch += 1) {
      const expected = Math.min(10, batch * 3);
      await until(() => upstream.arrivals.length === expected, `${expected} arrivals`);
      await realDelay(20);
      expect(upstream.arrivals).toHaveLength(expected);
      most = Math.max(most, upstream.heldCount);
      upstream.releaseAll();
    }
    upstream.holding = false;
    await Promise.all(calls);
    expect(most).toBe(3);
    expect(sent).toEqual(made);
    expect(ledger.summary().calls).toBe(10);
  });

  it('a waiting call leaves with AbortError when its signal aborts, and is never sent', async () => {
    const { client } = setup({ budgetUsd: RESERVATION * 1.5 });
    upstream.holding = true;
    const first = client.infer(hello, [], MAX_1000);
    await until(() => upstream.arrivals.length === 1, 'the first call at the upstream');
    const controller = new AbortController();
    const waiting = client.infer(hello, [], { ...MAX_1000, signal: controller.signal }).catch((error: unknown) => error);
    const third = client.infer(hello, [], MAX_1000);
    controller.abort();
    const aborted = await waiting;
    expect(aborted).toBeInstanceOf(AbortError);
    expect((aborted as Error).message).toMatch(/while it waited for room in the budget; it was not sent/);
    upstream.releaseAll();
    await until(() => upstream.arrivals.length === 2, 'the third call at the upstream');
    upstream.holding = false;
    upstream.releaseAll();
    await Promise.all([first, third]);
    expect(upstream.arrivals).toHaveLength(2);
  });

  it('a call that could never fit is refused at once, without waiting', async () => {
    const { client } = setup({ budgetUsd: RESERVATION * 0.5 });
    const refused = (await client.infer(hello, [], MAX_1000).catch((error: unknown) => error)) as BudgetExceededError;
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused.message).toMatch(/reserved by 0 call\(s\) in flight.*Lower maxTokens/);
    expect(upstream.arrivals).toHaveLength(0);
  });

  it('a waiting call is refused as soon as what was spent leaves no room for it', async () => {
    upstream.usage = { prompt_tokens: 5, completion_tokens: 900 }; // 90% of the reservation
    const { client } = setup({ budgetUsd: RESERVATION * 1.5 });
    upstream.holding = true;
    const first = client.infer(hello, [], MAX_1000);
    await until(() => upstream.arrivals.length === 1, 'the first call at the upstream');
    const waiting = client.infer(hello, [], MAX_1000).catch((error: unknown) => error);
    upstream.releaseAll();
    await first;
    const refused = (await waiting) as BudgetExceededError;
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused.spentUsd).toBeCloseTo((5 * 0.15 + 900 * 0.6) / 1e6, 9);
    expect(upstream.arrivals).toHaveLength(1);
  });
});

/** An in-process backend whose calls finish when the test says so (no sockets under a fake clock). */
class HeldBackend implements LLMBackend {
  readonly provider = 'held';
  calls = 0;
  private readonly pending: (() => void)[] = [];
  finishAll(): void {
    for (const finish of this.pending.splice(0)) finish();
  }
  async infer(): Promise<InferenceOutput> {
    this.calls += 1;
    await new Promise<void>((resolve) => this.pending.push(resolve));
    return { content: 'ok', confidence: 1, tokenUsage: { promptTokens: 9, completionTokens: 10, totalTokens: 19 }, finishReason: 'stop', metadata: { provider: this.provider, model: 'm' } };
  }
  inferStream(): InferenceStream {
    throw new Error('not used');
  }
  async embed(): Promise<EmbeddingOutput> {
    throw new Error('not used');
  }
  modelInfo(): ModelInfo {
    const capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: false, promptCaching: false };
    return { id: 'm', provider: 'held', contextWindow: 128_000, maxOutputTokens: 16_384, pricing: { input: 0.15, output: 0.6 }, capabilities };
  }
  supportsFunctionCalling(): boolean {
    return false;
  }
  supportsStreaming(): boolean {
    return false;
  }
}

describe('budget wait: maxWaitMs bounds the wait', () => {
  it.each([
    ['maxWaitMs: 5000', 5_000, { maxWaitMs: 5_000 }],
    ['the default, a minute', 60_000, {}],
  ])('refuses a call that waited %s with BudgetExceededError saying so (fake clock)', async (_name, waitMs, options) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const backend = new HeldBackend();
    const { client } = setup({ budgetUsd: RESERVATION * 1.5, ...options }, backend);
    const first = client.infer(hello, [], MAX_1000);
    let outcome: unknown;
    const waiting = client.infer(hello, [], MAX_1000).then(
      () => (outcome = 'admitted'),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(outcome).toBeInstanceOf(BudgetExceededError);
    expect((outcome as Error).message).toMatch(/reserved by 1 call\(s\) in flight.*It waited \d+ ms \(maxWaitMs\).*Raise maxWaitMs/);
    backend.finishAll();
    await first;
    expect(backend.calls).toBe(1);
  });

  it('rejects a wait no timer can hold, and a mode it does not know', () => {
    expect(() => cost.apply(new Kernel(), { budgetUsd: 1, whenExceeded: 'wait', maxWaitMs: 2 ** 31 })).toThrow(/option "maxWaitMs"/);
    expect(() => cost.apply(new Kernel(), { budgetUsd: 1, whenExceeded: 'later' as never })).toThrow(/option "whenExceeded"/);
  });
});
