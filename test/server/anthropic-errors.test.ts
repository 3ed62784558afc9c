// /v1/messages errors in Anthropic's shape: a malformed request is a 400 naming the field with
// nothing sent upstream; upstream failures keep their meaning (429 + retry-after, 529 overloaded),
// before the stream began and after.
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { GATEWAY_KEY, useRig } from './anthropic-rig.js';

const rig = useRig();
const ask = { max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

async function post(url: string, body: unknown): Promise<{ status: number; headers: Headers; body: { type?: string; error?: { type?: string; message?: string } } }> {
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

describe('a malformed request', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no max_tokens', { model: 'claude', messages: ask.messages }, /^max_tokens: Field required/],
    ['a bad role', { model: 'claude', ...ask, messages: [{ role: 'system', content: 'x' }] }, /messages\[0\]\.role must be "user" or "assistant"/],
    ['a block without a type', { model: 'claude', ...ask, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, /messages\[0\]\.content\[0\]\.type is required/],
    ['a tool_result without tool_use_id', { model: 'gpt', ...ask, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, /messages\[0\]\.content\[0\]\.tool_use_id is required/],
    ['a bad cache_control', { model: 'claude', ...ask, system: [{ type: 'text', text: 's', cache_control: { type: 'forever' } }] }, /system\[0\]\.cache_control\.type must be "ephemeral"/],
    ['a tool without input_schema', { model: 'claude', ...ask, tools: [{ name: 't' }] }, /tools\[0\]\.input_schema is required/],
    ['a bad tool_choice', { model: 'claude', ...ask, tool_choice: { type: 'sometimes' } }, /tool_choice\.type must be auto, any, none or tool/],
    ['a bad temperature', { model: 'claude', ...ask, temperature: 3 }, /temperature must be a number >= 0 and <= 1/],
  ];
  for (const [name, body, message] of cases) {
    it(`${name}: 400 invalid_request_error naming the field, nothing sent upstream`, async () => {
      const { started, upstream } = rig();
      const answer = await post(started.url, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(message) }, request_id: expect.stringMatching(/^req_/) });
      expect(upstream.requests).toHaveLength(0);
    });
  }

  it('an unknown model is a 404 not_found_error', async () => {
    const { started } = rig();
    const answer = await post(started.url, { model: 'nope', ...ask });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ type: 'not_found_error', message: expect.stringMatching(/"nope" does not exist/) });
  });

  it('the SDK raises it as a BadRequestError', async () => {
    const { client } = rig();
    const error = await client.messages.create({ model: 'claude', max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe('an upstream failure', () => {
  it('429 stays 429 with retry-after, in Anthropic\'s shape', async () => {
    const { started, upstream } = rig();
    upstream.enqueue('/v1/messages', { status: 429, body: '{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}', headers: { 'content-type': 'application/json', 'retry-after': '17' } });
    const answer = await post(started.url, { model: 'claude', ...ask });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('17');
    expect(answer.body.error).toMatchObject({ type: 'rate_limit_error' });
  });

  it('an overloaded Anthropic (529) is 529 overloaded_error; an overloaded OpenAI (503) too', async () => {
    const { started, upstream } = rig();
    upstream.enqueue('/v1/messages', { status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', headers: { 'content-type': 'application/json' } });
    upstream.enqueue('/v1/chat/completions', { status: 503, body: '{"error":{"message":"The engine is currently overloaded","type":"server_error","code":"overloaded"}}', headers: { 'content-type': 'application/json' } });
    for (const model of ['claude', 'gpt']) {
      const answer = await post(started.url, { model, ...ask, stream: true });
      expect(answer.status).toBe(529);
      expect(answer.body).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    }
  });

  it('an error event mid-stream ends the stream with one event: error, which the SDK raises', async () => {
    const { upstream, client } = rig();
    const sse = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":9,"output_tokens":1}}}',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}',
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    ].join('\n\n') + '\n\n';
    upstream.enqueue('/v1/messages', { body: sse, headers: { 'content-type': 'text/event-stream' } });
    const texts: string[] = [];
    const stream = client.messages.stream({ model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    stream.on('text', (text) => texts.push(text));
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(texts).toEqual(['Hel']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toMatch(/overloaded_error/);
  });
});
