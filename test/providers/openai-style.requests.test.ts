// What each OpenAI-style provider sends: bodies and headers for one conversation with a system prompt,
// images, two tools, a tool call and its result, checked against the Chat Completions wire format.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, InvalidRequestError, MissingApiKeyError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { LLMMessage, ToolSchema } from '../../core/types.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { OpenAICompatibleProvider } from '../../plugins/openai-compatible/index.js';
import { OpenRouterProvider } from '../../plugins/openrouter/index.js';
import { ReplayServer, type RecordedRequest } from '../replay-server.js';
import { collect, errorOf, expectNoKey, FAKE_COMPAT_KEY, FAKE_OPENAI_KEY, FAKE_OPENROUTER_KEY } from './openai-style-helpers.js';

const WEATHER: ToolSchema = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};
const CLOCK: ToolSchema = { name: 'get_time', description: 'Local time in a timezone.', parameters: { type: 'object', properties: { tz: { type: 'string' } } } };

const CONVERSATION: readonly LLMMessage[] = [
  { role: 'system', content: 'You are terse.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Where is this, and how warm is it there?' },
      { type: 'image', url: 'https://example.com/eiffel.jpg', detail: 'low' },
      { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
    ],
  },
  {
    role: 'assistant',
    content: '',
    toolCalls: [
      { id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city": "Paris"}' },
      // No raw text kept: the parsed arguments are serialised.
      { id: 'call_t', name: 'get_time', arguments: { tz: 'Europe/Paris' }, rawArguments: '' },
    ],
  },
  { role: 'tool', toolCallId: 'call_w', name: 'get_weather', content: '{"tempC":21}' },
  { role: 'tool', toolCallId: 'call_t', name: 'get_time', content: [{ type: 'text', text: '14:05' }] },
];

const WIRE_MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Where is this, and how warm is it there?' },
      { type: 'image_url', image_url: { url: 'https://example.com/eiffel.jpg', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ],
  },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
      { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_w', content: '{"tempC":21}' },
  { role: 'tool', tool_call_id: 'call_t', content: '14:05' },
];

const WIRE_TOOLS = [
  { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city.', parameters: WEATHER.parameters, strict: true } },
  { type: 'function', function: { name: 'get_time', description: 'Local time in a timezone.', parameters: CLOCK.parameters } },
];

let server: ReplayServer;

beforeAll(async () => {
  server = await new ReplayServer().start();
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const last = (): RecordedRequest => server.requests[server.requests.length - 1];

describe('openai: the request for a full conversation', () => {
  const openai = (): OpenAIProvider =>
    new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-4o', organization: 'org-hyper', project: 'proj_hyper' });

  it('infer: POST /v1/chat/completions with Bearer auth, organization and project headers, and the documented body', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-tool-calls.json' });
    await openai().infer(CONVERSATION, [WEATHER, CLOCK], { temperature: 0.2, topP: 0.9, stop: ['END'], maxTokens: 256, toolChoice: 'auto', parallelToolCalls: false });
    const sent = last();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(sent.headers['openai-organization']).toBe('org-hyper');
    expect(sent.headers['openai-project']).toBe('proj_hyper');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model: 'gpt-4o',
      messages: WIRE_MESSAGES,
      tools: WIRE_TOOLS,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      max_tokens: 256,
    });
  });

  it('inferStream: the same body plus stream and stream_options.include_usage, asking for text/event-stream', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse' });
    await openai().inferStream(CONVERSATION, [WEATHER, CLOCK]).output();
    const sent = last();
    expect(sent.headers.accept).toBe('text/event-stream');
    expect(sent.body).toEqual({ model: 'gpt-4o', messages: WIRE_MESSAGES, tools: WIRE_TOOLS, stream: true, stream_options: { include_usage: true } });
  });

  it('a named tool choice, JSON mode, structured output, and providerOptions merged last', async () => {
    const provider = openai();
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await provider.infer(CONVERSATION.slice(0, 1), [WEATHER], { toolChoice: { name: 'get_weather' }, responseFormat: { type: 'json' }, providerOptions: { seed: 7, tool_choice: 'required' } });
    expect(last().body).toMatchObject({ tool_choice: 'required', response_format: { type: 'json_object' }, seed: 7 });
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await provider.infer(CONVERSATION.slice(0, 1), [WEATHER], { toolChoice: { name: 'get_weather' } });
    expect(last().body).toMatchObject({ tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await provider.infer(CONVERSATION.slice(0, 1), [], { responseFormat: { type: 'json_schema', name: 'reply', schema, strict: true } });
    expect(last().body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } } });
  });

  it('reasoning models get max_completion_tokens and reasoning_effort; temperature and topP are dropped with warnings', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const output = await openai().withModel('o3-mini').infer(CONVERSATION.slice(0, 1), [], { temperature: 0.5, topP: 0.5, maxTokens: 100, thinking: { effort: 'high' } });
    expect(last().body).toEqual({ model: 'o3-mini', messages: WIRE_MESSAGES.slice(0, 1), max_completion_tokens: 100, reasoning_effort: 'high' });
    expect(output.metadata.warnings).toEqual([
      'temperature is not supported by reasoning model o3-mini and was not sent.',
      'topP is not supported by reasoning model o3-mini and was not sent.',
    ]);
    // A dated gpt-5 snapshot is a reasoning model too; gpt-4o keeps max_tokens.
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse' });
    await openai().withModel('gpt-5-mini-2025-08-07').withMaxTokens(64).inferStream(CONVERSATION.slice(0, 1)).output();
    expect(last().body).toMatchObject({ max_completion_tokens: 64 });
    expect(last().body).not.toHaveProperty('max_tokens');
  });

  it('withMaxTokens sets the default max_tokens; a call’s own maxTokens wins', async () => {
    const capped = openai().withMaxTokens(50);
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await capped.infer(CONVERSATION.slice(0, 1));
    expect(last().body).toMatchObject({ max_tokens: 50 });
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await capped.infer(CONVERSATION.slice(0, 1), [], { maxTokens: 10 });
    expect(last().body).toMatchObject({ max_tokens: 10 });
  });

  it('a base64 image without mediaType is refused before anything is sent', async () => {
    const before = server.requests.length;
    await expect(openai().infer([{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }])).rejects.toThrow(InvalidRequestError);
    await expect(openai().infer([{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }])).rejects.toThrow(/mediaType/);
    expect(server.requests.length).toBe(before);
  });
});

