// The openai provider's minimal Responses API path (`api: 'responses'`), against the two recorded
// Responses API streams in test/fixtures/recorded/openai.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { ErrorCode, RateLimitError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { LLMMessage, ToolSchema } from '../../core/types.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { ReplayServer } from '../replay-server.js';
import { collect, errorOf, expectNoKey, expectOneTerminal, FAKE_OPENAI_KEY, textOf } from './openai-style-helpers.js';

const PATH = '/v1/responses';
const MULTIPLY: ToolSchema = {
  name: 'multiply',
  description: 'Multiply two numbers.',
  parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'], additionalProperties: false },
  strict: true,
};
const ASK: readonly LLMMessage[] = [
  { role: 'system', content: 'Use tools.' },
  { role: 'user', content: 'What is 1231 * 2331?' },
];
const MULTIPLY_CALL = { id: 'call_sVidsfFJ6zlzRpelrPkTPlpd', name: 'multiply', arguments: { a: 1231, b: 2331 }, rawArguments: '{"a":1231,"b":2331}' };

let server: ReplayServer;
let openai: OpenAIProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  openai = new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-5.5', api: 'responses' });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

describe('responses-stream-function-call.sse', () => {
  it('streams the function call: start, argument deltas, end with parsed arguments, then done with usage', async () => {
    server.enqueue(PATH, { fixture: 'openai/responses-stream-function-call.sse' });
    const events = await collect(openai.inferStream(ASK, [MULTIPLY]));
    expect(events[0]).toEqual({ type: 'tool-call-start', id: MULTIPLY_CALL.id, name: 'multiply', index: 0 });
    const deltas = events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.argumentsDelta] : []));
    expect(deltas).toEqual(['{"', 'a', '":', '123', '1', ',"', 'b', '":', '233', '1', '}']);
    expect(events.find((event) => event.type === 'tool-call-end')).toEqual({ type: 'tool-call-end', id: MULTIPLY_CALL.id, toolCall: MULTIPLY_CALL });
    expect(textOf(events)).toBe('');
    expect(expectOneTerminal(events)).toEqual({
      type: 'done',
      tokenUsage: { promptTokens: 58, completionTokens: 23, totalTokens: 81, cachedTokens: 0, reasoningTokens: 0 },
      finishReason: 'tool-calls',
    });
  });

  it('output() has the call, usage, response id and request id; gpt-5.5 has no catalog price, so no cost is made up', async () => {
    server.enqueue(PATH, { fixture: 'openai/responses-stream-function-call.sse', chunkSize: 7 });
    const output = await openai.inferStream(ASK, [MULTIPLY]).output();
    expect(output.toolCalls).toEqual([MULTIPLY_CALL]);
    expect(output.metadata).toMatchObject({
      provider: 'openai',
      model: 'gpt-5.5-2026-04-23',
      responseId: 'resp_00d64fa806f333310169fab1be69d081a08f8285661855594c',
      requestId: 'req_996657ef97514aeb93f449d57303514d',
      rawFinishReason: 'completed',
    });
    // Not in the OpenAI catalog, but in the price database: priced from it, long prompts (> 272K) at its higher tier.
    const info = openai.modelInfo(output.metadata.model);
    expect(info.pricing).toMatchObject({ input: 5, output: 30, tiers: [{ above: 271_999, input: 10, output: 45 }] });
    expect(info.pricingSource).toMatch(/^@pydantic\/genai-prices [\d.]+, prices as of \d{4}-\d{2}-\d{2}/);
  });

  it('sends a Responses API body to /responses', async () => {
    server.enqueue(PATH, { fixture: 'openai/responses-stream-function-call.sse' });
    await openai.inferStream(
      [
        ...ASK,
        { role: 'assistant', content: '', toolCalls: [MULTIPLY_CALL] },
        { role: 'tool', toolCallId: MULTIPLY_CALL.id, content: '2869461' },
      ],
      [MULTIPLY],
      { maxTokens: 300, thinking: { effort: 'low' }, toolChoice: 'auto', temperature: 0.3 },
    ).output();
    const sent = server.requests[server.requests.length - 1];
    expect(sent.path).toBe(PATH);
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(sent.body).toEqual({
      model: 'gpt-5.5',
      input: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'What is 1231 * 2331?' },
        { type: 'function_call', call_id: MULTIPLY_CALL.id, name: 'multiply', arguments: '{"a":1231,"b":2331}' },
        { type: 'function_call_output', call_id: MULTIPLY_CALL.id, output: '2869461' },
      ],
      tools: [{ type: 'function', name: 'multiply', description: 'Multiply two numbers.', parameters: MULTIPLY.parameters, strict: true }],
      tool_choice: 'auto',
      max_output_tokens: 300,
      reasoning: { effort: 'low' },
      stream: true,
    });
  });
});

