// Issue 5, "Must show": the gateway driven by the official `openai` client, its backends REAL
// providers (OpenAI, Anthropic) whose upstream is the replay server serving recorded responses.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../core/kernel.js';
import { AnthropicProvider } from '../plugins/anthropic/index.js';
import cost from '../plugins/cost/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../server/index.js';
import { fixtureJson, naiveChatStream } from './providers/openai-style-helpers.js';
import { ReplayServer } from './replay-server.js';

const OPENAI_UPSTREAM_KEY = 'sk-test-gateway-upstream-openai-0000';
const ANTHROPIC_UPSTREAM_KEY = 'sk-ant-' + 'test-gateway-upstream-0000';
const CLIENT_KEY = 'sk-test-gateway-client-0000';

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

/** A gateway on 127.0.0.1 at a free port whose backends `gpt` and `claude` are real providers pointed at the replay server. */
async function serve(options: Partial<GatewayOptions> = {}, clientKey = CLIENT_KEY): Promise<{ client: OpenAI; url: string }> {
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: OPENAI_UPSTREAM_KEY, model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }))
    .register('claude', new AnthropicProvider({ apiKey: ANTHROPIC_UPSTREAM_KEY, model: 'claude-haiku-4-5', baseURL: `${replay.baseURL}/v1` }));
  cost.apply(kernel, {});
  const gateway = createGateway({ port: 0, env: {}, ...options, kernel });
  gateways.push(gateway);
  const { url } = await gateway.listen();
  return { client: new OpenAI({ apiKey: clientKey, baseURL: `${url}/v1`, maxRetries: 0 }), url };
}

const ask = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: 'user', content }];

describe('gateway + openai client: a non-streaming chat completion from the recorded OpenAI answer', () => {
  it('returns the recorded text and usage, and sent the upstream request with the provider key', async () => {
    const { client } = await serve();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });

    const { data: completion, response } = await client.chat.completions.create({ model: 'gpt', messages: ask('How are you?') }).withResponse();

    expect(completion.choices[0]?.message.content).toBe(fixtureJson('openai/chat-completion-text.json').choices[0].message.content);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('gpt');
    expect(completion.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 31, total_tokens: 44 });
    expect(Number(response.headers.get('x-hyperagent-cost-usd'))).toBeGreaterThan(0);
    expect(replay.requests).toHaveLength(1);
    expect(replay.requests[0].headers.authorization).toBe(`Bearer ${OPENAI_UPSTREAM_KEY}`);
    expect(replay.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'How are you?' }] });
  });
});

describe('gateway + openai client: streaming assembles the recorded text', () => {
  it('from the OpenAI recording, with usage last when include_usage is asked', async () => {
    const { client } = await serve();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 97 });

    const stream = await client.chat.completions.create({ model: 'gpt', messages: ask('Count to five.'), stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }

    expect(text).toBe(naiveChatStream('openai/chat-stream-text-include-usage.sse').text);
    expect(text).toBe('1, 2, 3, 4, 5');
    expect(chunks).toBeGreaterThan(5);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 13 });
    expect(replay.requests[0].body).toMatchObject({ stream: true });
  });

  it('from the Anthropic recording: an OpenAI client reaches Anthropic through the gateway', async () => {
    const { client } = await serve();
    replay.enqueue('/v1/messages', { fixture: 'anthropic/stream-text.sse', chunkSize: 64 });

    const stream = await client.chat.completions.create({ model: 'claude', messages: ask('Say hello.'), stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }

    expect(text).toBe('Hello');
    expect(usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 4 });
    expect(replay.requests).toHaveLength(1);
    expect(replay.requests[0].path).toBe('/v1/messages');
    expect(replay.requests[0].headers['x-api-key']).toBe(ANTHROPIC_UPSTREAM_KEY);
    expect(replay.requests[0].body).toMatchObject({ model: 'claude-haiku-4-5', stream: true, messages: [{ role: 'user' }] });
  });
});

