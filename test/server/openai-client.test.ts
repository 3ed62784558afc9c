import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../../core/errors.js';
import { startGateway, toolEvents, usage, weatherCall } from './helpers.js';

function client(baseURL: string): OpenAI {
  return new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
}

describe('the official openai client talks to the gateway', () => {
  it('creates a chat completion', async () => {
    const { baseURL } = await startGateway();
    const completion = await client(baseURL).chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello, world!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('fake');
    expect(completion.usage?.total_tokens).toBe(1500);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(200);
  });

  it('streams with include_usage: text and a tool call assemble, usage arrives last', async () => {
    const { baseURL, backend } = await startGateway();
    backend.steps = toolEvents;
    const stream = await client(baseURL).chat.completions.create({
      model: 'fake',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    let finish: string | null = null;
    let lastUsage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      lastUsage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? '';
      for (const delta of choice.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { arguments: '' });
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? '';
      }
      finish = choice.finish_reason ?? finish;
    }
    expect(text).toBe('Checking.');
    expect(calls).toEqual([{ id: 'call_abc123', name: 'get_weather', arguments: '{"city": "Paris"}' }]);
    expect(finish).toBe('tool_calls');
    expect(lastUsage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 });
  });

  it('assembles the same stream with the SDK’s own stream helper', async () => {
    const { baseURL, backend } = await startGateway();
    backend.steps = toolEvents;
    const runner = client(baseURL).chat.completions.stream({
      model: 'fake',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      stream_options: { include_usage: true },
    });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe('Checking.');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
    ]);
    expect(completion.usage?.total_tokens).toBe(1500);
  });

  it('round-trips tool calls: the call comes back, the result goes up as a tool message', async () => {
    const { baseURL, backend } = await startGateway();
    backend.output = { content: '', toolCalls: [weatherCall], confidence: 1, tokenUsage: usage, finishReason: 'tool-calls', metadata: { provider: 'fake', model: 'fake-model-1' } };
    const openai = client(baseURL);
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.chat.completions.create({ model: 'fake', messages, tools });
    const assistant = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const toolCall = assistant.tool_calls![0]!;
    expect(toolCall.type === 'function' && JSON.parse(toolCall.function.arguments)).toEqual({ city: 'Paris' });

    backend.output = { content: 'It is 18°C in Paris.', confidence: 1, tokenUsage: usage, finishReason: 'stop', metadata: { provider: 'fake', model: 'fake-model-1' } };
    messages.push(assistant, { role: 'tool', tool_call_id: toolCall.id, content: '{"celsius": 18}' });
    const second = await openai.chat.completions.create({ model: 'fake', messages, tools });
    expect(second.choices[0]!.message.content).toBe('It is 18°C in Paris.');
    expect(backend.lastCall.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', toolCalls: [weatherCall] },
      { role: 'tool', toolCallId: 'call_abc123', name: 'get_weather', content: '{"celsius": 18}' },
    ]);
    expect(backend.lastCall.tools[0]?.name).toBe('get_weather');
  });

  it('creates embeddings, base64 (the SDK default) and float', async () => {
    const { baseURL, backend } = await startGateway();
    const openai = client(baseURL);
    const viaBase64 = await openai.embeddings.create({ model: 'fake', input: ['abc', 'hello'] });
    expect(viaBase64.object).toBe('list');
    expect(viaBase64.model).toBe('fake');
    expect(viaBase64.data.map((item) => item.embedding)).toEqual([
      [3, 0, 0.5, -0.25],
      [5, 1, 0.5, -0.25],
    ]);
    expect(viaBase64.usage).toEqual({ prompt_tokens: 14, total_tokens: 14 });
    const viaFloat = await openai.embeddings.create({ model: 'fake', input: 'abc', encoding_format: 'float', dimensions: 4 });
    expect(viaFloat.data).toEqual([{ object: 'embedding', index: 0, embedding: [3, 0, 0.5, -0.25] }]);
    expect(backend.lastCall.input).toEqual(['abc']);
    expect((backend.lastCall.options as { dimensions?: number }).dimensions).toBe(4);
  });

  it('lists the backends as models', async () => {
    const { baseURL } = await startGateway();
    const page = await client(baseURL).models.list();
    expect(page.data).toEqual([{ id: 'fake', object: 'model', created: expect.any(Number), owned_by: 'fake', pricing: { input: 2, output: 8, cachedInput: 0.5 }, context_window: 128_000 }]);
    const model = await client(baseURL).models.retrieve('fake');
    expect(model.id).toBe('fake');
  });

  it('raises the SDK’s typed errors for gateway errors, before and during a stream', async () => {
    const { baseURL, backend } = await startGateway();
    backend.output = new RateLimitError('Slow down.', { retryAfterMs: 2000 });
    const openai = client(baseURL);
    await expect(openai.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    backend.steps = [{ type: 'text-delta', text: 'partial' }, { type: 'error', error: new RateLimitError('Slow down mid-stream.') }];
    const stream = await openai.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(consume()).rejects.toThrow(/Slow down mid-stream/);
    expect(seen.join('')).toBe('partial');
  });
});
