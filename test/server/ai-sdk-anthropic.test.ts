// The AI SDK's Anthropic provider (`@ai-sdk/anthropic`) with its baseURL at the gateway's /v1:
// generateText and streamText, text and one tool, over an Anthropic backend (the request passed
// through) and over an OpenAI backend (translated both ways), against recorded upstream answers.
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { ANTHROPIC_KEY, GATEWAY_KEY, useRig } from './anthropic-rig.js';

const rig = useRig();
const MESSAGES = '/v1/messages';
const CHAT = '/v1/chat/completions';

function provider(url: string, auth: 'x-api-key' | 'bearer' = 'x-api-key') {
  return auth === 'bearer' ? createAnthropic({ baseURL: `${url}/v1`, authToken: GATEWAY_KEY }) : createAnthropic({ baseURL: `${url}/v1`, apiKey: GATEWAY_KEY });
}

const objectSchema = (properties: Record<string, unknown>) => jsonSchema<Record<string, string>>({ type: 'object', properties });

describe('@ai-sdk/anthropic over an Anthropic backend', () => {
  it('generateText: the recorded answer and usage; upstream gets the SDK\'s body with the model replaced and its own key', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/messages-text.json' });
    const result = await generateText({ model: provider(started.url)('claude'), system: 'Be brief.', prompt: 'How are you?', maxOutputTokens: 256 });
    expect(result.text).toMatch(/^Hello! As an AI language model/);
    expect(result.usage.inputTokens).toBe(13);
    expect(result.finishReason).toBe('stop');
    const [sent] = received(MESSAGES);
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 256, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'How are you?' }] }] });
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(JSON.stringify(sent.headers)).not.toContain(GATEWAY_KEY);
  });

  it('streamText: the recorded stream, event for event, with Bearer auth (authToken) accepted too', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/stream-text.sse', chunkSize: 48 });
    const result = streamText({ model: provider(started.url, 'bearer')('claude'), prompt: 'How are you?', maxOutputTokens: 256 });
    expect(await result.text).toMatch(/^Hello/);
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(received(MESSAGES)[0].body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true });
  });

  it('streamText with one tool: the tool_use block\'s input_json_delta pieces become the call\'s input', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(MESSAGES, { fixture: 'anthropic/stream-tool-use-input-json-delta.sse', chunkSize: 32 });
    const tools = { weather: tool({ description: 'Weather at a place', inputSchema: objectSchema({ latitude: { type: 'string' }, longitude: { type: 'string' } }) }) };
    const result = streamText({ model: provider(started.url)('claude'), prompt: 'Weather in Berlin?', maxOutputTokens: 256, tools });
    expect((await result.toolCalls).map((call) => [call.toolName, call.input])).toEqual([['weather', { latitude: '52.5200', longitude: '13.4050' }]]);
    expect(await result.finishReason).toBe('tool-calls');
    expect(received(MESSAGES)[0].body).toMatchObject({ tools: [{ name: 'weather', description: 'Weather at a place' }] });
  });

  it('a wrong key is the SDK\'s APICallError with status 401, and nothing reaches the upstream', async () => {
    const { started, received } = rig();
    const wrong = createAnthropic({ baseURL: `${started.url}/v1`, apiKey: 'not-the-gateway-key' });
    const failure = await generateText({ model: wrong('claude'), prompt: 'Hi', maxOutputTokens: 256, maxRetries: 0 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 401 });
    expect(JSON.parse((failure as { responseBody: string }).responseBody)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(received(MESSAGES)).toHaveLength(0);
  });
});

describe('@ai-sdk/anthropic over an OpenAI backend (translated)', () => {
  it('generateText: the Chat Completions answer comes back as an Anthropic message', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const result = await generateText({ model: provider(started.url)('gpt'), system: 'Be brief.', prompt: 'How are you?', maxOutputTokens: 256 });
    expect(result.text).toMatch(/^Hello! I'm just a computer program/);
    expect(result.usage).toMatchObject({ inputTokens: 13, outputTokens: 31 });
    expect(received(CHAT)[0].body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How are you?' }] });
  });

  it('generateText with one tool: the OpenAI tool call is a tool_use the SDK reads', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-completion-tool-calls.json' });
    const tools = { getCurrentWeather: tool({ description: 'Weather in a city', inputSchema: objectSchema({ location: { type: 'string' } }) }) };
    const result = await generateText({ model: provider(started.url)('gpt'), prompt: 'Weather in Boston?', maxOutputTokens: 256, tools });
    expect(result.toolCalls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([['call_olc8qHf1RDItRqwuEBNjsu3B', 'getCurrentWeather', { location: 'Boston' }]]);
    expect(result.finishReason).toBe('tool-calls');
    const sent = received(CHAT)[0].body as { tools: Array<{ type: string; function: { name: string; parameters: unknown } }> };
    expect(sent.tools).toEqual([{ type: 'function', function: expect.objectContaining({ name: 'getCurrentWeather', description: 'Weather in a city', parameters: expect.objectContaining({ properties: { location: { type: 'string' } } }) }) }]);
  });

  it('streamText, text and then one tool: translated into Anthropic\'s events and read back', async () => {
    const { upstream, started } = rig();
    upstream.enqueue(CHAT, { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 40 });
    const text = streamText({ model: provider(started.url)('gpt'), prompt: 'Hi', maxOutputTokens: 256 });
    expect((await text.text).length).toBeGreaterThan(0);
    expect(await text.usage).toMatchObject({ inputTokens: 14, outputTokens: 13 });

    upstream.enqueue(CHAT, { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse', chunkSize: 40 });
    const tools = { multiply: tool({ description: 'Multiply', inputSchema: objectSchema({ a: { type: 'number' }, b: { type: 'number' } }) }) };
    const called = streamText({ model: provider(started.url)('gpt'), prompt: 'What is 6 times 7?', maxOutputTokens: 256, tools });
    const calls = await called.toolCalls;
    expect(calls.map((call) => call.toolName)).toEqual(['multiply']);
    expect(calls[0].input).toEqual({ a: 1231, b: 2331 });
    expect(await called.finishReason).toBe('tool-calls');
  });
});