describe('gateway + openai client: tool calls from the recordings', () => {
  const weather: OpenAI.ChatCompletionTool = {
    type: 'function',
    function: { name: 'getCurrentWeather', description: 'Weather by location', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
  };

  it('non-streaming: the recorded tool call comes back, and the tool is forwarded upstream', async () => {
    const { client } = await serve();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-tool-calls.json' });
    const recorded = fixtureJson('openai/chat-completion-tool-calls.json').choices[0].message.tool_calls[0];

    const completion = await client.chat.completions.create({ model: 'gpt', messages: ask('Weather in Boston?'), tools: [weather] });

    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([{ id: recorded.id, type: 'function', function: { name: 'getCurrentWeather', arguments: '{"location":"Boston"}' } }]);
    const upstream = replay.requests[0].body as { tools: { function: { name: string } }[] };
    expect(upstream.tools.map((tool) => tool.function.name)).toEqual(['getCurrentWeather']);
  });

  it('streaming: the recorded argument deltas assemble with the SDK’s stream helper', async () => {
    const { client } = await serve();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse', chunkSize: 120 });
    const multiply: OpenAI.ChatCompletionTool = {
      type: 'function',
      function: { name: 'multiply', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } },
    };

    const completion = await client.chat.completions
      .stream({ model: 'gpt', messages: ask('What is 1231 times 2331?'), tools: [multiply], stream_options: { include_usage: true } })
      .finalChatCompletion();

    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('multiply');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual(JSON.parse(naiveChatStream('openai/chat-stream-tool-call-argument-deltas.sse').arguments[0]));
    expect(completion.usage).toMatchObject({ prompt_tokens: 54, completion_tokens: 20 });
  });
});

describe('gateway + openai client: embeddings from the recording', () => {
  it('returns the recorded 256-dimension vector, as floats and through the SDK’s base64 default', async () => {
    const { client } = await serve();
    const recorded = fixtureJson('openai/embeddings-dimensions.json');
    replay.enqueue('/v1/embeddings', { fixture: 'openai/embeddings-dimensions.json' });
    replay.enqueue('/v1/embeddings', { fixture: 'openai/embeddings-dimensions.json' });

    const floats = await client.embeddings.create({ model: 'gpt', input: 'hello', dimensions: 256, encoding_format: 'float' });
    const viaBase64 = await client.embeddings.create({ model: 'gpt', input: 'hello', dimensions: 256 });

    expect(floats.object).toBe('list');
    expect(floats.data).toHaveLength(1);
    expect(floats.data[0].embedding).toHaveLength(256);
    expect(floats.data[0].embedding).toEqual(recorded.data[0].embedding);
    expect(viaBase64.data[0].embedding.map((value) => Math.fround(value))).toEqual(recorded.data[0].embedding.map((value: number) => Math.fround(value)));
    expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(replay.requests).toHaveLength(2);
    expect(replay.requests[0].body).toMatchObject({ input: ['hello'], dimensions: 256 });
  });
});

describe('gateway + openai client: the models list', () => {
  it('lists the configured real backends with their providers', async () => {
    const { client } = await serve();
    const models: OpenAI.Model[] = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => [model.id, model.owned_by])).toEqual([
      ['gpt', 'openai'],
      ['claude', 'anthropic'],
    ]);
    expect(replay.requests).toEqual([]);
  });
});

describe('gateway + openai client: 401 when apiKeys is set', () => {
  it('refuses a client with the wrong key with OpenAI.AuthenticationError, and nothing goes upstream', async () => {
    const { client, url } = await serve({ apiKeys: ['gw-key-right-0123456789'] }, 'gw-key-wrong-0123456789');
    const error = await client.chat.completions.create({ model: 'gpt', messages: ask('Hi') }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect(replay.requests).toEqual([]);

    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const allowed = new OpenAI({ apiKey: 'gw-key-right-0123456789', baseURL: `${url}/v1`, maxRetries: 0 });
    const completion = await allowed.chat.completions.create({ model: 'gpt', messages: ask('Hi') });
    expect(completion.usage?.total_tokens).toBe(44);
    // The client's key stays at the gateway; upstream gets the provider key.
    expect(replay.requests[0].headers.authorization).toBe(`Bearer ${OPENAI_UPSTREAM_KEY}`);
  });
});

describe('gateway + openai client: 413 on an oversize body', () => {
  it('refuses a body over maxBodyBytes with a 413 APIError, and nothing goes upstream', async () => {
    const { client } = await serve({ maxBodyBytes: 4096 });
    const error = await client.chat.completions.create({ model: 'gpt', messages: ask('x'.repeat(10_000)) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect(replay.requests).toEqual([]);
  });
});

describe('gateway + openai client: an upstream stream that breaks midway', () => {
  it('ends the client’s stream with an APIError after the text that did arrive', async () => {
    const { client } = await serve();
    // The recording cut after "1, 2, " (2,400 of 5,214 bytes), the upstream socket destroyed.
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 300, truncateAt: 2400 });

    const stream = await client.chat.completions.create({ model: 'gpt', messages: ask('Count to five.'), stream: true });
    let text = '';
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    const error = await consume().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(text.length).toBeGreaterThan(0);
    expect('1, 2, 3, 4, 5'.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan('1, 2, 3, 4, 5'.length);
    expect(replay.requests).toHaveLength(1);
  });
});
