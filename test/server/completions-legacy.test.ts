// POST /v1/completions (legacy text completions) through the official openai client: served for
// OpenAI-wire backends over a loopback upstream that records what it receives, refused for others.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { createGateway, type Gateway } from '../../server/index.js';
import { ReplayServer } from '../replay-server.js';
import { FakeBackend } from './helpers.js';

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

async function serve(): Promise<OpenAI> {
  const kernel = new Kernel()
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-test-completions-0000', model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` }))
    .register('fake', new FakeBackend());
  const gateway = createGateway({ kernel, port: 0, env: {} });
  gateways.push(gateway);
  return new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: `${(await gateway.listen()).url}/v1`, maxRetries: 0 });
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('POST /v1/completions', () => {
  it('answers a text_completion, the prompt sent as one user turn with the legacy fields passed on', async () => {
    const client = await serve();
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const completion = await client.completions.create({ model: 'gpt', prompt: 'Say hello', max_tokens: 20, seed: 3, stop: '\n' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0].text).toMatch(/^Hello!/);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBe(44);
    expect(replay.requests[0].body).toMatchObject({ messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 20, seed: 3, stop: ['\n'] });
  });

  it('streams text chunks, then a finish chunk and [DONE]', async () => {
    const client = await serve();
    replay.enqueue('/v1/chat/completions', { body: chunk({ role: 'assistant', content: 'Hel' }) + chunk({ content: 'lo' }, 'stop') + 'data: [DONE]\n\n', headers: { 'content-type': 'text/event-stream' } });
    const stream = await client.completions.create({ model: 'gpt', prompt: 'Say hello', stream: true });
    let text = '';
    const finishes: (string | null)[] = [];
    for await (const part of stream) {
      text += part.choices[0].text;
      finishes.push(part.choices[0].finish_reason);
    }
    expect(text).toBe('Hello');
    expect(finishes.at(-1)).toBe('stop');
  });

  it('is a 400 naming model for a backend that does not speak OpenAI, and a 400 naming prompt for a token array', async () => {
    const client = await serve();
    const refused = (await client.completions.create({ model: 'fake', prompt: 'Hi' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect([refused.status, refused.param, refused.code]).toEqual([400, 'model', 'unsupported_model']);
    const tokens = (await client.completions.create({ model: 'gpt', prompt: [1, 2, 3] }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect([tokens.status, tokens.param]).toEqual([400, 'prompt']);
    expect(replay.requests).toEqual([]);
  });
});
