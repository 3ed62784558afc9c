// The kernel's plugins apply to /v1/messages as to Chat Completions: every call is charged once with
// the upstream's usage (cache reads and writes included), and a denied tool call never reaches the
// client, over an Anthropic backend or a translated one.
import { describe, expect, it } from 'vitest';
import type { CostEvent } from '../../core/hooks.js';
import approval from '../../plugins/approval/index.js';
import { GATEWAY_KEY, useRig } from './anthropic-rig.js';

const costs: CostEvent[] = [];
const rig = useRig((kernel) => {
  costs.length = 0;
  kernel.hooks.onCost.tap('test', (cost) => void costs.push(cost));
  approval.apply(kernel, { tools: { multiply: 'deny', fixed_version: 'deny' } });
});

function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
}

const ask = { max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

describe('usage and cost', () => {
  it('a pass-through call is charged once, with the cache reads and writes the upstream reported', async () => {
    const { upstream, started } = rig();
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/messages-prompt-cache-write.json' });
    const response = await post(started.url, { model: 'claude', ...ask });
    const body = (await response.json()) as { usage: Record<string, number> };
    expect(costs).toHaveLength(1);
    expect(costs[0].usage.cacheWriteTokens).toBe(body.usage.cache_creation_input_tokens);
    expect(costs[0].usage.promptTokens).toBe(body.usage.input_tokens + body.usage.cache_creation_input_tokens + body.usage.cache_read_input_tokens);
    expect(response.headers.get('x-hyperagent-prompt-tokens')).toBe(String(costs[0].usage.promptTokens));
  });

  it('a translated answer reports OpenAI\'s cached tokens in Anthropic\'s convention', async () => {
    const { upstream, client } = rig();
    const answer = {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2000, completion_tokens: 5, total_tokens: 2005, prompt_tokens_details: { cached_tokens: 1536 } },
    };
    upstream.enqueue('/v1/chat/completions', { body: JSON.stringify(answer), headers: { 'content-type': 'application/json' } });
    const message = await client.messages.create({ model: 'gpt', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.usage).toMatchObject({ input_tokens: 464, cache_read_input_tokens: 1536, cache_creation_input_tokens: 0, output_tokens: 5 });
    expect(costs).toHaveLength(1);
  });
});

describe('a client that leaves mid-stream', () => {
  it('cancels the upstream request, and the call is still charged once, with the usage of message_start', async () => {
    const { upstream, started } = rig();
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/stream-text.sse', chunkSize: 200, delayMs: 40 });
    const controller = new AbortController();
    const response = await post(started.url, { model: 'claude', ...ask, stream: true }, controller.signal);
    expect(response.headers.get('x-upstream-request-id')).toBe('req_011CZknL2bUdgvrtea9HYSrj');
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.closed.catch(() => undefined);
    await expect.poll(() => upstream.hangUps.length).toBe(1);
    await expect.poll(() => costs.length).toBe(1);
    // The client's signal aborted the upstream call: it ends as an abort, charged what message_start reported.
    expect(costs[0]).toMatchObject({ partial: true, estimated: false });
    expect(costs[0].usage.promptTokens).toBeGreaterThan(0);
  });
});

describe('a denied tool call', () => {
  it('never reaches a translated stream either', async () => {
    const { upstream, started } = rig();
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse' });
    const tools = [{ name: 'multiply', description: 'a × b', input_schema: { type: 'object', properties: {} } }];
    const text = await (await post(started.url, { model: 'gpt', ...ask, tools, stream: true })).text();
    expect(text).not.toContain('multiply');
    expect(text).not.toContain('"tool_use"');
    expect(text).toContain('event: message_stop');
    expect(costs).toHaveLength(1);
  });
});
