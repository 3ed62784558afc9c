// A backend's forwardHeaders allow-list, over real HTTP: client → gateway → a loopback upstream
// that records what it receives. Only the named client headers go upstream, never a credential,
// never replacing a header the backend sends itself; every route and provider kind passes them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { withForwardedHeaders } from '../../core/forward-headers.js';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import { Kernel } from '../../core/kernel.js';
import { AnthropicProvider } from '../../plugins/anthropic/anthropic-backend.js';
import { GoogleProvider } from '../../plugins/google/google-backend.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { createGateway, type Gateway } from '../../server/index.js';
import { ReplayServer } from '../replay-server.js';

const replay = new ReplayServer();
const gateways: Gateway[] = [];
beforeAll(async () => {
  await replay.start();
});
afterAll(async () => {
  await replay.stop();
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  replay.requests.length = 0;
});

const GATEWAY_KEY = 'gw-key-forward-tests-0001';
const OPENAI_KEY = 'sk-test-forward-openai-0000';
const ANTHROPIC_KEY = 'sk-ant-test-forward-0000';

const chatJson = JSON.stringify({
  id: 'chatcmpl-f',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
});
const messageJson = JSON.stringify({
  id: 'msg_f',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'Hello!' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 9, output_tokens: 2 },
});
const geminiJson = JSON.stringify({
  candidates: [{ content: { role: 'model', parts: [{ text: 'Hello!' }] }, finishReason: 'STOP' }],
  usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, totalTokenCount: 11 },
});
const json = { 'content-type': 'application/json' };

