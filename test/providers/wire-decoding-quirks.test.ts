// Decoding of wire shapes other projects' recordings showed we got wrong. Each case is a hand-made
// fixture written from the behaviour (labelled HAND-MADE) unless it names a recording.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../core/http.js';
import type { StreamEvent } from '../../core/types.js';
import { convertOpenAIChatResponse, type OpenAIChatResponse } from '../../protocols/openai-chat/index.js';
import { OpenAIChatStreamTransform } from '../../protocols/openai-chat/openai-chat-stream.js';
import { convertOpenAIResponsesResponse, OpenAIResponsesStreamTransform, type OpenAIResponsesResponse } from '../../protocols/openai-responses/index.js';
import { FIXTURES_DIR } from '../replay-server.js';

const RESPONSE = { status: 200, headers: {}, requestId: undefined, rateLimit: undefined };

function chat(chunks: readonly Record<string, unknown>[]): { events: StreamEvent[]; metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = {};
  const transform = new OpenAIChatStreamTransform({ provider: 'test', metadata });
  const events: StreamEvent[] = [];
  for (const chunk of chunks) transform.push({ data: JSON.stringify(chunk) } as SseEvent, events);
  transform.push({ data: '[DONE]' } as SseEvent, events);
  return { events, metadata };
}

function responses(events: readonly Record<string, unknown>[]): { out: StreamEvent[]; metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = {};
  const transform = new OpenAIResponsesStreamTransform({ provider: 'test', metadata });
  const out: StreamEvent[] = [];
  for (const event of events) transform.push({ data: JSON.stringify(event) } as SseEvent, out);
  if (!transform.finished) transform.end(out);
  return { out, metadata };
}

const toolEnds = (events: StreamEvent[]) => events.flatMap((event) => (event.type === 'tool-call-end' ? [event.toolCall] : []));
const text = (events: StreamEvent[], type: 'text-delta' | 'reasoning-delta') => events.map((event) => (event.type === type ? event.text : '')).join('');

