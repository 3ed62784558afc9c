// A client's x-request-id is kept and the upstream's own id comes back as x-upstream-request-id,
// on every route, streamed (sent with the headers, before the answer is whole) and not, also when
// a fallback group's second target answers. Upstreams: recorded OpenAI and Anthropic answers whose
// recorded headers carry the ids (x-request-id, request-id), served over loopback HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { registerGroup } from '../../core/routing/index.js';
import { AnthropicProvider } from '../../plugins/anthropic/index.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { ReplayServer } from '../replay-server.js';
import { startGateway, type Started } from './helpers.js';

const OPENAI_ID = 'req_7997c69c86b744538a2884c8d777754b';
const OPENAI_STREAM_ID = 'req_87b8e5a94cce414688e29d59b127eb67';
const ANTHROPIC_STREAM_ID = 'req_011CZknL2bUdgvrtea9HYSrj';
const CLIENT_ID = 'client-trace-0042';

let upstream: ReplayServer;
let started: Started;
beforeEach(async () => {
  upstream = await new ReplayServer().start();
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-openai-upstream-0001', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1` }))
    .register('claude', new AnthropicProvider({ apiKey: 'sk-ant-upstream-0001', model: 'claude-sonnet-4-5', baseURL: `${upstream.baseURL}/v1` }));
  registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['claude', 'gpt'] });
  started = await startGateway({ kernel });
});
afterEach(async () => {
  await upstream.stop();
});

async function post(path: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${started.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': CLIENT_ID, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

function expectIds(response: Response, upstreamId: string): void {
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe(CLIENT_ID);
  expect(response.headers.get('x-upstream-request-id')).toBe(upstreamId);
}

const ask = [{ role: 'user', content: 'Hi' }];

describe('x-upstream-request-id', () => {
  it('on /v1/chat/completions, streamed', async () => {
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 5 });
    const response = await post('/v1/chat/completions', { model: 'gpt', messages: ask, stream: true });
    expectIds(response, OPENAI_STREAM_ID);
    expect(await response.text()).toContain('data: [DONE]');
  });

  it('on /v1/responses, streamed and not', async () => {
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const plain = await post('/v1/responses', { model: 'gpt', input: 'Hi', store: false });
    expectIds(plain, OPENAI_ID);
    expect(((await plain.json()) as { status: string }).status).toBe('completed');
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 5 });
    const streamed = await post('/v1/responses', { model: 'gpt', input: 'Hi', store: false, stream: true });
    expectIds(streamed, OPENAI_STREAM_ID);
    expect(await streamed.text()).toContain('event: response.completed');
  });

  it('on /v1/completions, streamed and not', async () => {
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const plain = await post('/v1/completions', { model: 'gpt', prompt: 'Hi' });
    expectIds(plain, OPENAI_ID);
    expect(((await plain.json()) as { object: string }).object).toBe('text_completion');
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 5 });
    const streamed = await post('/v1/completions', { model: 'gpt', prompt: 'Hi', stream: true });
    expectIds(streamed, OPENAI_STREAM_ID);
    expect(await streamed.text()).toContain('data: [DONE]');
  });

  it('on /v1/messages translated to an OpenAI backend, streamed', async () => {
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 5 });
    const response = await post('/v1/messages', { model: 'gpt', max_tokens: 64, messages: ask, stream: true });
    expectIds(response, OPENAI_STREAM_ID);
    expect(await response.text()).toContain('event: message_stop');
  });

  it('from the target that answered a fallback group, streamed and not', async () => {
    const overloaded = { status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', headers: { 'content-type': 'application/json', 'request-id': 'req_failed_one' } };
    upstream.enqueue('/v1/messages', overloaded).enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 5 });
    const streamed = await post('/v1/chat/completions', { model: 'team', messages: ask, stream: true });
    expectIds(streamed, OPENAI_STREAM_ID);
    expect(streamed.headers.get('x-hyperagent-answered-by') ?? 'gpt').toBe('gpt');
    await streamed.text();
    upstream.enqueue('/v1/messages', overloaded).enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const plain = await post('/v1/chat/completions', { model: 'team', messages: ask });
    expectIds(plain, OPENAI_ID);
  });

  it('an Anthropic stream behind a group keeps its own request-id', async () => {
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/stream-text.sse', chunkSize: 3 });
    const response = await post('/v1/chat/completions', { model: 'team', messages: ask, stream: true });
    expectIds(response, ANTHROPIC_STREAM_ID);
    await response.text();
  });
});
