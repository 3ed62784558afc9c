import OpenAI from 'openai';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { registerGroup } from '../../core/routing/index.js';
import { encodeNameHeader } from '../../server/header-value.js';
import { FakeBackend, sseData, startGateway } from './helpers.js';

const json = { 'content-type': 'application/json' };

function body(model: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], ...extra });
}

async function withBackendNamed(name: string): Promise<{ url: string; baseURL: string; backend: FakeBackend }> {
  const backend = new FakeBackend();
  const started = await startGateway({ kernel: new Kernel().register(name, backend) }, backend);
  return { url: started.url, baseURL: started.baseURL, backend };
}

describe('a backend name that is not a valid header value is encoded in headers', () => {
  it('answers a backend named with an emoji 200, its name percent-encoded in x-hyperagent-backend', async () => {
    const { url, backend } = await withBackendNamed('🦄-fast');
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: body('🦄-fast') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-hyperagent-backend']).toBe('%F0%9F%A6%84-fast');
    expect(decodeURIComponent(response.headers['x-hyperagent-backend'] as string)).toBe('🦄-fast');
    const completion = (await response.body.json()) as Record<string, any>;
    // Everywhere else the name is JSON, escaped as JSON escapes it.
    expect(completion.model).toBe('🦄-fast');
    expect(backend.calls).toHaveLength(1);
  });

  it('streams from it with the header encoded', async () => {
    const { url } = await withBackendNamed('🦄');
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: body('🦄', { stream: true }) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-hyperagent-backend']).toBe('%F0%9F%A6%84');
    const events = sseData(await response.body.text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events[0]!).model).toBe('🦄');
  });

  it('answers embeddings from it, and lists and retrieves it in /v1/models', async () => {
    const { url } = await withBackendNamed('模型 ✨');
    const embeddings = await request(`${url}/v1/embeddings`, { method: 'POST', headers: json, body: JSON.stringify({ model: '模型 ✨', input: 'x' }) });
    expect(embeddings.statusCode).toBe(200);
    expect(decodeURIComponent(embeddings.headers['x-hyperagent-backend'] as string)).toBe('模型 ✨');
    expect(((await embeddings.body.json()) as Record<string, any>).model).toBe('模型 ✨');
    const list = (await (await request(`${url}/v1/models`)).body.json()) as Record<string, any>;
    expect(list.data.map((entry: { id: string }) => entry.id)).toEqual(['模型 ✨']);
    const retrieved = await request(`${url}/v1/models/${encodeURIComponent('模型 ✨')}`);
    expect(retrieved.statusCode).toBe(200);
    expect(((await retrieved.body.json()) as Record<string, any>).id).toBe('模型 ✨');
  });

  it('encodes the group member that answered in x-hyperagent-answered-by', async () => {
    const member = new FakeBackend();
    const kernel = new Kernel().register('café\u0007🦄', member);
    registerGroup(kernel, '👥 team', { strategy: 'fallback', targets: ['café\u0007🦄'] });
    const { url } = await startGateway({ kernel }, member);
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: body('👥 team') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-hyperagent-backend']).toBe('%F0%9F%91%A5%20team');
    expect(response.headers['x-hyperagent-answered-by']).toBe('caf%C3%A9%07%F0%9F%A6%84');
    await response.body.dump();
  });

  it('works through the official client, which reads the header as given', async () => {
    const { baseURL } = await withBackendNamed('🐙');
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: '🐙', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello, world!');
    expect(response.headers.get('x-hyperagent-backend')).toBe('%F0%9F%90%99');
  });
});

describe('encodeNameHeader', () => {
  it.each([
    ['claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['openai/gpt-4o:free', 'openai/gpt-4o:free'],
    ['a b', 'a%20b'],
    ['100%', '100%25'],
    ['tab\there', 'tab%09here'],
    ['new\r\nline', 'new%0D%0Aline'],
    ['é', '%C3%A9'],
    ['\uD800', '%EF%BF%BD'],
  ])('%j → %j, and back with decodeURIComponent', (name, header) => {
    expect(encodeNameHeader(name)).toBe(header);
    if (!name.includes('\uD800')) expect(decodeURIComponent(header)).toBe(name);
  });
});