async function serve(forward: readonly string[] | undefined): Promise<string> {
  const extra = forward === undefined ? {} : { forwardHeaders: forward };
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: OPENAI_KEY, model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1`, ...extra }))
    .register('claude', new AnthropicProvider({ apiKey: ANTHROPIC_KEY, model: 'claude-haiku-4-5', baseURL: `${replay.baseURL}/v1`, ...extra }))
    .register('gemini', new GoogleProvider({ apiKey: 'google-test-key-forward-0000', model: 'gemini-2.5-flash', baseURL: `${replay.baseURL}/v1beta`, ...extra }));
  const gateway = createGateway({ kernel, port: 0, env: {}, apiKeys: [GATEWAY_KEY] });
  gateways.push(gateway);
  return (await gateway.listen()).url;
}

const clientHeaders = {
  authorization: `Bearer ${GATEWAY_KEY}`,
  'content-type': 'application/json',
  'anthropic-beta': 'interleaved-thinking-2025-05-14',
  'X-Trace-Id': 'trace-42',
  'x-not-listed': 'stays-here',
};

async function chat(url: string, model: string, headers: Record<string, string> = clientHeaders): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });
}

const upstream = (): Record<string, string | string[] | undefined> => replay.requests.at(-1)!.headers;

describe('forwardHeaders names the client headers a backend sends upstream', () => {
  it('an OpenAI backend sends the named ones (any case) and not the others, nor the gateway key', async () => {
    const url = await serve(['anthropic-beta', 'x-trace-id']);
    replay.enqueue('/v1/chat/completions', { body: chatJson, headers: json });
    expect((await chat(url, 'gpt')).status).toBe(200);
    const headers = upstream();
    expect(headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(headers['x-trace-id']).toBe('trace-42');
    expect(headers['x-not-listed']).toBeUndefined();
    expect(headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('an Anthropic backend behind /v1/chat/completions gets anthropic-beta; its own key and version stay', async () => {
    const url = await serve(['anthropic-beta', 'anthropic-version', 'x-trace-id']);
    replay.enqueue('/v1/messages', { body: messageJson, headers: json });
    const response = await chat(url, 'claude', { ...clientHeaders, 'anthropic-version': '1999-01-01', 'x-api-key': 'client-tries-its-own' });
    expect(response.status).toBe(200);
    const headers = upstream();
    expect(headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(headers['x-trace-id']).toBe('trace-42');
    // The backend's own headers win over a client's: its version, its key.
    expect(headers['anthropic-version']).toBe('2023-06-01');
    expect(headers['x-api-key']).toBe(ANTHROPIC_KEY);
  });

  it('a Google backend (its own header code) forwards them too', async () => {
    const url = await serve(['x-trace-id']);
    replay.enqueue('*', { body: geminiJson, headers: json });
    expect((await chat(url, 'gemini')).status).toBe(200);
    expect(upstream()['x-trace-id']).toBe('trace-42');
    expect(upstream()['anthropic-beta']).toBeUndefined();
  });

  it('on the Responses and legacy completions routes as on Chat Completions', async () => {
    const url = await serve(['x-trace-id']);
    replay.enqueue('/v1/chat/completions', { body: chatJson, headers: json });
    const responses = await fetch(`${url}/v1/responses`, { method: 'POST', headers: clientHeaders, body: JSON.stringify({ model: 'gpt', input: 'Hi', store: false }) });
    expect(responses.status).toBe(200);
    expect(upstream()['x-trace-id']).toBe('trace-42');
    replay.enqueue('/v1/chat/completions', { body: chatJson, headers: json });
    const completions = await fetch(`${url}/v1/completions`, { method: 'POST', headers: clientHeaders, body: JSON.stringify({ model: 'gpt', prompt: 'Hi' }) });
    expect(completions.status).toBe(200);
    expect(upstream()['x-trace-id']).toBe('trace-42');
  });

  it('without forwardHeaders nothing of the client goes upstream', async () => {
    const url = await serve(undefined);
    replay.enqueue('/v1/chat/completions', { body: chatJson, headers: json });
    expect((await chat(url, 'gpt')).status).toBe(200);
    expect(upstream()['anthropic-beta']).toBeUndefined();
    expect(upstream()['x-trace-id']).toBeUndefined();
  });
});

describe('a credential header can never be named', () => {
  it.each(['Authorization', 'x-api-key', 'api-key', 'Cookie', 'x-goog-api-key', 'proxy-authorization'])('%s is a ConfigError, in code', (name) => {
    expect(() => new OpenAIProvider({ apiKey: OPENAI_KEY, forwardHeaders: ['x-trace-id', name] })).toThrow(ConfigError);
    expect(() => new OpenAIProvider({ apiKey: OPENAI_KEY, forwardHeaders: ['x-trace-id', name] })).toThrow(/forwardHeaders\[1\].*credential header/);
  });

  it('and in a config file, at its JSON path', async () => {
    const config = { backends: { gpt: { provider: 'openai', apiKey: OPENAI_KEY, options: { forwardHeaders: ['anthropic-beta', 'AUTHORIZATION'] } } } };
    await expect(createHyperAgent({ config, env: {} })).rejects.toThrow('/backends/gpt/options/forwardHeaders/1');
  });

  it('a name that is not an HTTP header name is refused', () => {
    expect(() => new OpenAIProvider({ apiKey: OPENAI_KEY, forwardHeaders: ['bad header'] })).toThrow(/forwardHeaders\[0\].*HTTP header name/);
  });
});

describe('withForwardedHeaders', () => {
  const own = Object.freeze({ Authorization: 'Bearer own', 'x-own': '1' });
  it('returns the same object when nothing is added (no copy per call)', () => {
    expect(withForwardedHeaders(own, ['x-trace-id'], undefined)).toBe(own);
    expect(withForwardedHeaders(own, undefined, { 'x-trace-id': 't' })).toBe(own);
    expect(withForwardedHeaders(own, ['x-trace-id'], { other: 'o' })).toBe(own);
  });
  it('never replaces a header the backend sends, whatever its case', () => {
    expect(withForwardedHeaders(own, ['authorization', 'x-own', 'x-trace-id'], { authorization: 'Bearer client', 'x-own': '2', 'x-trace-id': 't' })).toEqual({ ...own, 'x-trace-id': 't' });
  });
});
