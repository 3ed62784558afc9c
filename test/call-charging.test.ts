// Every call that reached the wire is charged exactly once, however it ended, with sanitised usage:
// real providers over real HTTP to a loopback upstream serving recordings and hand-made bodies.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CostEvent, KernelNotice } from '../core/hooks.js';
import { Kernel } from '../core/kernel.js';
import { sanitizeUsage } from '../core/sanitize-usage.js';
import type { TokenUsage } from '../core/types.js';
import { AnthropicProvider } from '../plugins/anthropic/index.js';
import cost, { getCostLedger } from '../plugins/cost/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { createGateway, type Gateway } from '../server/index.js';
import { ReplayServer } from './replay-server.js';

const replay = new ReplayServer();
const gateways: Gateway[] = [];
beforeAll(async () => {
  await replay.start();
});
afterAll(async () => {
  await replay.stop();
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  replay.requests.length = 0;
});

interface Rig {
  readonly kernel: Kernel;
  readonly costs: CostEvent[];
  readonly notices: KernelNotice[];
  readonly ends: string[];
}

function rig(): Rig {
  const kernel = new Kernel()
    .register('claude', new AnthropicProvider({ apiKey: 'sk-ant-test-charging-0000', model: 'claude-haiku-4-5', baseURL: `${replay.baseURL}/v1` }))
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-test-charging-0000', model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }));
  cost.apply(kernel, {});
  const costs: CostEvent[] = [];
  const notices: KernelNotice[] = [];
  const ends: string[] = [];
  kernel.hooks.onCost.tap('test', (event) => void costs.push(event));
  kernel.hooks.onNotice.tap('test', (notice) => void notices.push(notice));
  kernel.hooks.onCallEnd.tap('test', (end) => void ends.push(end.outcome));
  return { kernel, costs, notices, ends };
}

const HELLO = [{ role: 'user' as const, content: 'Hello' }];

