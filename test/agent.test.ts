import { describe, expect, it } from 'vitest';
import { AgentBuilder, type AgentEvent } from '../core/agent.js';
import { Kernel } from '../core/kernel.js';
import { MaxIterationsError } from '../core/errors.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

function weatherAgent(mock: MockBackend, maxIterations = 5) {
  const kernel = new Kernel().register('mock', mock);
  return new AgentBuilder()
    .name('weather')
    .backend(kernel.backend('mock'))
    .systemPrompt('You report the weather.')
    .tool('get_weather', 'Weather for a city', weatherSchema, ({ city }) => ({ city, tempC: 18 }))
    .maxIterations(maxIterations)
    .build();
}

describe('agent loop', () => {
  it('runs model → tool → model until an answer, with every step, total usage and cost', async () => {
    const mock = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Paris' }, 'call_1'), MockResponse.text('It is 18°C in Paris.')] });
    const result = await weatherAgent(mock).run('Weather in Paris?');
    expect(result.content).toBe('It is 18°C in Paris.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolResults[0]).toMatchObject({ content: '{"city":"Paris","tempC":18}', isError: false });
    expect(result.tokenUsage.totalTokens).toBe(result.steps[0].output.tokenUsage.totalTokens + result.steps[1].output.tokenUsage.totalTokens);
    expect(result.costUsd).toBeCloseTo((result.steps[0].output.metadata.costUsd ?? 0) + (result.steps[1].output.metadata.costUsd ?? 0), 12);
    const second = mock.calls[1].messages!;
    expect(second.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(second[3]).toMatchObject({ role: 'tool', toolCallId: 'call_1', name: 'get_weather' });
  });

  it('runs independent tool calls concurrently and answers in the order asked', async () => {
    const started: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const mock = new MockBackend({
      responses: [
        MockResponse.toolCalls([
          { name: 'slow', arguments: { n: 1 }, id: 'a' },
          { name: 'slow', arguments: { n: 2 }, id: 'b' },
        ]),
        MockResponse.text('done'),
      ],
    });
    const agent = new AgentBuilder()
      .backend(new Kernel().register('m', mock).backend('m'))
      .tool('slow', 'slow', { type: 'object' }, async ({ n }) => {
        started.push(String(n));
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, n === 1 ? 20 : 5));
        inFlight -= 1;
        return `r${n}`;
      })
      .build();
    const result = await agent.run('go');
    expect(maxInFlight).toBe(2);
    expect(result.steps[0].toolResults.map((r) => r.content)).toEqual(['r1', 'r2']);
  });

  it('feeds tool errors, unknown tools and invalid arguments back to the model as tool results', async () => {
    const mock = new MockBackend({
      responses: [
        MockResponse.toolCalls([
          { name: 'boom', arguments: {}, id: 'a' },
          { name: 'nope', arguments: {}, id: 'b' },
          { name: 'get_weather', arguments: { town: 'x' }, id: 'c' },
        ]),
        MockResponse.text('recovered'),
      ],
    });
    const agent = new AgentBuilder()
      .backend(mock)
      .tool('boom', 'throws', { type: 'object' }, () => {
        throw new Error('disk on fire');
      })
      .tool('get_weather', 'w', weatherSchema, () => 'sunny')
      .build();
    const result = await agent.run('go');
    const [boom, nope, bad] = result.steps[0].toolResults;
    expect(boom).toMatchObject({ isError: true, content: 'Error: disk on fire' });
    expect(nope.content).toMatch(/no tool named "nope". Available tools: boom, get_weather/);
    expect(bad.content).toMatch(/invalid arguments for "get_weather"/);
    expect(mock.calls[1].messages!.filter((m) => m.role === 'tool').every((m) => m.isError)).toBe(true);
    expect(result.content).toBe('recovered');
  });

  it('sends approval denials back as denied tool results, never executing them', async () => {
    let executed = 0;
    const mock = new MockBackend({ responses: [MockResponse.toolCall('delete_file', { path: '/' }, 'd1'), MockResponse.text('ok, I will not')] });
    const kernel = new Kernel().register('m', mock);
    kernel.hooks.afterInfer.tap('deny-all', (output) =>
      output.toolCalls
        ? { ...output, toolCalls: undefined, metadata: { ...output.metadata, deniedToolCalls: output.toolCalls.map((toolCall) => ({ toolCall, reason: 'too dangerous' })) } }
        : output,
    );
    const agent = new AgentBuilder()
      .backend(kernel.backend('m'))
      .tool('delete_file', 'rm', { type: 'object' }, () => void executed++)
      .build();
    const result = await agent.run('clean up');
    expect(executed).toBe(0);
    expect(result.steps[0].toolResults[0]).toMatchObject({ denied: true, isError: true, content: 'Tool call denied by approval policy: too dangerous' });
    expect(result.content).toBe('ok, I will not');
  });

  it('stops at maxIterations with a typed error, but an answer on the last iteration is an answer', async () => {
    const looping = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Paris' })] });
    await expect(weatherAgent(looping, 3).run('loop')).rejects.toBeInstanceOf(MaxIterationsError);
    expect(looping.callCount).toBe(3);
    const lastMinute = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Paris' }), MockResponse.text('made it')] });
    expect((await weatherAgent(lastMinute, 2).run('x')).content).toBe('made it');
  });

  it('rejects a tool with an invalid JSON schema when built', () => {
    expect(() => new AgentBuilder().backend(new MockBackend()).tool('bad', 'bad', { type: 'not-a-type' }, () => 1).build()).toThrow(/invalid JSON schema/);
  });
});

describe('agent streaming', () => {
  it('yields every step’s stream events plus tool start/finish and the final result', async () => {
    const mock = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Oslo' }, 'c1'), MockResponse.text('Cold in Oslo today.')] });
    const events: AgentEvent[] = [];
    for await (const event of weatherAgent(mock).runStream('Oslo?')) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'done')).toHaveLength(2);
    expect(types.indexOf('tool-start')).toBeGreaterThan(types.indexOf('tool-call-end'));
    expect(types.indexOf('tool-finish')).toBeGreaterThan(types.indexOf('tool-start'));
    expect(types.at(-1)).toBe('agent-finish');
    const text = events.filter((event) => event.type === 'text-delta' && event.iteration === 2).map((event) => (event as { text: string }).text).join('');
    expect(text).toBe('Cold in Oslo today.');
  });

  it('with stream: false calls infer and passes each step on as events once it is complete', async () => {
    const mock = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Oslo' }, 'c1'), MockResponse.text('Cold in Oslo today.')] });
    const events: AgentEvent[] = [];
    for await (const event of weatherAgent(mock).runStream('Oslo?', { stream: false })) events.push(event);
    expect(mock.calls.map((call) => call.operation)).toEqual(['infer', 'infer']);
    const types = events.map((event) => event.type);
    expect(types).toEqual([
      'tool-call-start', 'tool-call-delta', 'tool-call-end', 'done', 'tool-start', 'tool-finish', 'step-finish',
      'text-delta', 'done', 'step-finish', 'agent-finish',
    ]);
    expect(events.find((event) => event.type === 'text-delta')).toMatchObject({ text: 'Cold in Oslo today.', iteration: 2 });
  });
});
