import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentBuilder, type AgentEvent } from '../core/agent.js';
import { MaxIterationsError } from '../core/errors.js';
import { bodies, localBackend, textAnswer, textStream, toolCallsAnswer, toolCallsStream } from './agent-tools-helpers.js';
import { ReplayServer } from './replay-server.js';

const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const PATH = '/v1/chat/completions';

describe('tool-call mistakes go back to the model as tool errors (real HTTP)', () => {
  const server = new ReplayServer();
  beforeAll(async () => void (await server.start()));
  afterAll(async () => server.stop());
  afterEach(() => void server.requests.splice(0));

  function weatherAgent(ran: string[], maxIterations = 5) {
    return new AgentBuilder()
      .backend(localBackend(server))
      .tool('get_weather', 'Weather for a city', citySchema, ({ city }) => (ran.push(String(city)), `sunny in ${String(city)}`))
      .maxIterations(maxIterations)
      .build();
  }

  it('arguments that are not JSON ({"a": ) are a tool error, then the model calls again', async () => {
    server.enqueue(PATH, toolCallsAnswer([{ id: 'bad', name: 'get_weather', arguments: '{"a": ' }]));
    server.enqueue(PATH, toolCallsAnswer([{ id: 'good', name: 'get_weather', arguments: '{"city":"Oslo"}' }]));
    server.enqueue(PATH, textAnswer('Sunny in Oslo.'));
    const ran: string[] = [];

    const result = await weatherAgent(ran).run('Weather in Oslo?');

    expect(result.content).toBe('Sunny in Oslo.');
    expect(ran).toEqual(['Oslo']);
    expect(result.steps[0].toolResults[0]).toMatchObject({ isError: true, toolCall: { id: 'bad', name: 'get_weather', arguments: {} } });
    expect(result.steps[0].toolResults[0].content).toMatch(/arguments for "get_weather" are not a JSON object: \{"a": \. Nothing from that answer was run/);
    const second = bodies(server)[1].messages;
    expect(second.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'bad', function: { name: 'get_weather', arguments: '{}' } }] });
    expect(second.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'bad', content: expect.stringContaining('not a JSON object') });
  });

  it('the same when streaming: no error event, a tool-finish with the error, then the answer', async () => {
    server.enqueue(PATH, toolCallsStream([{ id: 'bad', name: 'get_weather', arguments: '{"a": ' }]));
    server.enqueue(PATH, textStream('I could not call it.'));
    const events: AgentEvent[] = [];
    for await (const event of weatherAgent([]).runStream('Weather?')) events.push(event);

    expect(events.map((event) => event.type)).not.toContain('error');
    const finish = events.find((event) => event.type === 'tool-finish');
    expect(finish).toMatchObject({ iteration: 1, result: { isError: true, content: expect.stringContaining('not a JSON object') } });
    expect(events.at(-1)).toMatchObject({ type: 'agent-finish', result: { content: 'I could not call it.' } });
  });

  it('unknown tools and arguments that fail the schema are tool errors, over the wire', async () => {
    server.enqueue(PATH, toolCallsAnswer([{ id: 'u', name: 'get_wether', arguments: '{"city":"Rome"}' }, { id: 's', name: 'get_weather', arguments: '{"town":"Rome"}' }]));
    server.enqueue(PATH, textAnswer('recovered'));
    const ran: string[] = [];

    const result = await weatherAgent(ran).run('Rome?');

    expect(ran).toEqual([]);
    const tools = bodies(server)[1].messages.filter((message) => message.role === 'tool');
    expect(tools.map((message) => message.tool_call_id)).toEqual(['u', 's']);
    expect(tools[0].content).toMatch(/no tool named "get_wether". Available tools: get_weather/);
    expect(tools[1].content).toMatch(/invalid arguments for "get_weather"/);
    expect(result.content).toBe('recovered');
  });

  it('broken arguments count toward maxIterations: a model that never fixes them ends with MaxIterationsError', async () => {
    for (let index = 0; index < 3; index += 1) server.enqueue(PATH, toolCallsAnswer([{ id: `b${index}`, name: 'get_weather', arguments: '{"a": ' }]));

    await expect(weatherAgent([], 3).run('loop')).rejects.toBeInstanceOf(MaxIterationsError);
    expect(server.requests).toHaveLength(3);
  });
});
