// A tool call reaches a consumer only after the approval policy allowed it: library streams, the
// agent's runStream and the gateway's SSE (through the official openai client), over real HTTP to
// a loopback upstream that speaks OpenAI Chat Completions. The SSE bodies are hand-made in the shape
// of test/fixtures/recorded/openai/chat-stream-tool-call-argument-deltas.sse.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentBuilder } from '../core/agent.js';
import { Kernel } from '../core/kernel.js';
import type { InferenceStream, StreamEvent, ToolSchema } from '../core/types.js';
import approval, { type ApprovalOptions, type Approver } from '../plugins/approval/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { createGateway, type Gateway } from '../server/index.js';
import { ReplayServer } from './replay-server.js';

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

interface ProposedCall {
  readonly id: string;
  readonly name: string;
  readonly args: string;
}

/** A Chat Completions SSE body: some text, then each call's name and its arguments in two deltas. */
function chatStream(text: string, calls: readonly ProposedCall[], finish = calls.length > 0 ? 'tool_calls' : 'stop'): string {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-review', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
  let body = chunk({ role: 'assistant', content: '' });
  if (text) body += chunk({ content: text });
  calls.forEach((call, index) => {
    body += chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
    const half = Math.ceil(call.args.length / 2);
    body += chunk({ tool_calls: [{ index, function: { arguments: call.args.slice(0, half) } }] });
    body += chunk({ tool_calls: [{ index, function: { arguments: call.args.slice(half) } }] });
  });
  body += chunk({}, finish);
  body += `data: ${JSON.stringify({ id: 'chatcmpl-review', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } })}\n\n`;
  return `${body}data: [DONE]\n\n`;
}

const DROP: ProposedCall = { id: 'call_drop', name: 'drop_table', args: '{"t":"users"}' };
const WEATHER: ProposedCall = { id: 'call_weather', name: 'get_weather', args: '{"city":"Paris"}' };
const TOOLS: ToolSchema[] = [
  { name: 'drop_table', description: 'Drop a table', parameters: { type: 'object', properties: { t: { type: 'string' } } } },
  { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
];

function serveStream(text: string, calls: readonly ProposedCall[]): void {
  replay.enqueue('/v1/chat/completions', { body: chatStream(text, calls), headers: { 'content-type': 'text/event-stream' }, chunkSize: 37 });
}

function kernelWith(options: ApprovalOptions): Kernel {
  const kernel = new Kernel().register('gpt', new OpenAIProvider({ apiKey: 'sk-test-review-0000', model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }));
  approval.apply(kernel, options);
  return kernel;
}

async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const toolEventsOf = (events: readonly StreamEvent[]): StreamEvent[] => events.filter((event) => event.type.startsWith('tool-call'));
const namesIn = (events: readonly StreamEvent[]): string[] => events.flatMap((event) => (event.type === 'tool-call-start' ? [event.name] : []));

describe('library inferStream: a denied tool call never streams out', () => {
  it('the denied call has no start, delta or end event; the allowed one streams whole; output() and done tell the truth', async () => {
    serveStream('Sure.', [DROP, WEATHER]);
    const stream = kernelWith({ tools: { drop_table: 'deny' } }).backend('gpt').inferStream([{ role: 'user', content: 'go' }], TOOLS);
    const events = await collect(stream);
    expect(JSON.stringify(events)).not.toContain('drop_table');
    expect(JSON.stringify(events)).not.toContain('users');
    expect(namesIn(events)).toEqual(['get_weather']);
    expect(toolEventsOf(events).map((event) => event.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-delta', 'tool-call-end']);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
    const output = await stream.output();
    expect(output.toolCalls?.map((call) => call.name)).toEqual(['get_weather']);
    expect(output.metadata.deniedToolCalls).toEqual([{ toolCall: expect.objectContaining({ name: 'drop_table', arguments: { t: 'users' } }), reason: expect.stringContaining('denied') }]);
  });

  it('when every call is denied the stream finishes with stop, not tool-calls', async () => {
    serveStream('', [DROP]);
    const stream = kernelWith({ tools: { drop_table: 'deny' } }).backend('gpt').inferStream([{ role: 'user', content: 'go' }], TOOLS);
    const events = await collect(stream);
    expect(toolEventsOf(events)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
    expect((await stream.output()).finishReason).toBe('stop');
  });

  it('"ask": the call is held until the approver allows it, text goes on meanwhile, then the call streams', async () => {
    const log: string[] = [];
    const approver: Approver = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      log.push(`approved ${request.kind === 'tool-call' ? request.toolCall.name : ''}`);
      return { decision: 'approve' };
    };
    serveStream('Let me look.', [WEATHER]);
    const stream = kernelWith({ tools: { get_weather: 'ask' }, approver }).backend('gpt').inferStream([{ role: 'user', content: 'go' }], TOOLS);
    for await (const event of stream) log.push(event.type);
    expect(log).toEqual(['text-delta', 'approved get_weather', 'tool-call-start', 'tool-call-delta', 'tool-call-delta', 'tool-call-end', 'done']);
  });

  it('"ask" answered with modify: the call goes out once, with the new arguments, as one delta', async () => {
    serveStream('', [WEATHER]);
    const approver: Approver = () => ({ decision: 'modify', arguments: { city: 'Lyon' } });
    const stream = kernelWith({ tools: { get_weather: 'ask' }, approver }).backend('gpt').inferStream([{ role: 'user', content: 'go' }], TOOLS);
    const events = await collect(stream);
    expect(toolEventsOf(events)).toEqual([
      { type: 'tool-call-start', id: 'call_weather', name: 'get_weather', index: 0 },
      { type: 'tool-call-delta', id: 'call_weather', argumentsDelta: '{"city":"Lyon"}' },
      { type: 'tool-call-end', id: 'call_weather', toolCall: { id: 'call_weather', name: 'get_weather', arguments: { city: 'Lyon' }, rawArguments: '{"city":"Lyon"}' } },
    ]);
  });

  it('infer (not streamed): no call left means finishReason stop', async () => {
    replay.enqueue('/v1/chat/completions', {
      body: JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: DROP.id, type: 'function', function: { name: DROP.name, arguments: DROP.args } }] } }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
      headers: { 'content-type': 'application/json' },
    });
    const output = await kernelWith({ tools: { drop_table: 'deny' } }).backend('gpt').infer([{ role: 'user', content: 'go' }], TOOLS);
    expect(output.toolCalls).toBeUndefined();
    expect(output.finishReason).toBe('stop');
    expect(output.metadata.deniedToolCalls).toHaveLength(1);
  });
});

