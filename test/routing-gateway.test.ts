import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel } from '../core/kernel.js';
import { registerGroup } from '../core/routing/index.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { createGateway } from '../server/index.js';
import type { Gateway } from '../server/index.js';

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

async function serveGroup() {
  const primary = new MockBackend({ defaultResponse: MockResponse.error('overloaded') });
  const secondary = new MockBackend({ defaultResponse: 'The secondary answers.' });
  const kernel = new Kernel().register('primary', primary).register('secondary', secondary);
  registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });
  const gateway = createGateway({ kernel, port: 0, env: {} });
  gateways.push(gateway);
  const address = await gateway.listen();
  const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: `${address.url}/v1`, maxRetries: 0 });
  return { client, primary, secondary, url: address.url };
}

describe('the gateway serves a group by name to the openai client', () => {
  it('answers a chat completion for model "team" from the target that is up', async () => {
    const { client, primary, secondary } = await serveGroup();

    const { data: completion, response } = await client.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();

    expect(completion.model).toBe('team');
    expect(completion.choices[0]?.message.content).toBe('The secondary answers.');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-hyperagent-cost-usd')).not.toBeNull();
    expect(response.headers.get('x-hyperagent-backend')).toBe('team');
    expect(response.headers.get('x-hyperagent-answered-by')).toBe('secondary');
    expect(primary.callCount).toBe(1);
    expect(secondary.callCount).toBe(1);
  });

  it('streams for model "team"', async () => {
    const { client } = await serveGroup();

    const stream = await client.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }

    expect(text).toBe('The secondary answers.');
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('lists the group among the models, owned by "routing"', async () => {
    const { client } = await serveGroup();
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => [model.id, model.owned_by])).toEqual([
      ['primary', 'mock'],
      ['secondary', 'mock'],
      ['team', 'routing'],
    ]);
  });

  it('relays the last error with its status when every target fails', async () => {
    const primary = new MockBackend({ defaultResponse: MockResponse.error('overloaded') });
    const kernel = new Kernel().register('primary', primary).register('secondary', new MockBackend({ defaultResponse: MockResponse.error('rate-limit') }));
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });
    const gateway = createGateway({ kernel, port: 0, env: {} });
    gateways.push(gateway);
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: `${(await gateway.listen()).url}/v1`, maxRetries: 0 });

    const error = await client.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).message).toMatch(/tried "primary", then "secondary"/);
  });
});
