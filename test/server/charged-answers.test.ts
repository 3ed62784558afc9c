import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { InferenceOutput, ToolCall } from '../../core/types.js';
import type { GatewayLogger } from '../../server/gateway-options.js';
import { sendJson, toJsonText } from '../../server/respond.js';
import { chatBody, sseData, startGateway, usage } from './helpers.js';

const json = { 'content-type': 'application/json' };

function recordingLogger(): { logger: GatewayLogger; errors: { data: Record<string, unknown>; message: string }[]; statuses: unknown[] } {
  const errors: { data: Record<string, unknown>; message: string }[] = [];
  const statuses: unknown[] = [];
  return {
    errors,
    statuses,
    logger: { info: (data, message) => void (message === 'request' && statuses.push(data.status)), warn() {}, error: (data, message) => void errors.push({ data, message }) },
  };
}

function output(extra: Partial<InferenceOutput>): InferenceOutput {
  return { content: '', confidence: 1, tokenUsage: usage, finishReason: 'tool-calls', metadata: { provider: 'fake', model: 'fake-model-1' }, ...extra };
}

describe('a call that was made and charged is answered', () => {
  it('answers tool calls whose arguments JSON cannot hold as is (no rawArguments, a BigInt)', async () => {
    const { url, backend } = await startGateway();
    const odd = { id: 'call_1', name: 'count', arguments: { n: 10n } } as unknown as ToolCall;
    backend.output = output({ toolCalls: [odd] });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() });
    expect(response.statusCode).toBe(200);
    const body = (await response.body.json()) as Record<string, any>;
    expect(body.choices[0].message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'count', arguments: '{"n":"10"}' } }]);
  });

  it('streams a tool call that arrives without rawArguments', async () => {
    const { url, backend } = await startGateway();
    const call = { id: 'call_1', name: 'count', arguments: { n: 1 } } as unknown as ToolCall;
    backend.steps = [
      { type: 'tool-call-end', id: 'call_1', toolCall: call },
      { type: 'done', tokenUsage: usage, finishReason: 'tool-calls' },
    ];
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    expect(response.statusCode).toBe(200);
    const events = sseData(await response.body.text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events[1]!).choices[0].delta.tool_calls[0].function.arguments).toBe('{"n":1}');
  });

  it('answers an output it cannot convert 502 with x-should-retry: false, logged, and the SDK does not send it again', async () => {
    const { logger, errors, statuses } = recordingLogger();
    const { baseURL, backend } = await startGateway({ logger });
    // Not an array: converting it throws, after the call was charged.
    backend.output = output({ toolCalls: { length: 1 } as unknown as ToolCall[] });
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 2 });
    const error = await client.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_invalid_response' });
    expect((error as InstanceType<typeof OpenAI.APIError>).headers.get('x-should-retry')).toBe('false');
    expect(backend.calls).toHaveLength(1);
    await expect.poll(() => statuses).toEqual([502]);
    expect(errors).toEqual([{ data: expect.objectContaining({ backend: 'fake', requestId: expect.stringMatching(/^req_/) }), message: 'the answer to a charged call could not be built' }]);
  });

  it('ends a stream whose relay fails with an error event, logged, instead of cutting the connection', async () => {
    const { logger, errors } = recordingLogger();
    const { url, backend } = await startGateway({ logger });
    // Arguments whose reading throws: serialising the call fails mid-stream. (A malformed event
    // would not get this far: the kernel ends the stream with HA_INVALID_RESPONSE.)
    const unreadable = Object.defineProperty({}, 'n', { enumerable: true, get: () => { throw new Error('unreadable'); } });
    backend.steps = [{ type: 'text-delta', text: 'Hi' }, { type: 'tool-call-end', id: 'call_1', toolCall: { id: 'call_1', name: 'f', arguments: unreadable } }, { type: 'done', tokenUsage: usage, finishReason: 'stop' }];
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    expect(response.statusCode).toBe(200);
    const events = sseData(await response.body.text());
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ error: { type: 'server_error', code: 'internal_error' } });
    expect(errors.map((entry) => entry.message)).toEqual(['a stream failed after its first event']);
  });
});

describe('writing an answer never throws', () => {
  function brokenResponse(): ServerResponse & { destroyed: boolean } {
    const response = new EventEmitter() as unknown as ServerResponse & { destroyed: boolean };
    Object.assign(response, {
      headersSent: false,
      destroyed: false,
      writeHead() {
        throw new Error('EPIPE: the socket went away');
      },
      end() {},
      destroy() {
        response.destroyed = true;
      },
    });
    return response;
  }

  it('hands a failed write to onFailure and closes the response', () => {
    const failures: unknown[] = [];
    const response = brokenResponse();
    expect(sendJson(response, 200, { ok: true }, { 'x-hyperagent-backend': '🦄' }, (error) => failures.push(error))).toBe(false);
    expect(failures).toEqual([expect.objectContaining({ message: 'EPIPE: the socket went away' })]);
    expect(response.destroyed).toBe(true);
  });

  it('serialises BigInts and cycles instead of failing', () => {
    const cyclic: Record<string, unknown> = { a: 1n };
    cyclic.self = cyclic;
    expect(toJsonText(cyclic)).toBe('{"a":"1"}');
    const shared = { x: 1 };
    expect(toJsonText({ one: shared, two: shared, big: 2n })).toBe('{"one":{"x":1},"two":{"x":1},"big":"2"}');
  });
});