describe('agent runStream: a denied tool is never run and never shown', () => {
  it('the handler does not run, no tool-call event names it, and the model is told of the denial', async () => {
    serveStream('', [DROP]);
    replay.enqueue('/v1/chat/completions', { body: chatStream('I may not do that.', []), headers: { 'content-type': 'text/event-stream' } });
    let ran = 0;
    const agent = new AgentBuilder()
      .backend(kernelWith({ tools: { drop_table: 'deny' } }).backend('gpt'))
      .tool('drop_table', 'Drop a table', { type: 'object', properties: { t: { type: 'string' } } }, () => {
        ran += 1;
        return 'dropped';
      })
      .build();
    const events: { type: string }[] = [];
    for await (const event of agent.runStream('drop users')) events.push(event);
    expect(ran).toBe(0);
    expect(events.some((event) => event.type.startsWith('tool-call'))).toBe(false);
    const second = replay.requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(second.messages.find((message) => message.role === 'tool')?.content).toContain('denied');
  });
});

describe('gateway SSE through the official openai client', () => {
  async function client(options: ApprovalOptions): Promise<OpenAI> {
    const gateway = createGateway({ port: 0, env: {}, kernel: kernelWith(options) });
    gateways.push(gateway);
    const { url } = await gateway.listen();
    return new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
  }
  const tools: OpenAI.ChatCompletionTool[] = TOOLS.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'go' }];

  async function rawChunks(openai: OpenAI): Promise<OpenAI.ChatCompletionChunk[]> {
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt', messages, tools, stream: true })) chunks.push(chunk);
    return chunks;
  }

  it('a denied tool never appears in the SSE; the allowed one still streams', async () => {
    serveStream('Sure.', [DROP, WEATHER]);
    const chunks = await rawChunks(await client({ tools: { drop_table: 'deny' } }));
    expect(JSON.stringify(chunks)).not.toContain('drop_table');
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls.filter((call) => call.function?.name).map((call) => call.function?.name)).toEqual(['get_weather']);
    expect(chunks.flatMap((chunk) => (chunk.choices[0]?.finish_reason ? [chunk.choices[0].finish_reason] : []))).toEqual(['tool_calls']);
  });

  it('only denied calls: finish_reason is stop and there are no tool_calls', async () => {
    serveStream('', [DROP]);
    const completion = await (await client({ tools: { drop_table: 'deny' } })).chat.completions.stream({ model: 'gpt', messages, tools }).finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls ?? []).toEqual([]);
  });

  it('"ask" with a code approver that allows after 200 ms: the call streams once allowed', async () => {
    serveStream('', [WEATHER]);
    const approver: Approver = () => new Promise((resolve) => setTimeout(() => resolve({ decision: 'approve' }), 200));
    const completion = await (await client({ tools: { get_weather: 'ask' }, approver })).chat.completions.stream({ model: 'gpt', messages, tools }).finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && call.function.name)).toEqual(['get_weather']);
  });

  it('not streamed: the denied call is gone and finish_reason is stop', async () => {
    replay.enqueue('/v1/chat/completions', {
      body: JSON.stringify({
        id: 'chatcmpl-2',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: DROP.id, type: 'function', function: { name: DROP.name, arguments: DROP.args } }] } }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
      headers: { 'content-type': 'application/json' },
    });
    const completion = await (await client({ tools: { drop_table: 'deny' } })).chat.completions.create({ model: 'gpt', messages, tools });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.stringify(completion)).not.toContain('drop_table');
  });
});