describe('a streamed tool call whose continuation chunks carry id: "" (Qwen on DashScope)', () => {
  it('is one call holding the arguments, not a second made-up one', () => {
    // HAND-MADE from the behaviour: the first chunk names the call, the next ones repeat id "" and name "".
    const delta = (fragment: Record<string, unknown>) => ({ id: 'chatcmpl-1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...fragment }] } }] });
    const { events } = chat([
      delta({ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } }),
      delta({ id: '', type: 'function', function: { name: '', arguments: '{"city":' } }),
      delta({ id: '', type: 'function', function: { arguments: '"Paris"}' } }),
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ]);
    expect(toolEnds(events)).toEqual([{ id: 'call_abc', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' }]);
  });
});

describe('content as an array of thinking and text parts (Mistral reasoning)', () => {
  it('non-streamed: the text is the content and the thinking is the reasoning (recording mistral/chat-completion-thinking-chunks.json)', () => {
    const body = JSON.parse(readFileSync(join(FIXTURES_DIR, 'mistral/chat-completion-thinking-chunks.json'), 'utf8')) as OpenAIChatResponse;
    const output = convertOpenAIChatResponse(body, { provider: 'mistral', model: 'mistral-small-latest', response: RESPONSE, warnings: [] });
    expect(output.content).toBe('144');
    expect(output.reasoning).toMatch(/^The user is asking for the product of 12 multiplied by 12/);
    expect(output.reasoningParts).toEqual([{ text: output.reasoning }]);
  });

  it('streamed: array deltas become reasoning and text deltas, then plain strings go on as text', () => {
    // HAND-MADE from the behaviour seen in the recordings' non-streamed shape.
    const delta = (content: unknown) => ({ id: 'm1', choices: [{ index: 0, delta: { content } }] });
    const { events } = chat([
      delta([{ type: 'thinking', thinking: [{ type: 'text', text: 'Twelve times ' }] }]),
      delta([{ type: 'thinking', thinking: [{ type: 'text', text: 'twelve.' }] }]),
      delta([{ type: 'text', text: '14' }]),
      delta('4'),
      { id: 'm1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ]);
    expect(text(events, 'reasoning-delta')).toBe('Twelve times twelve.');
    expect(text(events, 'text-delta')).toBe('144');
  });
});

describe('a filter-only first chunk with id: "" (Azure)', () => {
  it('does not become the response id', () => {
    // Shape of the recording azure/chat-stream-reasoning-prompt-filter-results.sse, cut down.
    const { metadata } = chat([
      { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0 }] },
      { id: 'chatcmpl-real', model: 'gpt-5-nano', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] },
    ]);
    expect(metadata).toMatchObject({ responseId: 'chatcmpl-real', model: 'gpt-5-nano' });
  });
});

describe('Responses function-call arguments sent only whole, at the end (LM Studio)', () => {
  // HAND-MADE from the behaviour: no response.function_call_arguments.delta events at all.
  const added = { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'call_1', name: 'multiply', arguments: '' } };
  const completed = { type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 10, output_tokens: 5 } } };
  const args = '{"a":2,"b":3}';

  it('from response.function_call_arguments.done', () => {
    const { out } = responses([added, { type: 'response.function_call_arguments.done', output_index: 0, arguments: args }, { type: 'response.output_item.done', output_index: 0, item: { ...added.item, arguments: args } }, completed]);
    expect(toolEnds(out)).toEqual([{ id: 'call_1', name: 'multiply', arguments: { a: 2, b: 3 }, rawArguments: args }]);
    expect(out.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
  });

  it('from response.output_item.done alone, once (no doubled arguments)', () => {
    const { out } = responses([added, { type: 'response.output_item.done', output_index: 0, item: { ...added.item, arguments: args } }, completed]);
    expect(toolEnds(out)).toEqual([{ id: 'call_1', name: 'multiply', arguments: { a: 2, b: 3 }, rawArguments: args }]);
  });

  it('from a call seen only at response.output_item.done', () => {
    const { out } = responses([{ type: 'response.output_item.done', output_index: 0, item: { ...added.item, arguments: args } }, completed]);
    expect(toolEnds(out)).toEqual([{ id: 'call_1', name: 'multiply', arguments: { a: 2, b: 3 }, rawArguments: args }]);
    expect(out.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
  });

  it('deltas and a .done repeating them are not counted twice', () => {
    const { out } = responses([
      added,
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"a":2,' },
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: '"b":3}' },
      { type: 'response.function_call_arguments.done', output_index: 0, arguments: args },
      { type: 'response.output_item.done', output_index: 0, item: { ...added.item, arguments: args } },
      completed,
    ]);
    expect(toolEnds(out).map((call) => call.rawArguments)).toEqual([args]);
  });
});

describe('non-streamed Responses reasoning given as reasoning_text content', () => {
  it('is kept as the reasoning', () => {
    // HAND-MADE from the behaviour (LM Studio, gpt-oss): no summary, the reasoning in content.
    const body: OpenAIResponsesResponse = {
      status: 'completed',
      output: [
        { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'Two times three is six.' }] },
        { type: 'message', content: [{ type: 'output_text', text: '6' }] },
      ],
    };
    const output = convertOpenAIResponsesResponse(body, { provider: 'test', model: 'm', response: RESPONSE, warnings: [] });
    expect([output.content, output.reasoning]).toEqual(['6', 'Two times three is six.']);
  });
});

describe('Responses output items HyperAgent does not decode', () => {
  const shell = { type: 'local_shell_call', id: 'ls_1', call_id: 'call_9', status: 'completed' };

  it('non-streamed: a warning naming the type, and not an empty stop', () => {
    // HAND-MADE from the behaviour: an answer made only of a local_shell_call item.
    const output = convertOpenAIResponsesResponse({ status: 'completed', output: [shell] }, { provider: 'test', model: 'm', response: RESPONSE, warnings: [] });
    expect(output.finishReason).toBe('other');
    expect(output.metadata.warnings).toEqual([expect.stringContaining('"local_shell_call"')]);
  });

  it('streamed: the same warning in the metadata and finish reason other', () => {
    const { out, metadata } = responses([
      { type: 'response.output_item.added', output_index: 0, item: shell },
      { type: 'response.output_item.done', output_index: 0, item: shell },
      { type: 'response.completed', response: { status: 'completed' } },
    ]);
    expect(out.at(-1)).toMatchObject({ type: 'done', finishReason: 'other' });
    expect(metadata.warnings).toEqual([expect.stringContaining('"local_shell_call"')]);
  });

  it('beside text, the answer stands and the warning is still given', () => {
    const output = convertOpenAIResponsesResponse(
      { status: 'completed', output: [{ type: 'mcp_approval_request', id: 'a1' }, { type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] },
      { provider: 'test', model: 'm', response: RESPONSE, warnings: [] },
    );
    expect([output.content, output.finishReason]).toEqual(['ok', 'stop']);
    expect(output.metadata.warnings).toEqual([expect.stringContaining('"mcp_approval_request"')]);
  });
});
