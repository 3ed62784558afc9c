// Budgets are reservations: each call holds its worst-case cost from admission until it ends, so
// concurrent calls can never overshoot. Real HTTP: the OpenAI provider against a loopback upstream
// that counts arrivals and holds its answers so that the calls are really in flight together.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, BudgetExceededError, ErrorCode } from '../../core/errors.js';
import { Kernel } from '../../core/kernel.js';
import type { InferOptions, LLMMessage } from '../../core/types.js';
import cost, { getCostLedger, type CostOptions } from '../../plugins/cost/index.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { BudgetUpstream } from './budget-upstream.js';

const upstream = new BudgetUpstream();
beforeAll(() => upstream.start());
afterAll(() => upstream.stop());
afterEach(() => upstream.reset());

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];
const MAX_1000: InferOptions = { maxTokens: 1000 };
/** gpt-4o-mini: $0.15 per 1M input tokens, $0.60 per 1M output tokens. */
const usdOf = (prompt: number, completion: number) => (prompt * 0.15 + completion * 0.6) / 1e6;

function openai(settings: { maxTokens?: number } = {}): OpenAIProvider {
  return new OpenAIProvider({ apiKey: 'sk-test-budget-0000', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1`, ...settings });
}

function setup(options: CostOptions, backends: Record<string, OpenAIProvider> = { gpt: openai() }) {
  const kernel = new Kernel();
  cost.apply(kernel, options);
  for (const [name, backend] of Object.entries(backends)) kernel.register(name, backend);
  return { kernel, ledger: getCostLedger(kernel)! };
}

/** What one call reserves: a budget of $0 refuses it, and the refusal says what it needed. */
async function reservationOf(options: InferOptions, settings: { maxTokens?: number } = {}): Promise<number> {
  const { kernel } = setup({ budgetUsd: 0 }, { gpt: openai(settings) });
  const refused = (await kernel.backend('gpt').infer(hello, [], options).catch((error: unknown) => error)) as BudgetExceededError;
  expect(refused).toBeInstanceOf(BudgetExceededError);
  return refused.estimatedUsd;
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 2000 && !check(); tries += 1) await realDelay(2);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('budget: 100 concurrent calls against a budget that fits 25 of them', () => {
  it('sends exactly 25, refuses 75 before anything is sent, and spends within the budget', async () => {
    const reservation = await reservationOf(MAX_1000);
    // The upstream reports fewer prompt tokens than estimated, so each call costs less than it reserved.
    upstream.usage = { prompt_tokens: 5, completion_tokens: 1000 };
    expect(usdOf(5, 1000)).toBeLessThan(reservation);
    const budgetUsd = reservation * 25.5;
    const { kernel, ledger } = setup({ budgetUsd });
    upstream.holding = true;

    const client = kernel.backend('gpt');
    const settled = Array.from({ length: 100 }, () => client.infer(hello, [], MAX_1000).then(
      (output) => ({ output }),
      (error: unknown) => ({ error }),
    ));
    // All 25 admitted calls are at the upstream at once, holding their reservations.
    await until(() => upstream.arrivals.length === 25, '25 arrivals');
    await realDelay(20);
    expect(upstream.arrivals).toHaveLength(25);
    upstream.releaseAll();
    upstream.holding = false;
    const results = await Promise.all(settled);

    const refusals = results.flatMap((result) => ('error' in result ? [result.error as BudgetExceededError] : []));
    expect(refusals).toHaveLength(75);
    expect(upstream.arrivals).toHaveLength(25);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(BudgetExceededError);
      expect(refusal).toMatchObject({ code: ErrorCode.BUDGET_EXCEEDED, budgetUsd: expect.closeTo(budgetUsd, 9), spentUsd: 0 });
      expect(refusal.reservedUsd).toBeCloseTo(25 * reservation, 9);
      expect(refusal.message).toMatch(/\$0\.00 is spent and \$0\.0150\d* is reserved by 25 call\(s\) in flight, leaving \$0\.000\d+\. It was not sent\. It fits once calls in flight settle/);
    }
    const summary = ledger.summary();
    expect(summary.calls).toBe(25);
    expect(summary.totalUsd).toBeCloseTo(25 * usdOf(5, 1000), 9);
    expect(summary.totalUsd).toBeLessThanOrEqual(budgetUsd);

    // What the 25 left over is less than one reservation: the next call cannot fit, ever.
    const next = (await client.infer(hello, [], MAX_1000).catch((error: unknown) => error)) as BudgetExceededError;
    expect(next).toBeInstanceOf(BudgetExceededError);
    expect(next.spentUsd).toBeCloseTo(25 * usdOf(5, 1000), 9);
    expect(next.reservedUsd).toBe(0);
    expect(next.message).toMatch(/reserved by 0 call\(s\) in flight.*Lower maxTokens/);
    expect(upstream.arrivals).toHaveLength(25);
  });

  it('gives back what a call did not spend, so calls that cost less than they reserve keep going', async () => {
    const reservation = await reservationOf(MAX_1000);
    upstream.usage = { prompt_tokens: 5, completion_tokens: 10 }; // 1% of the reservation
    const { kernel, ledger } = setup({ budgetUsd: reservation * 2.5 });
    const client = kernel.backend('gpt');
    for (let index = 0; index < 20; index += 1) await client.infer(hello, [], MAX_1000);
    expect(upstream.arrivals).toHaveLength(20);
    expect(ledger.summary().totalUsd).toBeCloseTo(20 * usdOf(5, 10), 9);
  });
});

describe('budget: the reservation is the call’s most possible output', () => {
  it('reserves the call maxTokens, else the model output limit (16,384 for gpt-4o-mini)', async () => {
    const promptUsd = (await reservationOf(MAX_1000)) - usdOf(0, 1000);
    const { kernel } = setup({ budgetUsd: 0.005 });
    const client = kernel.backend('gpt');
    // 16,384 output tokens at $0.60 per 1M = $0.0098: does not fit $0.005.
    const refused = (await client.infer(hello).catch((error: unknown) => error)) as BudgetExceededError;
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused.estimatedUsd).toBeCloseTo(promptUsd + usdOf(0, 16_384), 9);
    expect(refused.message).toMatch(/up to 16384 output tokens/);
    expect(upstream.arrivals).toHaveLength(0);
    await client.infer(hello, [], MAX_1000);
    expect(upstream.arrivals).toHaveLength(1);
  });

  it('reserves the backend maxTokens when the call sets none', async () => {
    expect(await reservationOf({}, { maxTokens: 1000 })).toBeCloseTo(await reservationOf(MAX_1000), 12);
    const { kernel } = setup({ budgetUsd: 0.005 }, { gpt: openai({ maxTokens: 1000 }) });
    await kernel.backend('gpt').infer(hello);
    expect(upstream.arrivals).toHaveLength(1);
  });
});

describe('budget: a call gives its reservation back when it ends, however it ended', () => {
  it('a stream holds its reservation until its consumer stops, then the next stream fits', async () => {
    const reservation = await reservationOf(MAX_1000);
    const { kernel } = setup({ budgetUsd: reservation * 3.5 });
    const client = kernel.backend('gpt');
    // Each stream sends one chunk and hangs: the consumer reads it, and holds the stream open.
    const streams = Array.from({ length: 10 }, () => client.inferStream(hello, [], MAX_1000));
    const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
    const firsts = await Promise.all(iterators.map((iterator) => iterator.next()));
    const opened = firsts.flatMap((first, index) => (first.value?.type === 'text-delta' ? [index] : []));
    const refused = firsts.filter((first) => first.value?.type === 'error' && first.value.error instanceof BudgetExceededError);
    expect(opened).toHaveLength(3);
    expect(refused).toHaveLength(7);
    expect(upstream.arrivals).toHaveLength(3);

    await iterators[opened[0]].return!();
    await until(() => upstream.arrivals[0] !== undefined, 'first arrival');
    await upstream.arrivals[0].closed;
    const again = client.inferStream(hello, [], MAX_1000)[Symbol.asyncIterator]();
    expect((await again.next()).value).toMatchObject({ type: 'text-delta' });
    expect(upstream.arrivals).toHaveLength(4);
    for (const index of opened.slice(1)) await iterators[index].return!();
    await again.return!();
  });

  it('a call vetoed by a later beforeInfer tap, after it reserved, gives its reservation back', async () => {
    const reservation = await reservationOf(MAX_1000);
    const { kernel } = setup({ budgetUsd: reservation * 1.5 });
    let veto = true;
    kernel.hooks.beforeInfer.tap({ name: 'test-veto', stage: 0 }, (request) => {
      if (veto) throw new Error('vetoed after the budget');
      return request;
    });
    await expect(kernel.backend('gpt').infer(hello, [], MAX_1000)).rejects.toThrow(/vetoed after the budget/);
    veto = false;
    await kernel.backend('gpt').infer(hello, [], MAX_1000);
    expect(upstream.arrivals).toHaveLength(1);
  });

  it('an aborted call gives its reservation back', async () => {
    const reservation = await reservationOf(MAX_1000);
    const { kernel } = setup({ budgetUsd: reservation * 1.5 });
    const client = kernel.backend('gpt');
    upstream.holding = true;
    const controller = new AbortController();
    const aborted = client.infer(hello, [], { ...MAX_1000, signal: controller.signal }).catch((error: unknown) => error);
    await until(() => upstream.arrivals.length === 1, 'the first call at the upstream');
    await expect(client.infer(hello, [], MAX_1000)).rejects.toBeInstanceOf(BudgetExceededError);
    controller.abort();
    expect(await aborted).toBeInstanceOf(AbortError);
    upstream.holding = false;
    upstream.releaseAll();
    await client.infer(hello, [], MAX_1000);
    expect(upstream.arrivals).toHaveLength(2);
  });
});

describe('budget: per-backend budgets follow the same rule', () => {
  it('holds a backend to its own budget and leaves the others alone', async () => {
    const reservation = await reservationOf(MAX_1000);
    const { kernel } = setup({ budgets: { small: reservation * 2.5 } }, { small: openai(), big: openai() });
    upstream.holding = true;
    const small = Array.from({ length: 5 }, () => kernel.backend('small').infer(hello, [], MAX_1000).catch((error: unknown) => error));
    const big = Array.from({ length: 5 }, () => kernel.backend('big').infer(hello, [], MAX_1000));
    await until(() => upstream.arrivals.length === 7, '7 arrivals');
    upstream.releaseAll();
    upstream.holding = false;
    const smallResults = await Promise.all(small);
    await Promise.all(big);
    const refusals = smallResults.filter((result): result is BudgetExceededError => result instanceof BudgetExceededError);
    expect(refusals).toHaveLength(3);
    expect(refusals[0].message).toMatch(/budget of backend "small".*raise budgets\["small"\]/);
    expect(upstream.arrivals).toHaveLength(7);
  });

  it('a call must fit both the total and its backend budget', async () => {
    const reservation = await reservationOf(MAX_1000);
    const { kernel } = setup({ budgetUsd: reservation * 1.5, budgets: { small: reservation * 10 } }, { small: openai() });
    upstream.holding = true;
    const first = kernel.backend('small').infer(hello, [], MAX_1000);
    const second = (await kernel.backend('small').infer(hello, [], MAX_1000).catch((error: unknown) => error)) as BudgetExceededError;
    expect(second).toBeInstanceOf(BudgetExceededError);
    expect(second.message).toMatch(/of the \$0\.0009\d* budget \$0\.00 is spent/);
    upstream.releaseAll();
    upstream.holding = false;
    await first;
    expect(upstream.arrivals).toHaveLength(1);
  });
});