/** Anthropic's stream-text.sse with message_start reporting 50,000 input tokens. */
function bigPromptAnthropicStream(): string {
  const events = [
    ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], stop_reason: null, usage: { input_tokens: 50_000, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ...Array.from({ length: 50 }, (_, index) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word${index} ` } }]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 60 } }],
    ['message_stop', { type: 'message_stop' }],
  ] as const;
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

function openAIStream(deltas: number): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let body = chunk({ role: 'assistant', content: '' });
  for (let index = 0; index < deltas; index += 1) body += chunk({ content: `w${index} ` });
  return `${body}${chunk({}, 'stop')}data: [DONE]\n\n`;
}

function openAIJson(usage: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'chatcmpl-odd',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hi' } }],
    usage,
  });
}

describe('a stream whose consumer stops early is charged', () => {
  it("with the input tokens Anthropic's message_start reported (50,000), once, outcome cancelled", async () => {
    const { kernel, costs, ends } = rig();
    replay.enqueue('/v1/messages', { body: bigPromptAnthropicStream(), headers: { 'content-type': 'text/event-stream' }, chunkSize: 200, delayMs: 2 });
    for await (const event of kernel.backend('claude').inferStream(HELLO)) if (event.type === 'text-delta') break;
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ outcome: 'cancelled', partial: true, estimated: false, usage: { promptTokens: 50_000 } });
    expect(costs[0]!.costUsd).toBeGreaterThan(0.04);
    expect(ends).toEqual(['cancelled']);
    expect(getCostLedger(kernel)!.summary().totalUsd).toBe(costs[0]!.costUsd);
  });

  it('with the estimated prompt when the provider reported nothing yet (OpenAI), marked estimated', async () => {
    const { kernel, costs } = rig();
    replay.enqueue('/v1/chat/completions', { body: openAIStream(200), headers: { 'content-type': 'text/event-stream' }, chunkSize: 100, delayMs: 2 });
    for await (const event of kernel.backend('gpt').inferStream(HELLO)) if (event.type === 'text-delta') break;
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ outcome: 'cancelled', estimated: true, usage: { completionTokens: 0 } });
    expect(costs[0]!.usage.promptTokens).toBeGreaterThan(0);
  });

  it('never when nothing was sent: a stream closed before it started costs nothing', async () => {
    const { kernel, costs, ends } = rig();
    const stream = kernel.backend('gpt').inferStream(HELLO);
    await stream[Symbol.asyncIterator]().return?.();
    expect(costs).toEqual([]);
    expect(replay.requests).toHaveLength(0);
    expect(ends.length).toBeLessThanOrEqual(1);
  });
});

describe('a gateway client that disconnects mid-stream', () => {
  it('is charged what the upstream counted, and the upstream is cancelled', async () => {
    const { kernel, costs, ends } = rig();
    const gateway = createGateway({ port: 0, env: {}, kernel });
    gateways.push(gateway);
    const { url } = await gateway.listen();
    replay.enqueue('/v1/messages', { body: bigPromptAnthropicStream(), headers: { 'content-type': 'text/event-stream' }, chunkSize: 60, delayMs: 20 });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (String(error).includes('socket hang up') || String(error).includes('aborted') ? resolve() : reject(error)));
      req.end(JSON.stringify({ model: 'claude', stream: true, messages: [{ role: 'user', content: 'Hello' }] }));
    });
    await expect.poll(() => ends.length, { timeout: 5_000 }).toBe(1);
    // The gateway aborts the call when its client goes away: it ends aborted, not done, and is charged.
    expect(ends).toHaveLength(1);
    expect(ends[0]).not.toBe('success');
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ partial: true, usage: { promptTokens: 50_000 } });
    await expect.poll(() => replay.hangUps.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(getCostLedger(kernel)!.summary().totalUsd).toBeGreaterThan(0.04);
  });
});

describe('usage is sanitised where it enters the kernel', () => {
  const cases: readonly [string, Record<string, unknown>, Partial<TokenUsage>, string[]][] = [
    ['negative completion tokens (-1e8)', { prompt_tokens: 10, completion_tokens: -100_000_000, total_tokens: -99_999_990 }, { promptTokens: 10, completionTokens: 0, totalTokens: 10 }, ['completionTokens']],
    ['counts sent as strings ("10")', { prompt_tokens: '10', completion_tokens: '5', total_tokens: '15' }, { promptTokens: 10, completionTokens: 5, totalTokens: 15 }, ['promptTokens', 'completionTokens']],
    ['a count that is not a number (NaN)', { prompt_tokens: 'NaN', completion_tokens: 5, total_tokens: 5 }, { promptTokens: 0, completionTokens: 5, totalTokens: 5 }, ['promptTokens']],
    ['fractions (1.5)', { prompt_tokens: 1.5, completion_tokens: 2, total_tokens: 3.5 }, { promptTokens: 2, completionTokens: 2, totalTokens: 4 }, ['promptTokens']],
    ['cached tokens above the prompt', { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 500 } }, { promptTokens: 10, cachedTokens: 10, totalTokens: 12 }, ['cachedTokens']],
  ];

  it.each(cases)('%s: clamped, with a usage-corrected notice naming the provider and the field', async (_name, wireUsage, expected, fields) => {
    const { kernel, costs, notices } = rig();
    replay.enqueue('/v1/chat/completions', { body: openAIJson(wireUsage), headers: { 'content-type': 'application/json' } });
    const output = await kernel.backend('gpt').infer(HELLO);
    expect(output.tokenUsage).toMatchObject(expected);
    expect(costs[0]!.usage).toMatchObject(expected);
    expect(costs[0]!.costUsd).toBeGreaterThanOrEqual(0);
    const corrected = notices.filter((notice) => notice.type === 'usage-corrected');
    for (const field of fields) expect(corrected).toContainEqual(expect.objectContaining({ type: 'usage-corrected', provider: 'openai', field }));
  });

  it('after a response claiming -1e8 tokens the ledger has not gone down', async () => {
    const { kernel } = rig();
    replay.enqueue('/v1/chat/completions', { body: openAIJson({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }), headers: { 'content-type': 'application/json' } });
    replay.enqueue('/v1/chat/completions', { body: openAIJson({ prompt_tokens: -100_000_000, completion_tokens: -100_000_000, total_tokens: -200_000_000 }), headers: { 'content-type': 'application/json' } });
    await kernel.backend('gpt').infer(HELLO);
    const before = getCostLedger(kernel)!.summary().totalUsd;
    await kernel.backend('gpt').infer(HELLO);
    expect(getCostLedger(kernel)!.summary().totalUsd).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  it('sound usage passes through as the same object, so the common case costs nothing', () => {
    const usage: TokenUsage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedTokens: 4, reasoningTokens: 2 };
    expect(sanitizeUsage(usage)).toBe(usage);
  });
});

describe('one call, one charge', () => {
  it('a call retried after a cut-off attempt is charged once: the estimated prompt of the cut attempt plus the real usage of the last', async () => {
    const { kernel, costs, ends } = rig();
    const { default: retry } = await import('../plugins/retry/index.js');
    retry.apply(kernel, { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1 });
    replay.enqueue('/v1/chat/completions', { body: openAIJson({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }), headers: { 'content-type': 'application/json' }, truncateAt: 20 });
    replay.enqueue('/v1/chat/completions', { body: openAIJson({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }), headers: { 'content-type': 'application/json' } });
    await kernel.backend('gpt').infer(HELLO);
    expect(replay.requests).toHaveLength(2);
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ outcome: 'success', estimated: true, partial: false, usage: { completionTokens: 5 } });
    expect(costs[0]!.usage.promptTokens).toBeGreaterThan(10);
    expect(ends).toEqual(['success']);
  });

  it('an upstream error status bills nothing: no charge, one end', async () => {
    const { kernel, costs, ends } = rig();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/error-401-invalid-api-key.json', status: 401 });
    await expect(kernel.backend('gpt').infer(HELLO)).rejects.toMatchObject({ status: 401 });
    expect(costs).toEqual([]);
    expect(ends).toEqual(['error']);
  });
});
