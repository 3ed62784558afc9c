// The Responses API and Chat Completions as real clients use them: the AI SDK's default
// `openai('backend')` (Responses) and `openai.chat('backend')`, and the official openai client,
// over real HTTP to the gateway in front of a scripted backend that records what reached it.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { RateLimitError, ServerError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/types.js';
import { startGateway, toolEvents, usage, weatherCall } from './helpers.js';

const thinkingEvents: StreamEvent[] = [
  { type: 'reasoning-delta', text: 'The user wants ' },
  { type: 'reasoning-delta', text: 'a greeting.' },
  { type: 'reasoning-signature', signature: 'sig-EqQBCkYIBRgCKkD' },
  { type: 'text-delta', text: 'Hello!' },
  { type: 'done', tokenUsage: usage, finishReason: 'stop' },
];

describe('the AI SDK against the gateway', () => {
  it('openai(name) speaks the Responses API: generateText and streamText, with usage details', async () => {
    const { baseURL, backend } = await startGateway();
    const provider = createOpenAI({ baseURL, apiKey: 'sk-test-not-a-real-key-000000' });

    const generated = await generateText({ model: provider('fake'), system: 'Be brief.', prompt: 'Hi' });
    expect(generated.text).toBe('Hello, world!');
    expect(generated.usage).toMatchObject({ inputTokens: 1200, outputTokens: 300, totalTokens: 1500 });
    expect(generated.usage.inputTokenDetails?.cacheReadTokens ?? generated.usage.cachedInputTokens).toBe(200);
    expect(backend.lastCall.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);

    const streamed = streamText({ model: provider('fake'), prompt: 'Hi' });
    expect(await streamed.text).toBe('Hello, world!');
    expect((await streamed.usage).totalTokens).toBe(1500);
    expect(backend.lastCall.operation).toBe('stream');
  });

  it('openai(name) with tools gets the function call, streamed and not', async () => {
    const { baseURL, backend } = await startGateway();
    backend.output = { content: '', toolCalls: [weatherCall], confidence: 1, tokenUsage: usage, finishReason: 'tool-calls', metadata: { provider: 'fake', model: 'fake-model-1' } };
    backend.steps = toolEvents;
    const provider = createOpenAI({ baseURL, apiKey: 'sk-test-not-a-real-key-000000' });
    const tools = { get_weather: tool({ description: 'Weather in a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }) };

    const generated = await generateText({ model: provider('fake'), prompt: 'Weather in Paris?', tools });
    expect(generated.toolCalls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([['call_abc123', 'get_weather', { city: 'Paris' }]]);
    expect(backend.lastCall.tools.map((schema) => schema.name)).toEqual(['get_weather']);

    const streamed = streamText({ model: provider('fake'), prompt: 'Weather in Paris?', tools });
    expect((await streamed.toolCalls).map((call) => [call.toolName, call.input])).toEqual([['get_weather', { city: 'Paris' }]]);
    expect(await streamed.finishReason).toBe('tool-calls');
  });

  it('openai.chat(name) speaks Chat Completions: generateText and streamText', async () => {
    const { baseURL } = await startGateway();
    const provider = createOpenAI({ baseURL, apiKey: 'sk-test-not-a-real-key-000000' });
    expect((await generateText({ model: provider.chat('fake'), prompt: 'Hi' })).text).toBe('Hello, world!');
    const streamed = streamText({ model: provider.chat('fake'), prompt: 'Hi' });
    expect(await streamed.text).toBe('Hello, world!');
    expect((await streamed.usage).totalTokens).toBe(1500);
  });
});

describe('the official openai client: responses.create', () => {
  it('answers JSON with output items, usage details and cost; GET gives the same response back', async () => {
    const { baseURL } = await startGateway();
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const { data: response, response: raw } = await client.responses.create({ model: 'fake', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }] }).withResponse();
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello, world!');
    expect(response.usage).toEqual({ input_tokens: 1200, input_tokens_details: { cached_tokens: 200 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 40 }, total_tokens: 1500 });
    expect(raw.headers.get('x-hyperagent-prompt-tokens')).toBe('1200');
    const again = await client.responses.retrieve(response.id);
    expect(again).toEqual(response);
  });

  it('streams Responses events, numbered in order, ending with response.completed', async () => {
    const { baseURL } = await startGateway();
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const stream = await client.responses.create({ model: 'fake', input: 'Hi', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.usage?.total_tokens).toBe(1500);
    expect((await client.responses.retrieve(completed.response.id)).output).toEqual(completed.response.output);
  });

  it('reasoning comes back as a reasoning item whose encrypted_content is the signature, and is accepted back', async () => {
    const { baseURL, backend } = await startGateway();
    backend.steps = thinkingEvents;
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const final = await client.responses.stream({ model: 'fake', input: 'Hi' }).finalResponse();
    expect(final.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'The user wants a greeting.' }], encrypted_content: 'sig-EqQBCkYIBRgCKkD' });

    await client.responses.create({ model: 'fake', input: [{ role: 'user', content: 'Hi' }, ...(final.output as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'Again' }] });
    expect(backend.lastCall.messages[1]).toEqual({ role: 'assistant', content: 'Hello!', reasoning: [{ text: 'The user wants a greeting.', signature: 'sig-EqQBCkYIBRgCKkD' }] });
  });

  it('function_call and function_call_output items become one assistant turn and its tool result', async () => {
    const { baseURL, backend } = await startGateway();
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    await client.responses.create({
      model: 'fake',
      input: [
        { role: 'user', content: 'Weather?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '18°C' },
      ],
    });
    expect(backend.lastCall.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: '18°C', name: 'get_weather' },
    ]);
  });
});

describe('bad input and upstream failures on /v1/responses', () => {
  it('a malformed field is a 400 naming it, and nothing reaches the backend', async () => {
    const { baseURL, backend } = await startGateway();
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const cases: [Record<string, unknown>, string][] = [
      [{ input: 'Hi', tools: [{ type: 'web_search' }] }, 'tools[0].type'],
      [{ input: [{ role: 'robot', content: 'Hi' }] }, 'input[0].role'],
      [{ input: 42 }, 'input'],
      [{ input: 'Hi', text: { format: { type: 'yaml' } } }, 'text.format.type'],
      [{ input: 'Hi', reasoning: { effort: 'max' } }, 'reasoning.effort'],
      [{ input: 'Hi', max_output_tokens: 0 }, 'max_output_tokens'],
    ];
    for (const [body, param] of cases) {
      const error = (await client.responses.create({ model: 'fake', ...body } as never).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
      expect([error.status, error.param]).toEqual([400, param]);
    }
    expect(backend.calls).toEqual([]);
  });

  it('an upstream 429 is a 429 with retry-after; a failure mid-stream is response.failed', async () => {
    const { url, baseURL, backend } = await startGateway();
    backend.output = new RateLimitError('Slow down.', { provider: 'fake', status: 429, retryAfterMs: 7_000 });
    const answer = await fetch(`${url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fake', input: 'Hi' }) });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(await answer.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });

    backend.steps = [{ type: 'text-delta', text: 'Hel' }, { type: 'error', error: new ServerError('The upstream broke.', { provider: 'fake', status: 500 }) }];
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const stream = await client.responses.create({ model: 'fake', input: 'Hi', stream: true });
    const types: string[] = [];
    let failed: OpenAI.Responses.ResponseFailedEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.failed') failed = event;
    }
    expect(types.at(-1)).toBe('response.failed');
    expect(failed?.response.error).toMatchObject({ code: 'upstream_server_error' });
  });
});