describe('responses-stream-error-insufficient-quota.sse', () => {
  it('the error event ends the stream with one non-retryable RateLimitError (insufficient_quota)', async () => {
    server.enqueue(PATH, { fixture: 'openai/responses-stream-error-insufficient-quota.sse' });
    const stream = openai.inferStream(ASK);
    const events = await collect(stream);
    expect(events).toHaveLength(1);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(429);
    expect(error.providerCode).toBe('insufficient_quota');
    expect(error.message).toMatch(/mid-stream.*exceeded your current quota.*retrying will not help/);
    expectNoKey(error, FAKE_OPENAI_KEY);
    await expect(stream.output()).rejects.toBe(error);
  });

  it('response.failed alone (without the error event before it) is a typed error too', async () => {
    const recorded = (await import('node:fs')).readFileSync(
      new URL('../fixtures/recorded/openai/responses-stream-error-insufficient-quota.sse', import.meta.url),
      'utf8',
    );
    const withoutErrorEvent = recorded
      .split('\n\n')
      .filter((block) => !block.startsWith('event: error'))
      .join('\n\n');
    server.enqueue(PATH, { body: withoutErrorEvent, headers: { 'content-type': 'text/event-stream' } });
    const error = errorOf(await collect(openai.inferStream(ASK)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/response\.failed/);
  });
});

describe('non-streaming Responses API', () => {
  it('reads text, reasoning summaries, function calls and usage from output items', async () => {
    // Hand-made body in the documented /responses shape (no non-streaming recording is among the fixtures).
    const body = JSON.stringify({
      id: 'resp_1',
      model: 'o4-mini-2025-04-16',
      status: 'completed',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Multiply.' }] },
        { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'Calling the tool.' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'multiply', arguments: '{"a":2,"b":3}' },
      ],
      usage: { input_tokens: 40, output_tokens: 30, total_tokens: 70, input_tokens_details: { cached_tokens: 10 }, output_tokens_details: { reasoning_tokens: 12 } },
    });
    server.enqueue(PATH, { body, headers: { 'content-type': 'application/json' } });
    const output = await openai.withModel('o4-mini').infer(ASK, [MULTIPLY]);
    expect(output.content).toBe('Calling the tool.');
    expect(output.reasoning).toBe('Multiply.');
    expect(output.toolCalls).toEqual([{ id: 'call_9', name: 'multiply', arguments: { a: 2, b: 3 }, rawArguments: '{"a":2,"b":3}' }]);
    expect(output.tokenUsage).toEqual({ promptTokens: 40, completionTokens: 30, totalTokens: 70, cachedTokens: 10, reasoningTokens: 12 });
    expect(output.finishReason).toBe('tool-calls');
    // o4-mini-2025-04-16 → o4-mini: 30 uncached × $1.10 + 10 cached × $0.275 + 30 out × $4.40, per 1M
    expect(calculateCost(openai.modelInfo(output.metadata.model), output.tokenUsage)).toBeCloseTo((30 * 1.1 + 10 * 0.275 + 30 * 4.4) / 1e6, 12);
  });
});
