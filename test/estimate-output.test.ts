import { describe, expect, it } from 'vitest';
import { estimateInferCost, estimateInferTokens, estimatePromptTokens, estimateTextTokens } from '../core/estimate.js';
import { setTokenEstimator, tokenEstimatorFor } from '../core/estimate-registry.js';
import { builtInTokenEstimator, CL100K_ESTIMATOR, O200K_ESTIMATOR } from '../core/estimate-weights.js';
import type { CallContext, InferRequest } from '../core/hooks.js';
import { Kernel } from '../core/kernel.js';
import type { TokenEstimator } from '../core/token-estimator.js';
import type { LLMBackend, LLMMessage } from '../core/types.js';
import { AnthropicProvider } from '../plugins/anthropic/index.js';
import { createMockBackend, MockBackend } from '../plugins/mock/index.js';
import { OpenAICompatibleProvider } from '../plugins/openai-compatible/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { OpenRouterProvider } from '../plugins/openrouter/index.js';

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];
const request = (options: InferRequest['options'] = {}): InferRequest => ({ messages: hello, tools: [], options });

/** A real kernel's call context, captured in `beforeInfer`, for a call to `backend`. */
async function contextOf(backend: LLMBackend, kernel = new Kernel()): Promise<CallContext> {
  let captured: CallContext | undefined;
  kernel.hooks.beforeInfer.tapPromise('capture', async (input, context) => {
    captured = context;
    return input;
  });
  kernel.register('b', backend);
  await kernel.backend('b').infer(hello);
  return captured!;
}

describe('worst-case output: the call, else the backend, else the model, else 1,000', () => {
  it('takes the call maxTokens over the backend one', async () => {
    const context = await contextOf(new MockBackend({ maxTokens: 300 }));
    expect(estimateInferCost(request({ maxTokens: 40 }), context).outputTokens).toBe(40);
  });

  it('takes the backend maxTokens when the call sets none, not the model limit (8,192 for the mock)', async () => {
    const context = await contextOf(new MockBackend({ maxTokens: 300 }));
    const estimate = estimateInferCost(request(), context);
    expect(estimate.outputTokens).toBe(300);
    expect(estimate.costUsd).toBeLessThan(estimateInferCost(request(), await contextOf(new MockBackend())).costUsd!);
  });

  it('takes the model maxOutputTokens without either, and 1,000 when the model has none', async () => {
    expect(estimateInferCost(request(), await contextOf(new MockBackend())).outputTokens).toBe(8_192);
    const context = await contextOf(new MockBackend());
    const noLimit = { ...context, modelInfo: () => ({ ...context.modelInfo(), maxOutputTokens: undefined }) };
    expect(estimateInferCost(request(), noLimit).outputTokens).toBe(1_000);
  });

  it.each([Number.NaN, -5, 0, Number.POSITIVE_INFINITY, '100'])('ignores a backend maxTokens of %s (a third-party backend may say anything)', async (value) => {
    const context = await contextOf(new MockBackend());
    const odd = { ...context, modelInfo: () => context.modelInfo(), backend: Object.assign(Object.create(context.backend) as LLMBackend, { maxTokens: value }) };
    expect(estimateInferCost(request(), odd).outputTokens).toBe(8_192);
  });

  it('the rate limiter estimate honours the backend maxTokens too, with its context', async () => {
    const context = await contextOf(new MockBackend({ maxTokens: 300 }));
    expect(estimateInferTokens(request(), 1024, 8192, context).outputTokens).toBe(300);
    expect(estimateInferTokens(request({ maxTokens: 50 }), 1024, 8192, context).outputTokens).toBe(50);
    // Without a context (the old signature) it is what it was: the default, capped at the model limit.
    expect(estimateInferTokens(request(), 1024, 256).outputTokens).toBe(256);
  });
});

