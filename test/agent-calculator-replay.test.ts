// The seed's calculator agent on the MockBackend, and the same loop against the OpenAI provider
// served by the replay server (recorded tool call, then recorded answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentBuilder } from '../core/agent.js';
import { Kernel } from '../core/kernel.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import { calculate, formatNumber } from '../cli/calculate.js';
import { ReplayServer } from './replay-server.js';
import { FAKE_OPENAI_KEY, fixtureJson } from './providers/openai-style-helpers.js';

const expressionSchema = {
  type: 'object',
  properties: { expression: { type: 'string', description: 'An arithmetic expression, e.g. "2 + 3 * 4".' } },
  required: ['expression'],
  additionalProperties: false,
};

describe('the seed calculator agent (MockBackend)', () => {
  it('calls calculate with "2 + 3 * 4", runs the real arithmetic, and answers with 14', async () => {
    const mock = new MockBackend({
      responses: [
        MockResponse.toolCall('calculate', { expression: '2 + 3 * 4' }, 'call_calc_1'),
        MockResponse.text('The answer is {{lastToolResult}}.'),
      ],
    });
    const ran: string[] = [];
    const agent = new AgentBuilder()
      .name('calculator')
      .backend(new Kernel().register('mock', mock).backend('mock'))
      .systemPrompt('You are a calculator. Use the calculate tool.')
      .tool('calculate', 'Evaluate an arithmetic expression', expressionSchema, ({ expression }) => {
        ran.push(String(expression));
        return formatNumber(calculate(String(expression)));
      })
      .maxIterations(3)
      .build();

    const result = await agent.run('What is 2 + 3 * 4?');

    expect(ran).toEqual(['2 + 3 * 4']);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolResults).toEqual([
      expect.objectContaining({ content: '14', isError: false, denied: false, toolCall: expect.objectContaining({ id: 'call_calc_1', name: 'calculate' }) }),
    ]);
    expect(result.content).toBe('The answer is 14.');
    // The tool result reached the model as a tool message.
    expect(mock.calls[1].messages!.at(-1)).toMatchObject({ role: 'tool', toolCallId: 'call_calc_1', content: '14' });
    expect(mock.calls[0].tools!.map((tool) => tool.name)).toEqual(['calculate']);
  });
});

describe('the agent loop against the OpenAI provider on the replay server', () => {
  const replay = new ReplayServer();
  beforeAll(async () => {
    await replay.start();
  });
  afterAll(async () => {
    await replay.stop();
  });

  it('runs the recorded tool call, sends its result back, and returns the recorded answer', async () => {
    const recordedCall = fixtureJson('openai/chat-completion-tool-calls.json').choices[0].message.tool_calls[0];
    const recordedAnswer = fixtureJson('openai/chat-completion-text.json').choices[0].message.content as string;
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-tool-calls.json' });
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const provider = new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` });
    const seen: unknown[] = [];
    const agent = new AgentBuilder()
      .backend(new Kernel().register('gpt', provider).backend('gpt'))
      .tool(
        recordedCall.function.name,
        'Current weather for a location',
        { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        (args) => {
          seen.push(args);
          return { location: args.location, temperatureC: 21 };
        },
      )
      .build();

    const result = await agent.run('What is the weather in Boston?');

    expect(seen).toEqual([{ location: 'Boston' }]);
    expect(result.content).toBe(recordedAnswer);
    expect(result.steps).toHaveLength(2);
    expect(result.tokenUsage).toMatchObject({ promptTokens: 81 + 13, completionTokens: 14 + 31 });
    expect(replay.requests).toHaveLength(2);
    const [first, second] = replay.requests.map((request) => request.body as { messages: Record<string, unknown>[]; tools?: { function: { name: string } }[] });
    expect(first.tools?.map((tool) => tool.function.name)).toEqual([recordedCall.function.name]);
    expect(second.messages.slice(-2)).toEqual([
      expect.objectContaining({ role: 'assistant', tool_calls: [expect.objectContaining({ id: recordedCall.id, function: expect.objectContaining({ name: recordedCall.function.name }) })] }),
      expect.objectContaining({ role: 'tool', tool_call_id: recordedCall.id, content: '{"location":"Boston","temperatureC":21}' }),
    ]);
  });
});
