// The official Anthropic SDK against the gateway's /v1/messages, over an Anthropic backend (the
// request forwarded as it came) and over OpenAI and OpenRouter backends (translated both ways).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../replay-server.js';
import { ANTHROPIC_KEY, GATEWAY_KEY, useRig } from './anthropic-rig.js';

const rig = useRig();
const MESSAGES = '/v1/messages';
const CHAT = '/v1/chat/completions';
const ask = { max_tokens: 256, messages: [{ role: 'user' as const, content: 'How are you?' }] };

describe('over an Anthropic backend', () => {
  it('answers text, and the upstream gets the body as sent with only the model replaced', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/messages-text.json' });
    const message = await client.messages.create({ model: 'claude', ...ask, temperature: 0.2, top_k: 5, stop_sequences: ['END'], metadata: { user_id: 'user-42' } });
    expect(message.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Hello! As an AI language model/) }]);
    expect(message.usage.input_tokens).toBe(13);
    const [sent] = received(MESSAGES);
    expect(sent.body).toEqual({ model: 'claude-sonnet-4-5', ...ask, temperature: 0.2, top_k: 5, stop_sequences: ['END'], metadata: { user_id: 'user-42' } });
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
  });

  it('streams the upstream events byte for byte; messages.stream().finalMessage() assembles them', async () => {
    const { upstream, client, started } = rig();
    const fixture = readFileSync(join(FIXTURES_DIR, 'anthropic/stream-text.sse'), 'utf8');
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/stream-text.sse' }).enqueue(MESSAGES, { fixture: 'anthropic/stream-text.sse' });
    const final = await client.messages.stream({ model: 'claude', ...ask }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Hello/) });
    const response = await fetch(`${started.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', ...ask, stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(normalise(await response.text())).toBe(normalise(fixture));
  });

  it('streams a tool call as input_json_delta events the SDK parses into input', async () => {
    const { upstream, client } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/stream-tool-use-input-json-delta.sse' });
    const tools = [{ name: 'weather', description: 'Weather at a place', input_schema: { type: 'object' as const, properties: { latitude: { type: 'string' } } } }];
    const final = await client.messages.stream({ model: 'claude', ...ask, tools, tool_choice: { type: 'auto' } }).finalMessage();
    const tool = final.content.find((block) => block.type === 'tool_use');
    expect(tool).toMatchObject({ type: 'tool_use', name: 'weather', input: { latitude: '52.5200', longitude: '13.4050' } });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('sends turn 1\'s signed thinking block back intact, before tool_use, on turn 2', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/stream-thinking-then-tool-use.sse' }).enqueue(MESSAGES, { fixture: 'anthropic/messages-text.json' });
    const tools = [{ name: 'fixed_version', description: 'The version', input_schema: { type: 'object' as const, properties: {} } }];
    const thinking = { type: 'enabled' as const, budget_tokens: 1024 };
    const first = await client.messages.stream({ model: 'claude', ...ask, max_tokens: 2048, thinking, tools }).finalMessage();
    const signed = first.content[0];
    expect(signed).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^EoQDCm0/) });
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    await client.messages.create({
      model: 'claude',
      max_tokens: 2048,
      thinking,
      tools,
      messages: [
        ...ask.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.type === 'tool_use' ? toolUse.id : '', content: '1.2.3' }] },
      ],
    });
    const turn2 = received(MESSAGES)[1].body as { messages: { content: { type: string }[] }[] };
    expect(turn2.messages[1].content[0]).toEqual(signed);
    expect(turn2.messages[1].content.map((block) => block.type)).toEqual(first.content.map((block) => block.type));
    expect(turn2.messages[1].content.findIndex((block) => block.type === 'thinking')).toBeLessThan(turn2.messages[1].content.findIndex((block) => block.type === 'tool_use'));
  });

  it('carries cache_control upstream on every block it was set on', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/messages-text.json' });
    const cache = { type: 'ephemeral' as const };
    const body = cachedRequest(cache);
    await client.messages.create({ model: 'claude', ...body });
    expect(received(MESSAGES)[0].body).toEqual({ model: 'claude-sonnet-4-5', ...body });
  });

  it('counts tokens with the upstream\'s own count_tokens', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue('/v1/messages/count_tokens', { body: '{"input_tokens":2095}', headers: { 'content-type': 'application/json' } });
    const count = await client.messages.countTokens({ model: 'claude', messages: ask.messages, system: 'Be brief.' }, { headers: { 'anthropic-beta': 'token-counting-2024-11-01' } });
    expect(count.input_tokens).toBe(2095);
    const [sent] = received('/v1/messages/count_tokens');
    expect(sent.body).toEqual({ model: 'claude-sonnet-4-5', messages: ask.messages, system: 'Be brief.' });
    expect(sent.headers['anthropic-beta']).toBe('token-counting-2024-11-01');
  });
});

describe('over an OpenAI backend', () => {
  it('translates text both ways', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const message = await client.messages.create({ model: 'gpt', ...ask, system: 'Be brief.', stop_sequences: ['END'] });
    expect(message.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Hello! I'm just a computer program/) }]);
    expect(message).toMatchObject({ role: 'assistant', stop_reason: 'end_turn', usage: { input_tokens: 13, output_tokens: 31 } });
    const sent = received(CHAT)[0].body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How are you?' }], stop: ['END'] });
  });

  it('streams in Anthropic\'s events: messages.stream().finalMessage()', async () => {
    const { upstream, client } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const stream = client.messages.stream({ model: 'gpt', ...ask });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.any(String) });
    expect((final.content[0] as { text: string }).text.length).toBeGreaterThan(0);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    // The recorded chunk's usage (14 prompt, 13 completion, none cached) in Anthropic's convention.
    expect(final.usage).toMatchObject({ input_tokens: 14, output_tokens: 13, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it('streams cached prompt tokens as cache_read_input_tokens in message_delta, input_tokens without them', async () => {
    const { upstream, client } = rig();
    const recorded = readFileSync(join(FIXTURES_DIR, 'openai/chat-stream-text-include-usage.sse'), 'utf8');
    const cached = recorded.replace('"cached_tokens":0', '"cached_tokens":10');
    expect(cached).not.toBe(recorded);
    upstream.enqueue(CHAT, { body: cached, headers: { 'content-type': 'text/event-stream' }, chunkSize: 64 });
    const final = await client.messages.stream({ model: 'gpt', ...ask }).finalMessage();
    expect(final.usage).toMatchObject({ input_tokens: 4, output_tokens: 13, cache_read_input_tokens: 10 });
  });

  it('streams tool calls as tool_use blocks and sends tool_result back as a tool message', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse' }).enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const tools = [{ name: 'multiply', description: 'a × b', input_schema: { type: 'object' as const, properties: { a: { type: 'number' }, b: { type: 'number' } } } }];
    const first = await client.messages.stream({ model: 'gpt', ...ask, tools }).finalMessage();
    const call = first.content.find((block) => block.type === 'tool_use');
    expect(call).toMatchObject({ type: 'tool_use', name: 'multiply', input: expect.any(Object) });
    expect(first.stop_reason).toBe('tool_use');
    const id = call?.type === 'tool_use' ? call.id : '';
    await client.messages.create({ model: 'gpt', ...ask, tools, messages: [...ask.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: '42' }] }] });
    const sent = received(CHAT)[1].body as { messages: Record<string, unknown>[]; tools: unknown[] };
    expect(sent.messages[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id, type: 'function', function: { name: 'multiply' } }] });
    expect(sent.messages[2]).toMatchObject({ role: 'tool', tool_call_id: id, content: '42' });
    expect(sent.tools).toEqual([{ type: 'function', function: { name: 'multiply', description: 'a × b', parameters: tools[0].input_schema } }]);
  });

  it('names what it could not carry in x-hyperagent-warnings', async () => {
    const { upstream, client } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const { response } = await client.messages.create({ model: 'gpt', ...cachedRequest({ type: 'ephemeral' }), top_k: 3 }).withResponse();
    const warnings = response.headers.get('x-hyperagent-warnings') ?? '';
    expect(warnings).toMatch(/not carried to the openai backend: top_k/);
    expect(warnings).toMatch(/cache_control not carried on messages\[2\]\.content\[0\], tools\[0\]/);
    expect(warnings).toMatch(/takes no cache breakpoints/);
  });

  it('counts tokens with the gateway\'s documented estimate', async () => {
    const { client, received } = rig();
    const { data, response } = await client.messages.countTokens({ model: 'gpt', messages: ask.messages }).withResponse();
    expect(data.input_tokens).toBeGreaterThan(3);
    expect(response.headers.get('x-hyperagent-warnings')).toMatch(/estimate \(core\/estimate\.ts\)/);
    expect(received(CHAT)).toHaveLength(0);
  });
});

describe('over an OpenRouter backend', () => {
  it('carries cache_control on text blocks, and warns for the blocks it cannot carry it on', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const { response } = await client.messages.create({ model: 'router', ...cachedRequest({ type: 'ephemeral' }) }).withResponse();
    const sent = received(CHAT)[0].body as { messages: { content: { cache_control?: unknown }[] }[] };
    expect(sent.messages[0].content[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(sent.messages[1].content.some((part) => part.cache_control !== undefined)).toBe(true);
    expect(response.headers.get('x-hyperagent-warnings')).toMatch(/cache_control not carried on .*tools\[0\]/);
  });
});

describe('gateway keys', () => {
  it('takes the key as a bearer token too, and answers a wrong one 401 in Anthropic\'s shape', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/messages-text.json' });
    const bearer = new Anthropic({ authToken: GATEWAY_KEY, apiKey: null, baseURL: started.url, maxRetries: 0 });
    await expect(bearer.messages.create({ model: 'claude', ...ask })).resolves.toMatchObject({ type: 'message' });
    const wrong = new Anthropic({ apiKey: 'not-the-key', baseURL: started.url, maxRetries: 0 });
    const error = await wrong.messages.create({ model: 'claude', ...ask }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: expect.stringMatching(/x-api-key/) } });
    expect(received(MESSAGES)).toHaveLength(1);
  });
});

function cachedRequest(cache: { type: 'ephemeral' }) {
  return {
    max_tokens: 256,
    system: [{ type: 'text' as const, text: 'You are terse.', cache_control: cache }],
    tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object' as const, properties: {} }, cache_control: cache }],
    messages: [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'Long context here.', cache_control: cache }] },
      { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'lookup', input: {} }] },
      { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_1', content: 'found', cache_control: cache }, { type: 'text' as const, text: 'And?', cache_control: cache }] },
    ],
  };
}

/** The same events whatever line endings the recording used. */
function normalise(sse: string): string {
  return sse.replace(/\r\n/g, '\n').trim();
}