describe('every built-in provider reports the maxTokens it sends', () => {
  it.each([
    ['openai', new OpenAIProvider('sk-test-0000', 'gpt-4o-mini').withMaxTokens(111)],
    ['anthropic', new AnthropicProvider({ apiKey: 'sk-ant-test-0000' }).withMaxTokens(111)],
    ['openrouter', new OpenRouterProvider('sk-or-test-0000').withMaxTokens(111)],
    ['openai-compatible', new OpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:1/v1', model: 'llama3.2' }).withMaxTokens(111)],
    ['mock (options)', new MockBackend({ maxTokens: 111 })],
    ['mock (config entry)', createMockBackend({ provider: 'mock', maxTokens: 111 })],
  ] as const)('%s', (_name, backend: LLMBackend) => {
    expect(backend.maxTokens).toBe(111);
  });

  it('and none when none is set', () => {
    expect(new OpenRouterProvider('sk-or-test-0000').maxTokens).toBeUndefined();
    expect(new MockBackend().maxTokens).toBeUndefined();
  });

  it('the mock refuses a maxTokens that is not a positive integer', () => {
    expect(() => new MockBackend({ maxTokens: 0 })).toThrow(/maxTokens.*integer >= 1, received 0/);
  });
});

describe('the built-in estimator follows the model family', () => {
  it.each(['gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'o3-mini', 'openai/gpt-4o', 'chatgpt-4o-latest'])('%s counts as o200k', (model) => {
    expect(builtInTokenEstimator(model)).toBe(O200K_ESTIMATOR);
  });

  it.each(['gpt-4', 'gpt-3.5-turbo', 'claude-sonnet-4-6', 'llama3.2', 'mock-model', undefined])('%s counts as the conservative cl100k', (model) => {
    expect(builtInTokenEstimator(model)).toBe(CL100K_ESTIMATOR);
  });

  it('counts Japanese by the family: o200k spends fewer tokens on it than cl100k', () => {
    const text = '東京は日本の首都であり、世界でも有数の大都市です。';
    expect(O200K_ESTIMATOR.countText(text)).toBeLessThan(CL100K_ESTIMATOR.countText(text));
    expect(O200K_ESTIMATOR.countText(text)).toBeGreaterThan(text.length / 2);
  });
});

describe('setTokenEstimator replaces the estimator per kernel, by provider and model prefix', () => {
  const fixed = (name: string, tokens: number): TokenEstimator => ({ name, countText: () => tokens });
  const context = (kernel: Kernel, provider: string, model: string) => ({ kernel, provider, model });

  it('counts the calls in scope with it, and leaves other kernels and models alone', () => {
    const kernel = new Kernel();
    const llama = fixed('llama', 7);
    setTokenEstimator(kernel, llama, { modelPrefix: 'llama' });
    expect(tokenEstimatorFor(context(kernel, 'openai-compatible', 'llama3.2'))).toBe(llama);
    expect(tokenEstimatorFor(context(kernel, 'openai-compatible', 'qwen2.5'))).toBe(CL100K_ESTIMATOR);
    expect(tokenEstimatorFor(context(new Kernel(), 'openai-compatible', 'llama3.2'))).toBe(CL100K_ESTIMATOR);
  });

  it('prefers the longest model prefix, then a provider, then the one set last', () => {
    const kernel = new Kernel();
    const every = fixed('every', 1);
    const anthropic = fixed('anthropic', 2);
    const claude = fixed('claude', 3);
    const opus = fixed('opus', 4);
    setTokenEstimator(kernel, opus, { modelPrefix: 'claude-opus' });
    setTokenEstimator(kernel, claude, { modelPrefix: 'claude-' });
    setTokenEstimator(kernel, anthropic, { provider: 'anthropic' });
    setTokenEstimator(kernel, every);
    expect(tokenEstimatorFor(context(kernel, 'anthropic', 'claude-opus-4-1'))).toBe(opus);
    expect(tokenEstimatorFor(context(kernel, 'anthropic', 'claude-sonnet-4-6'))).toBe(claude);
    expect(tokenEstimatorFor(context(kernel, 'anthropic', 'other'))).toBe(anthropic);
    expect(tokenEstimatorFor(context(kernel, 'openai', 'gpt-4o'))).toBe(every);
    const later = fixed('later', 5);
    setTokenEstimator(kernel, later);
    expect(tokenEstimatorFor(context(kernel, 'openai', 'gpt-4o'))).toBe(later);
  });

  it('is what budgets and the rate limiter count the prompt with, for the model the call asks for', async () => {
    const kernel = new Kernel();
    setTokenEstimator(kernel, fixed('per-text', 100), { provider: 'mock', modelPrefix: 'big-' });
    const captured = await contextOf(new MockBackend(), kernel);
    const plain = estimateInferCost(request(), captured).promptTokens;
    expect(estimateInferCost(request({ model: 'big-model' }), captured).promptTokens).toBe(3 + 4 + 100);
    expect(estimateInferTokens(request({ model: 'big-model' }), 0, undefined, captured).promptTokens).toBe(3 + 4 + 100);
    expect(plain).toBe(estimatePromptTokens(hello, [], CL100K_ESTIMATOR));
  });

  it('replaces a count that is not a non-negative number by the built-in one', () => {
    for (const odd of [Number.NaN, -3, Number.POSITIVE_INFINITY]) {
      expect(estimateTextTokens('hello world', fixed('odd', odd))).toBe(CL100K_ESTIMATOR.countText('hello world'));
    }
  });

  it('refuses what is not an estimator, naming the argument', () => {
    const kernel = new Kernel();
    expect(() => setTokenEstimator(kernel, {} as TokenEstimator)).toThrow(TypeError);
    expect(() => setTokenEstimator(kernel, {} as TokenEstimator)).toThrow(/`estimator` must be an object with countText/);
    expect(() => setTokenEstimator(kernel, fixed('x', 1), { modelPrefix: '' })).toThrow(/`scope.modelPrefix` must be a non-empty string/);
    expect(() => setTokenEstimator(undefined as unknown as Kernel, fixed('x', 1))).toThrow(/`kernel` must be the Kernel/);
  });
});

describe('long messages are counted once per estimator', () => {
  it('gives the same count from memory, and a different estimator counts afresh', () => {
    const long: LLMMessage[] = [{ role: 'user', content: '東京は日本の首都です。'.repeat(100) }];
    const first = estimatePromptTokens(long, [], CL100K_ESTIMATOR);
    expect(estimatePromptTokens(long, [], CL100K_ESTIMATOR)).toBe(first);
    expect(estimatePromptTokens(long, [], O200K_ESTIMATOR)).toBeLessThan(first);
  });
});
