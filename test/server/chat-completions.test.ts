import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Stage } from '../../core/hooks.js';
import { chatBody, sseData, startGateway, toolEvents, usage, weatherCall } from './helpers.js';

const json = { 'content-type': 'application/json' };

describe('POST /v1/chat/completions answers with a chat.completion', () => {
  it('has OpenAI’s shape, the backend name as model, mapped usage and cost headers', async () => {
    const { url } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = (await response.body.json()) as Record<string, any>;
    expect(body.id).toMatch(/^chatcmpl-[A-Za-z0-9]{24}$/);
    expect(body.object).toBe('chat.completion');
    expect(body.created).toBeCloseTo(Date.now() / 1000, -1);
    expect(body.model).toBe('fake');
    expect(body.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'Hello, world!', refusal: null }, logprobs: null, finish_reason: 'stop' }]);
    expect(body.usage).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 40 },
    });
    expect(response.headers['x-hyperagent-backend']).toBe('fake');
    expect(response.headers['x-hyperagent-prompt-tokens']).toBe('1200');
    expect(response.headers['x-hyperagent-completion-tokens']).toBe('300');
    // 1000 uncached × $2 + 200 cached × $0.5 + 300 out × $8, per million.
    expect(Number(response.headers['x-hyperagent-cost-usd'])).toBeCloseTo(0.0045, 10);
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  it('returns tool calls with their arguments as the raw JSON string, content null and finish_reason tool_calls', async () => {
    const { url, backend } = await startGateway();
    backend.output = { content: '', toolCalls: [weatherCall], confidence: 1, tokenUsage: usage, finishReason: 'tool-calls', metadata: { provider: 'fake', model: 'fake-model-1' } };
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() });
    const body = (await response.body.json()) as Record<string, any>;
    expect(body.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }],
    });
    expect(body.choices[0].finish_reason).toBe('tool_calls');
  });

  it.each([
    ['length', 'length'],
    ['content-filter', 'content_filter'],
    ['other', 'stop'],
  ] as const)('maps finish reason %s to %s', async (ours, theirs) => {
    const { url, backend } = await startGateway();
    backend.output = { content: 'x', confidence: 1, tokenUsage: usage, finishReason: ours, metadata: { provider: 'fake', model: 'fake-model-1' } };
    const body = (await (await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() })).body.json()) as Record<string, any>;
    expect(body.choices[0].finish_reason).toBe(theirs);
  });
});

describe('the OpenAI request reaches the backend in our terms', () => {
  it('converts messages, tools and options', async () => {
    const { url, backend } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        model: 'fake',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these pictures?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temp": -3}' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 50,
        max_completion_tokens: 100,
        stop: 'END',
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
        reasoning_effort: 'low',
        user: 'user-7',
      }),
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    const call = backend.lastCall;
    expect(call.operation).toBe('infer');
    expect(call.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: [{ type: 'text', text: 'Use metric units.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these pictures?' },
          { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png', detail: 'low' },
          { type: 'image', url: 'https://example.com/cat.jpg' },
        ],
      },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' }] },
      { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"temp": -3}' },
    ]);
    expect(call.tools).toEqual([{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }]);
    const { signal, metadata, clientHeaders, ...options } = call.options as Record<string, unknown>;
    expect(options).toEqual({
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 100,
      stop: ['END'],
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      thinking: { effort: 'low' },
      // `user` goes on to the upstream too: as is to OpenAI-wire backends, as metadata.user_id to Anthropic.
      wireFields: { 'openai-chat': { user: 'user-7' }, 'anthropic-messages': { metadata: { user_id: 'user-7' } } },
    });
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(metadata).toMatchObject({ user: 'user-7', requestId: response.headers['x-request-id'] });
  });

  it.each([
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'wizard', content: 'hi' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }, 'messages[0].content[0].type'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'messages[0].content[0].image_url.url'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ temperature: 'hot' }, 'temperature'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ n: 2, stream: true }, 'n'],
    [{ tool_choice: 'sometimes' }, 'tool_choice'],
    [{ model: 42 }, 'model'],
  ])('answers 400 naming the field for %j', async (patch, param) => {
    const { url, backend } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody(patch) });
    expect(response.statusCode).toBe(400);
    const body = (await response.body.json()) as Record<string, any>;
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(body.error.message).toEqual(expect.any(String));
    expect(backend.calls).toHaveLength(0);
  });
});

describe('streamed chat completions are chat.completion.chunk server-sent events', () => {
  it('sends a role chunk, content and tool-call deltas, a finish chunk, a usage chunk with the cost, then [DONE]', async () => {
    const { url, backend } = await startGateway();
    backend.steps = toolEvents;
    const response = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: json,
      body: chatBody({ stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['x-hyperagent-backend']).toBe('fake');
    const data = sseData(await response.body.text());
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((text) => JSON.parse(text) as Record<string, any>);
    const ids = new Set(chunks.map((chunk) => chunk.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^chatcmpl-/);
    for (const chunk of chunks) expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'fake' });
    const deltas = chunks.slice(0, -1).map((chunk) => chunk.choices[0].delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking.' },
      { tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": ' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {},
    ]);
    expect(chunks.slice(0, -1).map((chunk) => chunk.choices[0].finish_reason)).toEqual([null, null, null, null, null, 'tool_calls']);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 40 },
    });
    expect(last.x_hyperagent_cost_usd).toBeCloseTo(0.0045, 10);
  });

  it('leaves the usage chunk and usage fields out unless include_usage is set', async () => {
    const { url } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    const data = sseData(await response.body.text());
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((text) => JSON.parse(text) as Record<string, any>);
    expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe('Hello, world!');
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
    for (const chunk of chunks) expect(chunk).not.toHaveProperty('usage');
  });

  it('sends a whole tool call at once when the provider only reports it complete', async () => {
    const { url, backend } = await startGateway();
    backend.steps = [
      { type: 'tool-call-end', id: weatherCall.id, toolCall: weatherCall },
      { type: 'done', tokenUsage: usage, finishReason: 'tool-calls' },
    ];
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    const chunks = sseData(await response.body.text()).slice(0, -1).map((text) => JSON.parse(text) as Record<string, any>);
    expect(chunks[1].choices[0].delta).toEqual({
      tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }],
    });
  });
});

describe('every request runs through the kernel, so hooks and plugins apply', () => {
  it('lets a beforeInfer tap rewrite the request and onCost see the call', async () => {
    const started = await startGateway();
    const costs: number[] = [];
    started.kernel.hooks.beforeInfer.tapPromise({ name: 'test-cap', stage: Stage.DEFAULT }, async (request) => ({ ...request, options: { ...request.options, maxTokens: 7 } }));
    started.kernel.hooks.onCost.tap('test-cost', (event) => {
      if (event.costUsd !== undefined) costs.push(event.costUsd);
    });
    await (await request(`${started.url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ max_tokens: 900 }) })).body.dump();
    await (await request(`${started.url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) })).body.text();
    expect(started.backend.calls.map((call) => (call.options as { maxTokens?: number }).maxTokens)).toEqual([7, 7]);
    expect(costs).toHaveLength(2);
  });
});