describe('openrouter: the request for a full conversation', () => {
  const openrouter = (): OpenRouterProvider =>
    new OpenRouterProvider({
      apiKey: FAKE_OPENROUTER_KEY,
      baseURL: `${server.baseURL}/api/v1`,
      model: 'anthropic/claude-haiku-4.5',
      appUrl: 'https://hyperagent.example',
      appName: 'HyperAgent tests',
    });

  it('infer: Bearer auth, HTTP-Referer and X-Title, the same Chat Completions body', async () => {
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-parallel-tool-calls-leading-whitespace.json' });
    await openrouter().infer(CONVERSATION, [WEATHER, CLOCK], { maxTokens: 300 });
    const sent = last();
    expect(sent.path).toBe('/api/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_OPENROUTER_KEY}`);
    expect(sent.headers['http-referer']).toBe('https://hyperagent.example');
    expect(sent.headers['x-title']).toBe('HyperAgent tests');
    expect(sent.body).toEqual({ model: 'anthropic/claude-haiku-4.5', messages: WIRE_MESSAGES, tools: WIRE_TOOLS, max_tokens: 300 });
  });

  it('inferStream: stream_options.include_usage; thinking becomes OpenRouter’s reasoning object; cache_control is passed on', async () => {
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/stream-tool-call-argument-deltas.sse' });
    const cached: LLMMessage[] = [{ role: 'system', content: [{ type: 'text', text: 'Long, stable instructions.', cacheControl: { type: 'ephemeral' } }] }, ...CONVERSATION.slice(1, 2)];
    await openrouter().inferStream(cached, [WEATHER], { thinking: { effort: 'low', budgetTokens: 2048 } }).output();
    expect(last().body).toEqual({
      model: 'anthropic/claude-haiku-4.5',
      messages: [{ role: 'system', content: [{ type: 'text', text: 'Long, stable instructions.', cache_control: { type: 'ephemeral' } }] }, WIRE_MESSAGES[1]],
      tools: WIRE_TOOLS.slice(0, 1),
      reasoning: { effort: 'low', max_tokens: 2048 },
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('openai does not send cache_control (it rejects unknown part fields and caches on its own)', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const provider = new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1` });
    await provider.infer([{ role: 'system', content: [{ type: 'text', text: 'Stable.', cacheControl: { type: 'ephemeral' } }] }]);
    expect(last().body).toMatchObject({ messages: [{ role: 'system', content: 'Stable.' }] });
  });
});

describe('openai-compatible: the request for a full conversation', () => {
  it('no key: no Authorization header at all, and the same body', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'local/ollama-openai-compat-parallel-tool-calls.json' });
    await new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'qwen3' }).infer(CONVERSATION, [WEATHER, CLOCK]);
    const sent = last();
    expect(sent.headers).not.toHaveProperty('authorization');
    expect(sent.body).toEqual({ model: 'qwen3', messages: WIRE_MESSAGES, tools: WIRE_TOOLS });
  });

  it('a configured key is sent as Bearer; streams ask for usage unless includeUsage is false', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'local/ollama-openai-compat-stream-reasoning-tool-call.sse' });
    await new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'qwen3', apiKey: FAKE_COMPAT_KEY }).inferStream(CONVERSATION).output();
    expect(last().headers.authorization).toBe(`Bearer ${FAKE_COMPAT_KEY}`);
    expect(last().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    server.enqueue('/v1/chat/completions', { fixture: 'local/ollama-openai-compat-stream-reasoning-tool-call.sse' });
    await new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'qwen3', includeUsage: false }).inferStream(CONVERSATION).output();
    expect(last().body).toMatchObject({ stream: true });
    expect(last().body).not.toHaveProperty('stream_options');
  });
});

describe('API keys never appear in errors', () => {
  it('an upstream error body that echoes the key is redacted (openai, openrouter, openai-compatible)', async () => {
    const cases = [
      { path: '/v1/chat/completions', key: FAKE_OPENAI_KEY, backend: new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1` }) },
      { path: '/api/v1/chat/completions', key: FAKE_OPENROUTER_KEY, backend: new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL: `${server.baseURL}/api/v1` }) },
      { path: '/v1/chat/completions', key: FAKE_COMPAT_KEY, backend: new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'm', apiKey: FAKE_COMPAT_KEY }) },
    ];
    for (const { path, key, backend } of cases) {
      const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
      server.enqueue(path, { status: 401, body, headers: { 'content-type': 'application/json' } });
      const error = await backend.infer([{ role: 'user', content: 'hi' }]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthenticationError);
      expectNoKey(error, key);
      server.enqueue(path, { status: 401, body, headers: { 'content-type': 'application/json' } });
      expectNoKey(errorOf(await collect(backend.inferStream([{ role: 'user', content: 'hi' }]))), key);
    }
  });

  it('nor in a logged or serialised backend, its builder copies included', () => {
    const backends = [
      new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } }).withMaxTokens(10).withRateLimits(1, 2),
      new OpenAIProvider({ env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } }),
      new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY }).withModel('openai/gpt-4o'),
      new OpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', apiKey: FAKE_COMPAT_KEY }).withMaxTokens(5),
    ];
    for (const backend of backends) {
      const shown = `${inspect(backend, { depth: 10, showHidden: true })} ${JSON.stringify(backend)}`;
      for (const key of [FAKE_OPENAI_KEY, FAKE_OPENROUTER_KEY, FAKE_COMPAT_KEY]) expect(shown).not.toContain(key);
    }
  });

  it('a missing key is a MissingApiKeyError at call time naming the variable; modelInfo() works without a key', async () => {
    const before = server.requests.length;
    const openai = new OpenAIProvider({ baseURL: `${server.baseURL}/v1`, env: {} });
    expect(openai.modelInfo().id).toBe('gpt-4o-mini');
    await expect(openai.infer([{ role: 'user', content: 'hi' }])).rejects.toThrow(MissingApiKeyError);
    await expect(openai.infer([{ role: 'user', content: 'hi' }])).rejects.toThrow(/OPENAI_API_KEY.*"apiKey"/);
    await expect(openai.embed('hi')).rejects.toThrow(MissingApiKeyError);
    const events = await collect(openai.inferStream([{ role: 'user', content: 'hi' }]));
    expect(events).toHaveLength(1);
    expect(errorOf(events)).toBeInstanceOf(MissingApiKeyError);
    const openrouter = new OpenRouterProvider({ baseURL: `${server.baseURL}/api/v1`, env: {} });
    await expect(openrouter.infer([{ role: 'user', content: 'hi' }])).rejects.toThrow(/OPENROUTER_API_KEY/);
    expect(server.requests.length).toBe(before);
  });

  it('the key falls back to OPENAI_API_KEY / OPENROUTER_API_KEY from the environment', async () => {
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await new OpenAIProvider({ baseURL: `${server.baseURL}/v1`, env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } }).infer([{ role: 'user', content: 'hi' }]);
    expect(last().headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    server.enqueue('/api/v1/chat/completions', { fixture: 'openrouter/chat-cache-write.json' });
    await new OpenRouterProvider({ baseURL: `${server.baseURL}/api/v1`, env: { OPENROUTER_API_KEY: FAKE_OPENROUTER_KEY } }).infer([{ role: 'user', content: 'hi' }]);
    expect(last().headers.authorization).toBe(`Bearer ${FAKE_OPENROUTER_KEY}`);
  });
});
