import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { InferenceStream, LLMMessage, StreamEvent, ToolSchema } from '../core/types.js';
import { createMockBackend, MOCK_TEMPLATE_NAMES, MockBackend, MockResponse, mockOptionsSchema, renderMockTemplate } from '../plugins/mock/index.js';

const user = (content: string): LLMMessage => ({ role: 'user', content });
const assistant = (content: string): LLMMessage => ({ role: 'assistant', content });
const clockTool: ToolSchema = { name: 'get_current_time', description: 'The time in a zone', parameters: { type: 'object', properties: { timezone: { type: 'string' } } } };

async function streamedText(stream: InferenceStream): Promise<string> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

/** The conversation after the mock's tool call: the assistant turn and the tool's result. */
function afterToolCall(question: string, result: string): LLMMessage[] {
  const toolCall = { id: 'call_1', name: 'get_current_time', arguments: { timezone: 'Asia/Tokyo' }, rawArguments: '{"timezone":"Asia/Tokyo"}' };
  return [user(question), { role: 'assistant', content: '', toolCalls: [toolCall] }, { role: 'tool', content: result, toolCallId: 'call_1', name: 'get_current_time' }];
}

describe('response templates', () => {
  it('{{lastToolResult}} quotes the tool result the answer follows', async () => {
    const backend = new MockBackend({ patterns: [{ role: 'tool', response: { text: 'It is {{lastToolResult}}.' } }] });
    const output = await backend.infer(afterToolCall('What time is it in Tokyo?', '18:23 in Asia/Tokyo'), [clockTool]);
    expect(output.content).toBe('It is 18:23 in Asia/Tokyo.');
  });

  it('{{lastUserMessage}} and {{previousUserMessage}} quote the conversation; the latter is empty on the first turn', async () => {
    const backend = new MockBackend({ defaultResponse: { text: 'now: {{lastUserMessage}} | before: {{ previousUserMessage }}' } });
    expect((await backend.infer([user('first')])).content).toBe('now: first | before: ');
    expect((await backend.infer([user('first'), assistant('ok'), user('second')])).content).toBe('now: second | before: first');
  });

  it('are filled in per call, in streams too, and the usage counts the text that was sent', async () => {
    const backend = new MockBackend({ defaultResponse: { text: 'You said {{lastUserMessage}}' }, streamChunkSize: 1 });
    expect(await streamedText(backend.inferStream([user('a rather long sentence to quote back')]))).toBe('You said a rather long sentence to quote back');
    const short = await backend.infer([user('x')]);
    const long = await backend.infer([user('x'.repeat(400))]);
    expect(long.tokenUsage.completionTokens - short.tokenUsage.completionTokens).toBe(100);
  });

  it('work in builder responses, and unknown placeholders in them stay as written', async () => {
    const backend = new MockBackend().addResponse(MockResponse.text('{{lastUserMessage}} / {{notATemplate}}'));
    expect((await backend.infer([user('hi')])).content).toBe('hi / {{notATemplate}}');
    expect(renderMockTemplate('no placeholders', [])).toBe('no placeholders');
    expect(renderMockTemplate('{{lastToolResult}}', [user('no tool yet')])).toBe('');
  });

  it('a misspelt template in a scripted response is a TypeError that names it and lists the real ones', () => {
    expect(MOCK_TEMPLATE_NAMES).toEqual(['lastUserMessage', 'previousUserMessage', 'lastToolResult']);
    expect(() => new MockBackend({ defaultResponse: { text: 'It is {{lastToolResults}}.' } })).toThrow(
      /defaultResponse: `text` uses the unknown template \{\{lastToolResults\}\}; the templates are \{\{lastUserMessage\}\}, \{\{previousUserMessage\}\}, \{\{lastToolResult\}\}/,
    );
    expect(() => new MockBackend({ responses: [{ text: 'x', reasoning: '{{why}}' }] })).toThrow(/responses\[0\]: `reasoning` uses the unknown template \{\{why\}\}/);
  });
});

describe('pattern roles', () => {
  const patterns = [
    { role: 'user' as const, regex: '\\btime\\b', flags: 'i', response: { toolCall: { name: 'get_current_time', arguments: { timezone: 'Asia/Tokyo' } } } },
    { role: 'tool' as const, response: { text: 'It is {{lastToolResult}}.' } },
  ];

  it('a user-role pattern is not matched again by the result of the tool call it made', async () => {
    const backend = new MockBackend({ patterns });
    const first = await backend.infer([user('What time is it?')], [clockTool]);
    expect(first.toolCalls?.[0]).toMatchObject({ name: 'get_current_time', arguments: { timezone: 'Asia/Tokyo' } });
    // The tool result mentions "time" too: without the role the first pattern would call the tool forever.
    const second = await backend.infer(afterToolCall('What time is it?', 'the time is 18:23'), [clockTool]);
    expect(second.toolCalls).toBeUndefined();
    expect(second.content).toBe('It is the time is 18:23.');
  });

  it('a text pattern with a role needs both; a pattern without a role matches any last message', async () => {
    const backend = new MockBackend({ patterns: [{ role: 'assistant', contains: 'x', response: 'assistant x' }, { contains: 'x', response: 'any x' }] });
    expect((await backend.infer([user('x')])).content).toBe('any x');
    expect((await backend.infer([user('q'), assistant('x')])).content).toBe('assistant x');
  });

  it('a bad role, or a pattern with nothing to match, is a TypeError naming the pattern', () => {
    expect(() => new MockBackend({ patterns: [{ role: 'robot' as never, response: 'x' }] })).toThrow(/patterns\[0\]\.role: expected one of system, user, assistant, tool, received "robot"/);
    expect(() => new MockBackend({ patterns: [{ response: 'x' } as never] })).toThrow(/patterns\[0\]: a pattern needs `contains` \(a string\), `regex` \(a string or RegExp\) or `role`/);
  });

  it('the options schema accepts role patterns and rejects a pattern with nothing to match (ajv strict)', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(mockOptionsSchema);
    expect(validate({ patterns })).toBe(true);
    expect(validate({ patterns: [{ role: 'tool', contains: 'ok', response: { text: '{{lastToolResult}}' } }] })).toBe(true);
    expect(validate({ patterns: [{ response: { text: 'x' } }] })).toBe(false);
    expect(validate({ patterns: [{ role: 'robot', response: { text: 'x' } }] })).toBe(false);
    expect(validate({ patterns: [{ contains: 'a', regex: 'b', role: 'user', response: { text: 'x' } }] })).toBe(false);
  });

  it('a config-made demo answers the question with a tool call and the answer with the tool result', async () => {
    const backend = createMockBackend({ provider: 'mock', options: { patterns } });
    expect((await backend.infer([user('time in Tokyo?')], [clockTool])).finishReason).toBe('tool-calls');
    expect((await backend.infer(afterToolCall('time in Tokyo?', '18:23'), [clockTool])).content).toBe('It is 18:23.');
  });
});
