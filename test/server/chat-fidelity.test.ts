// Chat Completions without silent drops, over real HTTP: the official openai client → gateway →
// a loopback upstream (OpenAI Chat Completions, Anthropic Messages) that records every request.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { AnthropicProvider } from '../../plugins/anthropic/anthropic-backend.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { createGateway, type Gateway } from '../../server/index.js';
import { ReplayServer } from '../replay-server.js';

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

async function serve(strictParams = false): Promise<OpenAI> {
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-test-fidelity-0000', model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }))
    .register('claude', new AnthropicProvider({ apiKey: 'sk-ant-test-fidelity-0000', model: 'claude-haiku-4-5', baseURL: `${replay.baseURL}/v1` }));
  const gateway = createGateway({ kernel, port: 0, env: {}, strictParams });
  gateways.push(gateway);
  return new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: `${(await gateway.listen()).url}/v1`, maxRetries: 0 });
}

const PASSED = {
  seed: 42,
  logit_bias: { '50256': -100 },
  frequency_penalty: 0.5,
  presence_penalty: -0.5,
  top_logprobs: 2,
  user: 'user-7',
  metadata: { team: 'search' },
  store: true,
  service_tier: 'flex',
  prediction: { type: 'content', content: 'Hello' },
  verbosity: 'low',
  some_future_field: { nested: [1, 2] },
};

const TOKENS = [
  { token: 'Hello', logprob: -0.01, bytes: [72, 101, 108, 108, 111], top_logprobs: [{ token: 'Hello', logprob: -0.01, bytes: null }] },
  { token: '!', logprob: -0.2, bytes: [33], top_logprobs: [{ token: '!', logprob: -0.2, bytes: null }] },
];

const chatJson = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: 'chatcmpl-f',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, logprobs: { content: TOKENS }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    ...extra,
  });
const json = { 'content-type': 'application/json', 'x-request-id': 'req_upstream_123' };
const lastBody = (): Record<string, unknown> => replay.requests.at(-1)!.body as Record<string, unknown>;

describe('fields the kernel has no option for reach an OpenAI-wire upstream unchanged', () => {
  it('seed, logit_bias, penalties, top_logprobs, user, metadata, store, service_tier, prediction, verbosity and an unknown field; logprobs come back', async () => {
    const client = await serve();
    replay.enqueue('/v1/chat/completions', { body: chatJson(), headers: json });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, parallel_tool_calls: false, ...PASSED } as never, { headers: { 'x-request-id': 'client-trace-9' } })
      .withResponse();
    expect(lastBody()).toMatchObject({ ...PASSED, logprobs: true });
    expect(data.choices[0].logprobs?.content).toEqual(TOKENS);
    expect(response.headers.get('x-request-id')).toBe('client-trace-9');
    expect(response.headers.get('x-upstream-request-id')).toBe('req_upstream_123');
    expect(response.headers.get('x-hyperagent-warnings')).toBeNull();
  });

  it('streamed, the logprobs of the whole answer come on the finish chunk', async () => {
    const client = await serve();
    const chunk = (delta: Record<string, unknown>, logprobs: unknown, finish: string | null = null): string =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs, finish_reason: finish }] })}\n\n`;
    replay.enqueue('/v1/chat/completions', {
      body: chunk({ role: 'assistant', content: 'Hello' }, { content: [TOKENS[0]] }) + chunk({ content: '!' }, { content: [TOKENS[1]] }, 'stop') + 'data: [DONE]\n\n',
      headers: { 'content-type': 'text/event-stream' },
    });
    const stream = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, stream: true, seed: 7 });
    const tokens: unknown[] = [];
    for await (const part of stream) tokens.push(...(part.choices[0]?.logprobs?.content ?? []));
    expect(tokens).toEqual(TOKENS);
    expect(lastBody()).toMatchObject({ seed: 7, logprobs: true, stream: true });
  });

  it('n > 1 is one call per choice, each charged, every choice returned', async () => {
    const client = await serve();
    replay.enqueue('/v1/chat/completions', { body: chatJson(), headers: json }).enqueue('/v1/chat/completions', { body: chatJson(), headers: json });
    const completion = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }], n: 2 });
    expect(completion.choices.map((choice) => [choice.index, choice.message.content])).toEqual([[0, 'Hello!'], [1, 'Hello!']]);
    expect(completion.usage?.total_tokens).toBe(22);
    expect(replay.requests).toHaveLength(2);
  });
});

describe('a backend that cannot honour a field says so', () => {
  const anthropicText = JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'text', text: 'Hi!' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 2 } });

  it('to Anthropic: user becomes metadata.user_id, the rest is named in x-hyperagent-warnings and not sent', async () => {
    const client = await serve();
    replay.enqueue('/v1/messages', { body: anthropicText, headers: { 'content-type': 'application/json' } });
    const { response } = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], seed: 42, user: 'user-7', verbosity: 'low' } as never).withResponse();
    const body = lastBody();
    expect(body.metadata).toEqual({ user_id: 'user-7' });
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('verbosity');
    const warnings = response.headers.get('x-hyperagent-warnings') ?? '';
    expect(warnings).toContain('seed is not supported by backend "claude"');
    expect(warnings).toContain('verbosity is not supported');
    expect(warnings).not.toContain('user is not');
  });

  it('with strictParams it is a 400 naming the field, and nothing is sent', async () => {
    const client = await serve(true);
    const error = (await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], seed: 42 }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect([error.status, error.param, error.code]).toEqual([400, 'seed', 'unsupported_parameter']);
    expect(replay.requests).toEqual([]);
  });

  it('a malformed passed field is a 400 naming it', async () => {
    const client = await serve();
    const error = (await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }], frequency_penalty: 5 }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect([error.status, error.param]).toEqual([400, 'frequency_penalty']);
    expect(replay.requests).toEqual([]);
  });
});

describe('Claude thinking round-trips on /v1/chat/completions', () => {
  it('the signed thinking block comes back in reasoning_details and, sent back, reaches Anthropic intact before tool_use', async () => {
    const client = await serve();
    replay.enqueue('/v1/messages', { fixture: 'anthropic/messages-thinking.json' });
    const first = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'What is 5 + 3?' }], reasoning_effort: 'low' });
    const message = first.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_details?: { type: string; text: string; signature: string }[] };
    expect(message.reasoning_details?.[0]).toMatchObject({ type: 'reasoning.text', text: 'This is a simple arithmetic question. 5 + 3 = 8.', format: 'anthropic-claude-v1' });
    const signature = message.reasoning_details![0].signature;
    expect(signature).toMatch(/^EqYC/);

    replay.enqueue('/v1/messages', { body: JSON.stringify({ id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'text', text: '8' }], stop_reason: 'end_turn', usage: { input_tokens: 50, output_tokens: 1 } }), headers: { 'content-type': 'application/json' } });
    await client.chat.completions.create({
      model: 'claude',
      reasoning_effort: 'low',
      tools: [{ type: 'function', function: { name: 'add', parameters: { type: 'object', properties: {} } } }],
      messages: [
        { role: 'user', content: 'What is 5 + 3?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'add', arguments: '{"a":5,"b":3}' } }], reasoning_details: message.reasoning_details } as never,
        { role: 'tool', tool_call_id: 'toolu_1', content: '8' },
      ],
    });
    const assistant = (lastBody().messages as { role: string; content: { type: string; thinking?: string; signature?: string }[] }[])[1];
    expect(assistant.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(assistant.content[0]).toMatchObject({ thinking: 'This is a simple arithmetic question. 5 + 3 = 8.', signature });
  });
});
