// A Responses conversation continued with previous_response_id across providers: the gateway keeps
// it in its state store in the kernel's terms, so a fallback group can answer a later turn from a
// chat-only backend of another provider. Real HTTP: the official openai client → gateway → a
// loopback upstream speaking OpenAI Chat Completions and Anthropic Messages, recording each request.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { registerGroup } from '../../core/routing/index.js';
import { MemoryStateStore } from '../../core/store/index.js';
import approval from '../../plugins/approval/index.js';
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

function chatCompletion(text: string): string {
  return JSON.stringify({
    id: 'chatcmpl-turn',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25, prompt_tokens_details: { cached_tokens: 8 } },
  });
}

function anthropicMessage(text: string): string {
  return JSON.stringify({
    id: 'msg_turn',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    usage: { input_tokens: 30, output_tokens: 6, cache_read_input_tokens: 10, cache_creation_input_tokens: 0 },
  });
}

const json = { 'content-type': 'application/json' };

async function serve(kernel: Kernel, extra: { responsesTtlMs?: number } = {}): Promise<OpenAI> {
  const gateway = createGateway({ kernel, port: 0, env: {}, ...extra });
  gateways.push(gateway);
  const address = await gateway.listen();
  return new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: `${address.url}/v1`, maxRetries: 0 });
}

function teamKernel(): Kernel {
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-test-conversation-0000', model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }))
    .register('claude', new AnthropicProvider({ apiKey: 'sk-ant-test-conv-0', model: 'claude-haiku-4-5', baseURL: `${replay.baseURL}/v1` }));
  registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['gpt', 'claude'] });
  return kernel;
}

const bodies = (path: string): Record<string, unknown>[] => replay.requests.filter((request) => request.path === path).map((request) => request.body as Record<string, unknown>);

