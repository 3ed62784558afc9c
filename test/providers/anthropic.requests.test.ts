// What the anthropic provider sends: exact bodies and headers, recorded by the loopback replay server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { InferOptions, InferenceOutput, LLMMessage, ToolSchema } from '../../core/types.js';
import { AnthropicProvider, type AnthropicProviderSettings } from '../../plugins/anthropic/index.js';
import { ReplayServer, type RecordedRequest } from '../replay-server.js';

const FAKE_KEY = 'hyperagent-test-anthropic-key-7f3a9c21e8d4';
const PATH = '/v1/messages';

const TOOLS: readonly ToolSchema[] = [
  {
    name: 'weather',
    description: 'Current weather at a position.',
    parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
  },
  { name: 'fixed_version', description: 'The version of the fixed thing.', parameters: { type: 'object', properties: {} } },
];

const CONVERSATION: readonly LLMMessage[] = [
  { role: 'system', content: [{ type: 'text', text: 'You are a careful assistant.', cacheControl: { type: 'ephemeral' } }] },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Where was this taken, and what is the weather there?' },
      { type: 'image', data: 'iVBORw0KGgoAAAANSUhEUg==', mediaType: 'image/png' },
      { type: 'image', url: 'https://example.com/berlin.jpg' },
    ],
  },
  {
    role: 'assistant',
    content: 'Let me check both.',
    reasoning: [{ text: 'The photo shows the Brandenburg Gate, so Berlin.', signature: 'EqQBCkYIBxgCKkBsig==' }],
    toolCalls: [
      { id: 'toolu_01A', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
      { id: 'toolu_01B', name: 'fixed_version', arguments: {}, rawArguments: '' },
    ],
  },
  { role: 'tool', toolCallId: 'toolu_01A', name: 'weather', content: '{"temperature_c": 21}' },
  { role: 'tool', toolCallId: 'toolu_01B', name: 'fixed_version', content: 'the tool crashed', isError: true },
  { role: 'user', content: [{ type: 'text', text: 'Answer in one line.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
];

let server: ReplayServer;

beforeAll(async () => {
  server = await new ReplayServer().start();
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

function backend(settings: AnthropicProviderSettings = {}): AnthropicProvider {
  return new AnthropicProvider({ apiKey: FAKE_KEY, baseURL: `${server.baseURL}/v1`, model: 'claude-haiku-4-5', ...settings });
}

/** Make one call against a recorded answer and return what reached the server. */
async function send(
  messages: readonly LLMMessage[],
  tools: readonly ToolSchema[] = [],
  options: InferOptions = {},
  provider: AnthropicProvider = backend(),
): Promise<{ request: RecordedRequest; body: Record<string, unknown>; output: InferenceOutput }> {
  server.enqueue(PATH, { fixture: 'anthropic/messages-text.json' });
  const output = await provider.infer(messages, tools, options);
  const request = server.requests[server.requests.length - 1];
  return { request, body: JSON.parse(request.rawBody) as Record<string, unknown>, output };
}

describe('a full conversation: system, images, two tools, signed thinking, a tool call and its results', () => {
  it('sends the exact JSON body and headers', async () => {
    const { request, body, output } = await send(CONVERSATION, TOOLS, { thinking: { budgetTokens: 2048 }, temperature: 0.2, stop: ['END'] });
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(FAKE_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['anthropic-beta']).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      // claude-haiku-4-5's default: its 64K output limit capped at 8192; it already exceeds the 2048 thinking budget.
      max_tokens: 8192,
      system: [{ type: 'text', text: 'You are a careful assistant.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Where was this taken, and what is the weather there?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/berlin.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The photo shows the Brandenburg Gate, so Berlin.', signature: 'EqQBCkYIBxgCKkBsig==' },
            { type: 'text', text: 'Let me check both.' },
            { type: 'tool_use', id: 'toolu_01A', name: 'weather', input: { latitude: '52.5200', longitude: '13.4050' } },
            { type: 'tool_use', id: 'toolu_01B', name: 'fixed_version', input: {} },
          ],
        },
        {
          // Both tool results and the next user message merge into one user turn: roles must alternate.
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: '{"temperature_c": 21}' },
            { type: 'tool_result', tool_use_id: 'toolu_01B', content: 'the tool crashed', is_error: true },
            { type: 'text', text: 'Answer in one line.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
      stop_sequences: ['END'],
      tools: [
        {
          name: 'weather',
          description: 'Current weather at a position.',
          input_schema: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
        },
        { name: 'fixed_version', description: 'The version of the fixed thing.', input_schema: { type: 'object', properties: {} } },
      ],
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(output.metadata.warnings).toEqual(['temperature was not sent: Anthropic does not accept it together with extended thinking.']);
  });

  it('a streamed call sends the same body plus stream: true, and asks for an event stream', async () => {
    const { body: plain } = await send(CONVERSATION, TOOLS, { thinking: { budgetTokens: 2048 } });
    server.enqueue(PATH, { fixture: 'anthropic/stream-text.sse' });
    const output = await backend().inferStream(CONVERSATION, TOOLS, { thinking: { budgetTokens: 2048 }, temperature: 1 }).output();
    expect(output.metadata.warnings).toEqual(['temperature was not sent: Anthropic does not accept it together with extended thinking.']);
    const request = server.requests[server.requests.length - 1];
    expect(request.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(request.rawBody)).toEqual({ ...plain, stream: true });
  });
});

describe('max_tokens is always sent', () => {
  it('defaults per model: capped model limit for known models, 4096 for unknown ones', async () => {
    expect((await send([{ role: 'user', content: 'hi' }])).body.max_tokens).toBe(8192);
    expect((await send([{ role: 'user', content: 'hi' }], [], { model: 'claude-3-haiku-20240307' })).body.max_tokens).toBe(4096);
    expect((await send([{ role: 'user', content: 'hi' }], [], { model: 'claude-3-5-sonnet-20241022' })).body.max_tokens).toBe(8192);
    expect((await send([{ role: 'user', content: 'hi' }], [], { model: 'claude-future-1' })).body.max_tokens).toBe(4096);
  });

  it('the backend maxTokens beats the model default; the call maxTokens beats both', async () => {
    const capped = backend().withMaxTokens(300);
    expect((await send([{ role: 'user', content: 'hi' }], [], {}, capped)).body.max_tokens).toBe(300);
    expect((await send([{ role: 'user', content: 'hi' }], [], { maxTokens: 50 }, capped)).body.max_tokens).toBe(50);
  });

  it('a max_tokens not above the thinking budget is raised to budget + model default, with a warning', async () => {
    const { body, output } = await send([{ role: 'user', content: 'hi' }], [], { maxTokens: 1024, thinking: { budgetTokens: 2048 } });
    expect(body.max_tokens).toBe(2048 + 8192);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(output.metadata.warnings).toEqual(['max_tokens (1024) must exceed the thinking budget (2048); it was raised to 10240.']);
  });
});

describe('sampling, stop sequences and provider options', () => {
  it('temperature and stop_sequences are sent as given without thinking; top_p with them is not (claude-haiku-4-5 rejects the pair)', async () => {
    const { body, output } = await send([{ role: 'user', content: 'hi' }], [], { temperature: 0.3, topP: 0.9, stop: ['###', 'END'] });
    expect(body).toEqual({ model: 'claude-haiku-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], temperature: 0.3, stop_sequences: ['###', 'END'] });
    expect(output.metadata.warnings).toEqual([
      'top_p (0.9) was not sent: claude-haiku-4-5 rejects temperature and top_p together with HTTP 400, so only temperature (0.3) was sent. Set only one of temperature and topP.',
    ]);
  });

  it('top_p alone is sent as given', async () => {
    const { body, output } = await send([{ role: 'user', content: 'hi' }], [], { topP: 0.9 });
    expect(body).toEqual({ model: 'claude-haiku-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], top_p: 0.9 });
    expect(output.metadata.warnings).toBeUndefined();
  });

  it('providerOptions are merged last and win', async () => {
    const { body } = await send([{ role: 'user', content: 'hi' }], [], { temperature: 0.3, providerOptions: { top_k: 5, metadata: { user_id: 'u-1' }, temperature: 0.9 } });
    expect(body).toMatchObject({ top_k: 5, metadata: { user_id: 'u-1' }, temperature: 0.9 });
  });

  it('logprobs and thinking.effort are not available and say so', async () => {
    const { body, output } = await send([{ role: 'user', content: 'hi' }], [], { logprobs: true, thinking: { effort: 'high' } });
    expect(body.thinking).toBeUndefined();
    expect(output.metadata.warnings).toEqual([
      'thinking.effort was ignored: Anthropic extended thinking is set with thinking.budgetTokens.',
      'logprobs were not requested: Anthropic does not return log-probabilities, so confidence is 1.',
    ]);
    expect(output.confidence).toBe(1);
  });
});

describe('tool_choice', () => {
  const hi: LLMMessage[] = [{ role: 'user', content: 'hi' }];

  it('maps auto, required, none and a named tool', async () => {
    expect((await send(hi, TOOLS, { toolChoice: 'auto' })).body.tool_choice).toEqual({ type: 'auto' });
    expect((await send(hi, TOOLS, { toolChoice: 'required' })).body.tool_choice).toEqual({ type: 'any' });
    expect((await send(hi, TOOLS, { toolChoice: 'none' })).body.tool_choice).toEqual({ type: 'none' });
    expect((await send(hi, TOOLS, { toolChoice: { name: 'weather' } })).body.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect((await send(hi, TOOLS)).body.tool_choice).toBeUndefined();
  });

  it('parallelToolCalls: false sets disable_parallel_tool_use', async () => {
    expect((await send(hi, TOOLS, { parallelToolCalls: false })).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect((await send(hi, TOOLS, { toolChoice: 'required', parallelToolCalls: false })).body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('a forced tool choice without tools is dropped with a warning', async () => {
    const { body, output } = await send(hi, [], { toolChoice: 'required' });
    expect(body.tool_choice).toBeUndefined();
    expect(body.tools).toBeUndefined();
    expect(output.metadata.warnings).toEqual(['toolChoice was ignored: the call has no tools.']);
  });
});

describe('JSON mode is emulated with a system instruction and a warning', () => {
  it('json: appended to a string system prompt', async () => {
    const { body, output } = await send([{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'List two colours.' }], [], { responseFormat: { type: 'json' } });
    expect(body.system).toBe('Be terse.\n\nRespond with one valid JSON value and nothing else: no prose before or after it, no Markdown code fences.');
    expect(body.response_format).toBeUndefined();
    expect(output.metadata.warnings).toEqual([
      'Anthropic has no JSON mode (response_format): it was emulated with a system instruction, so the reply is likely but not guaranteed to be valid JSON.',
    ]);
  });

  it('json_schema: the schema is spelled out, and cached system blocks keep their cache_control', async () => {
    const schema = { type: 'object', properties: { colours: { type: 'array', items: { type: 'string' } } }, required: ['colours'] };
    const { body } = await send(
      [{ role: 'system', content: [{ type: 'text', text: 'Be terse.', cacheControl: { type: 'ephemeral' } }] }, { role: 'user', content: 'List two colours.' }],
      [],
      { responseFormat: { type: 'json_schema', name: 'colours', schema } },
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } },
      {
        type: 'text',
        text: `Respond with one valid JSON value and nothing else: no prose before or after it, no Markdown code fences. The JSON must conform to this JSON Schema (named "colours"):\n${JSON.stringify(schema)}`,
      },
    ]);
  });
});

describe('message conversion details', () => {
  it('one plain system message is a string; several become blocks in order', async () => {
    expect((await send([{ role: 'system', content: 'A.' }, { role: 'user', content: 'hi' }])).body.system).toBe('A.');
    const { body } = await send([{ role: 'system', content: 'A.' }, { role: 'user', content: 'hi' }, { role: 'system', content: 'B.' }]);
    expect(body.system).toEqual([
      { type: 'text', text: 'A.' },
      { type: 'text', text: 'B.' },
    ]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('consecutive same-role turns merge; a data: URL image becomes a base64 source', async () => {
    const { body } = await send([
      { role: 'user', content: 'first' },
      { role: 'user', content: [{ type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' }] },
      { role: 'assistant', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'next' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'first' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'next' }] },
    ]);
  });

  it('redacted thinking goes back as redacted_thinking; unsigned reasoning is dropped with a warning', async () => {
    const { body, output } = await send([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: '',
        reasoning: [{ text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' }, { text: 'unsigned musing' }],
        toolCalls: [{ id: 'toolu_9', name: 'fixed_version', arguments: {}, rawArguments: '' }],
      },
      { role: 'tool', toolCallId: 'toolu_9', content: [{ type: 'text', text: '1.2.3' }] },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' },
          { type: 'tool_use', id: 'toolu_9', name: 'fixed_version', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: [{ type: 'text', text: '1.2.3' }] }] },
    ]);
    expect(output.metadata.warnings).toEqual(['A reasoning part without a signature was not sent back: Anthropic accepts only signed thinking blocks.']);
  });

  it('an image with data but no mediaType is rejected before anything is sent', async () => {
    const before = server.requests.length;
    await expect(backend().infer([{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }])).rejects.toBeInstanceOf(InvalidRequestError);
    expect(server.requests.length).toBe(before);
  });
});

describe('endpoint and headers', () => {
  it('anthropic-beta (comma-joined), custom headers, anthropicVersion and a baseURL with a trailing slash', async () => {
    const provider = backend({
      baseURL: `${server.baseURL}/v1/`,
      anthropicBeta: ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'],
      anthropicVersion: '2023-06-01',
      headers: { 'x-trace-id': 'trace-1' },
    });
    const { request } = await send([{ role: 'user', content: 'hi' }], [], {}, provider);
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['anthropic-beta']).toBe('context-1m-2025-08-07,interleaved-thinking-2025-05-14');
    expect(request.headers['x-trace-id']).toBe('trace-1');
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('the default base URL is the public Anthropic API', async () => {
    const { DEFAULT_ANTHROPIC_BASE_URL } = await import('../../plugins/anthropic/index.js');
    expect(DEFAULT_ANTHROPIC_BASE_URL).toBe('https://api.anthropic.com/v1');
  });
});
