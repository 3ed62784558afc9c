// The Responses wire protocol (protocols/openai-responses) on its own, not through the openai
// provider: any server that speaks it gets its own name in errors and metadata, and the stream
// transform ends every stream with exactly one terminal event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, InvalidResponseError } from '../../core/errors.js';
import { closeAllPools, type SseEvent } from '../../core/http.js';
import type { StreamEvent } from '../../core/types.js';
import { OpenAIResponsesClient, OpenAIResponsesStreamTransform } from '../../protocols/openai-responses/index.js';
import { ReplayServer } from '../replay-server.js';
import { collect, errorOf, expectOneTerminal, fixtureText } from './openai-style-helpers.js';

const PATH = '/v1/responses';
const ASK = [{ role: 'user' as const, content: 'What is 1231 * 2331?' }];

/** The SSE events of a hand-written stream, run through a fresh transform. */
function run(events: readonly Partial<SseEvent>[], metadata: Record<string, unknown> = {}): StreamEvent[] {
  const transform = new OpenAIResponsesStreamTransform({ provider: 'local-responses', metadata });
  const out: StreamEvent[] = [];
  for (const event of events) transform.push({ data: '', ...event } as SseEvent, out);
  if (!transform.finished) transform.end(out);
  return out;
}

const data = (event: Record<string, unknown>): Partial<SseEvent> => ({ data: JSON.stringify(event) });

let server: ReplayServer;
let client: OpenAIResponsesClient;

beforeAll(async () => {
  server = await new ReplayServer().start();
  client = new OpenAIResponsesClient({ provider: 'local-responses', baseURL: `${server.baseURL}/v1`, headers: () => ({ authorization: 'Bearer unused' }) });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

describe('OpenAIResponsesClient, under a provider name of its own', () => {
  it('streams the recorded function call split into 1–7-byte writes, naming its own provider', async () => {
    for (const chunkSize of [1, 3, 7]) {
      server.enqueue(PATH, { fixture: 'openai/responses-stream-function-call.sse', chunkSize });
      const stream = client.inferStream('gpt-5.5', ASK);
      const events = await collect(stream);
      expect(expectOneTerminal(events)).toMatchObject({ type: 'done', finishReason: 'tool-calls', tokenUsage: { promptTokens: 58, completionTokens: 23 } });
      const output = await stream.output();
      expect(output.toolCalls).toEqual([{ id: 'call_sVidsfFJ6zlzRpelrPkTPlpd', name: 'multiply', arguments: { a: 1231, b: 2331 }, rawArguments: '{"a":1231,"b":2331}' }]);
      expect(output.metadata).toMatchObject({ provider: 'local-responses', model: 'gpt-5.5-2026-04-23', rawFinishReason: 'completed' });
    }
  });

  it('a stream cut off before response.completed ends in one retryable error under that name', async () => {
    const recorded = fixtureText('openai/responses-stream-function-call.sse');
    server.enqueue(PATH, { body: recorded.slice(0, recorded.indexOf('event: response.completed')), headers: { 'content-type': 'text/event-stream' } });
    const error = errorOf(await collect(client.inferStream('gpt-5.5', ASK)));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe('local-responses');
    expect(error.message).toMatch(/local-responses Responses stream ended without response\.completed/);
  });

  it('a request it cannot express fails naming the provider', async () => {
    await expect(client.infer('gpt-5.5', [{ role: 'tool', content: '4' }])).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST, provider: 'local-responses' });
  });
});

describe('OpenAIResponsesStreamTransform', () => {
  it('maps response.incomplete for max_output_tokens to length, with the text before it and the usage', () => {
    const metadata: Record<string, unknown> = {};
    const events = run(
      [
        data({ type: 'response.created', response: { id: 'resp_1', model: 'm-1' } }),
        data({ type: 'response.output_text.delta', delta: 'Hel' }),
        data({ type: 'response.reasoning_text.delta', delta: 'think' }),
        data({ type: 'response.output_text.delta', delta: 'lo' }),
        data({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 5, output_tokens: 2 } } }),
        data({ type: 'response.output_text.delta', delta: 'after the end' }),
      ],
      metadata,
    );
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'reasoning-delta', text: 'think' },
      { type: 'text-delta', text: 'lo' },
      { type: 'done', finishReason: 'length', tokenUsage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 } },
    ]);
    expect(metadata).toEqual({ responseId: 'resp_1', model: 'm-1', rawFinishReason: 'incomplete' });
  });

  it('data that is not JSON ends the stream in one InvalidResponseError that quotes it', () => {
    const events = run([data({ type: 'response.output_text.delta', delta: 'a' }), { data: '{not json' }, data({ type: 'response.completed', response: {} })]);
    expect(events[0]).toEqual({ type: 'text-delta', text: 'a' });
    const error = errorOf(events);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/local-responses sent a Responses stream event whose data is not JSON: \{not json/);
  });

  it('an error event carries the usage seen so far and is typed from its code', () => {
    const events = run([
      data({ type: 'response.failed', response: { usage: { input_tokens: 9, output_tokens: 0 }, error: { code: 'rate_limit_exceeded', message: 'slow down' } } }),
    ]);
    const terminal = expectOneTerminal(events);
    expect(terminal).toMatchObject({ type: 'error', tokenUsage: { promptTokens: 9, completionTokens: 0 } });
    expect(errorOf(events)).toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429, provider: 'local-responses' });
  });
});