describe('previous_response_id continues a conversation, whoever answers', () => {
  it('three turns over a fallback group: turn 2 from Anthropic (the second target), turns 1 and 3 from OpenAI, each upstream seeing the whole conversation', async () => {
    const client = await serve(teamKernel());
    replay.enqueue('/v1/chat/completions', { body: chatCompletion('Paris.'), headers: json });
    const first = await client.responses.create({ model: 'team', instructions: 'Answer in one word.', input: 'Capital of France?' });
    expect(first.output_text).toBe('Paris.');
    expect(first.usage).toMatchObject({ input_tokens: 20, input_tokens_details: { cached_tokens: 8 }, output_tokens: 5, total_tokens: 25 });

    replay.enqueue('/v1/chat/completions', { status: 503, body: JSON.stringify({ error: { message: 'The server is overloaded.', type: 'server_error' } }), headers: json });
    replay.enqueue('/v1/messages', { body: anthropicMessage('Berlin.'), headers: json });
    const { data: second, response } = await client.responses.create({ model: 'team', previous_response_id: first.id, input: 'And Germany?' }).withResponse();
    expect(second.output_text).toBe('Berlin.');
    expect(response.headers.get('x-hyperagent-answered-by')).toBe('claude');
    expect(second.previous_response_id).toBe(first.id);
    expect(second.usage?.input_tokens_details.cached_tokens).toBe(10);

    replay.enqueue('/v1/chat/completions', { body: chatCompletion('Rome.'), headers: json });
    const third = await client.responses.create({ model: 'team', previous_response_id: second.id, input: 'And Italy?' });
    expect(third.output_text).toBe('Rome.');

    const [claude] = bodies('/v1/messages');
    // The instructions of turn 1 do not carry over (OpenAI's rule); the conversation does.
    expect(claude.system).toBeUndefined();
    expect(claude.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Paris.' }] },
      { role: 'user', content: [{ type: 'text', text: 'And Germany?' }] },
    ]);
    const chats = bodies('/v1/chat/completions');
    expect(chats).toHaveLength(3);
    expect(chats[0].messages).toEqual([
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(chats[2].messages).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And Germany?' },
      { role: 'assistant', content: 'Berlin.' },
      { role: 'user', content: 'And Italy?' },
    ]);
    expect((await client.responses.retrieve(second.id)).output_text).toBe('Berlin.');
  });

  it('a stored streamed response continues too, and store: false is not kept', async () => {
    const client = await serve(teamKernel());
    replay.enqueue('/v1/chat/completions', {
      body: `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: 'Par' }, finish_reason: null }] })}\n\ndata: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'is.' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
      headers: { 'content-type': 'text/event-stream' },
    });
    const streamed = await client.responses.stream({ model: 'gpt', input: 'Capital of France?' }).finalResponse();
    expect(streamed.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: 'Paris.' }] }]);
    replay.enqueue('/v1/chat/completions', { body: chatCompletion('Berlin.'), headers: json });
    const next = await client.responses.create({ model: 'gpt', previous_response_id: streamed.id, input: 'And Germany?', store: false });
    expect(bodies('/v1/chat/completions')[1].messages).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And Germany?' },
    ]);
    const error = await client.responses.retrieve(next.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('unknown and expired ids are typed errors, with nothing sent upstream', () => {
  it('an unknown previous_response_id is a 400 naming the field', async () => {
    const client = await serve(teamKernel());
    const error = await client.responses.create({ model: 'gpt', previous_response_id: 'resp_nope', input: 'Hi' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('previous_response_id');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('previous_response_not_found');
    expect(replay.requests).toEqual([]);
  });

  it('an expired one too (the kernel store on a fake clock), and GET says 404', async () => {
    let now = 1_000_000;
    const kernel = teamKernel();
    // The gateway takes the kernel's store when it has one.
    Object.assign(kernel, { store: new MemoryStateStore({ clock: { now: () => now } }) });
    const client = await serve(kernel, { responsesTtlMs: 60_000 });
    replay.enqueue('/v1/chat/completions', { body: chatCompletion('Paris.'), headers: json });
    const first = await client.responses.create({ model: 'gpt', input: 'Capital of France?' });
    now += 60_001;
    const error = await client.responses.create({ model: 'gpt', previous_response_id: first.id, input: 'And Germany?' }).catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect((await client.responses.retrieve(first.id).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.NotFoundError>).toBeInstanceOf(OpenAI.NotFoundError);
    expect(replay.requests).toHaveLength(1);
  });
});

describe('the plugins apply to /v1/responses', () => {
  it('a denied tool call never reaches a Responses stream; the allowed one does', async () => {
    const kernel = teamKernel();
    approval.apply(kernel, { tools: { drop_table: 'deny' } });
    const client = await serve(kernel);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    replay.enqueue('/v1/chat/completions', {
      body:
        chunk({ role: 'assistant', content: '' }) +
        chunk({ tool_calls: [{ index: 0, id: 'call_drop', type: 'function', function: { name: 'drop_table', arguments: '{"t":"users"}' } }] }) +
        chunk({ tool_calls: [{ index: 1, id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }) +
        chunk({}, 'tool_calls') +
        'data: [DONE]\n\n',
      headers: { 'content-type': 'text/event-stream' },
    });
    const tools = ['drop_table', 'get_weather'].map((name) => ({ type: 'function' as const, name, parameters: { type: 'object', properties: {} }, strict: false }));
    const stream = await client.responses.create({ model: 'gpt', input: 'go', tools, stream: true });
    const seen: string[] = [];
    for await (const event of stream) seen.push(JSON.stringify(event));
    // Only the request's own tool list, echoed in the response object, names it.
    const outputs = seen.map((text) => JSON.parse(text) as { response?: { output: unknown } }).map((event) => JSON.stringify(event.response ? event.response.output : event));
    expect(outputs.join('\n')).not.toContain('drop_table');
    expect(outputs.join('\n')).not.toContain('users');
    const completed = JSON.parse(seen.at(-1)!) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.output.filter((item) => item.type === 'function_call').map((item) => (item as OpenAI.Responses.ResponseFunctionToolCall).name)).toEqual(['get_weather']);
  });
});
