import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentBuilder, type AgentEvent } from '../core/agent.js';
import { uniqueToolCallIds } from '../core/agent-tool-call-ids.js';
import { messageProblems } from '../core/validate-messages.js';
import { bodies, localBackend, textAnswer, textStream, toolCallsAnswer, toolCallsStream } from './agent-tools-helpers.js';
import { ReplayServer } from './replay-server.js';

const PATH = '/v1/chat/completions';
const numberSchema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };

describe('duplicate and missing tool-call ids are made unique before any tool runs (real HTTP)', () => {
  const server = new ReplayServer();
  beforeAll(async () => void (await server.start()));
  afterAll(async () => server.stop());
  afterEach(() => void server.requests.splice(0));

  function echoAgent(ran: number[]) {
    return new AgentBuilder()
      .backend(localBackend(server))
      .tool('echo', 'echo a number', numberSchema, ({ n }) => (ran.push(Number(n)), `echo ${String(n)}`))
      .build();
  }

  it('two calls with the same id: each runs once, the next request is valid and each result answers one call', async () => {
    server.enqueue(PATH, toolCallsAnswer([{ id: 'call_0', name: 'echo', arguments: '{"n":1}' }, { id: 'call_0', name: 'echo', arguments: '{"n":2}' }]));
    server.enqueue(PATH, textAnswer('1 and 2'));
    const ran: number[] = [];

    const result = await echoAgent(ran).run('go');

    expect(result.content).toBe('1 and 2');
    expect(ran.sort()).toEqual([1, 2]);
    const second = bodies(server)[1].messages;
    expect(second.at(-3)?.tool_calls?.map((call) => call.id)).toEqual(['call_0', 'call_0_2']);
    expect(second.slice(-2).map((message) => [message.tool_call_id, message.content])).toEqual([
      ['call_0', 'echo 1'],
      ['call_0_2', 'echo 2'],
    ]);
    expect(result.steps[0].output.toolCalls?.map((call) => call.id)).toEqual(['call_0', 'call_0_2']);
    expect(messageProblems(result.messages)).toEqual([]);
  });

  it('a server that reuses call_0 on every turn, or sends no id: unique across the conversation', async () => {
    server.enqueue(PATH, toolCallsAnswer([{ id: 'call_0', name: 'echo', arguments: '{"n":1}' }]));
    server.enqueue(PATH, toolCallsAnswer([{ id: 'call_0', name: 'echo', arguments: '{"n":2}' }]));
    server.enqueue(PATH, toolCallsAnswer([{ name: 'echo', arguments: '{"n":3}' }]));
    server.enqueue(PATH, textAnswer('done'));

    const result = await echoAgent([]).run('go');

    expect(result.content).toBe('done');
    expect(server.requests).toHaveLength(4);
    const last = bodies(server)[3].messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id);
    expect(last).toEqual(['call_0', 'call_0_2', 'call_0_3']);
    expect(messageProblems(result.messages)).toEqual([]);
  });

  it('the same when streaming: tool-start events carry the unique ids', async () => {
    server.enqueue(PATH, toolCallsStream([{ id: 'dup', name: 'echo', arguments: '{"n":1}' }, { id: 'dup', name: 'echo', arguments: '{"n":2}' }]));
    server.enqueue(PATH, textStream('ok'));
    const starts: string[] = [];
    for await (const event of echoAgent([]).runStream('go') as AsyncIterable<AgentEvent>) if (event.type === 'tool-start') starts.push(event.toolCall.id);

    expect(starts).toEqual(['dup', 'dup_2']);
    expect(bodies(server)[1].messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id)).toEqual(['dup', 'dup_2']);
  });

  it('continuing from history keeps clear of the ids it already used', async () => {
    server.enqueue(PATH, toolCallsAnswer([{ id: 'call_0', name: 'echo', arguments: '{"n":1}' }]));
    server.enqueue(PATH, textAnswer('again'));
    const history = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: '', toolCalls: [{ id: 'call_0', name: 'echo', arguments: { n: 0 }, rawArguments: '{"n":0}' }] },
      { role: 'tool' as const, toolCallId: 'call_0', name: 'echo', content: 'echo 0' },
      { role: 'assistant' as const, content: 'zero' },
    ];

    const result = await echoAgent([]).run('second', { history });

    expect(result.steps[0].toolResults[0].toolCall.id).toBe('call_0_2');
    expect(messageProblems(result.messages)).toEqual([]);
  });
});

describe('uniqueToolCallIds', () => {
  it('is deterministic: missing ids become call_<position>, taken ones get the first free suffix', () => {
    const call = (id: string) => ({ id, name: 't', arguments: {}, rawArguments: '' });
    const used = new Set(['a', 'a_2']);
    expect(uniqueToolCallIds([call('a'), call(''), call('b'), call('b')], used).map((c) => c.id)).toEqual(['a_3', 'call_1', 'b', 'b_2']);
    expect([...used]).toEqual(['a', 'a_2', 'a_3', 'call_1', 'b', 'b_2']);
  });
});
