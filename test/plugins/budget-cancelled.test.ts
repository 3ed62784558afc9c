// A call cut short still spends the budget: a stream whose consumer stops after its first event,
// and a gateway client that goes away mid-stream, are charged what the provider counted (or the
// estimated prompt), and their reservations are given back. Real HTTP to a loopback upstream.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../core/errors.js';
import { Kernel } from '../../core/kernel.js';
import type { LLMMessage } from '../../core/types.js';
import { AnthropicProvider } from '../../plugins/anthropic/index.js';
import cost, { getCostLedger } from '../../plugins/cost/index.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { createGateway, type Gateway } from '../../server/index.js';
import { BudgetUpstream } from './budget-upstream.js';

const upstream = new BudgetUpstream();
const gateways: Gateway[] = [];
beforeAll(() => upstream.start());
afterAll(() => upstream.stop());
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  upstream.reset();
});

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];
/** claude-haiku-4-5: $1 per 1M input tokens, $5 per 1M output tokens. */
const HAIKU_50K_INPUT_USD = (50_000 * 1 + 1 * 5) / 1e6;

function setup(budgetUsd: number) {
  const kernel = new Kernel()
    .register('claude', new AnthropicProvider({ apiKey: 'sk-ant-test-budget-0000', model: 'claude-haiku-4-5', baseURL: `${upstream.baseURL}/v1` }))
    .register('gpt', new OpenAIProvider({ apiKey: 'sk-test-budget-0000', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1` }));
  cost.apply(kernel, { budgetUsd });
  return { kernel, ledger: getCostLedger(kernel)! };
}

describe('budget: a stream cancelled after its first event is charged to the budget', () => {
  it("with the 50,000 input tokens Anthropic's message_start reported, and its reservation is given back", async () => {
    upstream.model = 'claude-haiku-4-5-20251001';
    upstream.usage = { prompt_tokens: 50_000, completion_tokens: 0 };
    const { kernel, ledger } = setup(0.06);
    for await (const event of kernel.backend('claude').inferStream(hello, [], { maxTokens: 100 })) if (event.type === 'text-delta') break;
    expect(ledger.summary()).toMatchObject({ calls: 1, partialCalls: 1, estimatedCalls: 0 });
    expect(ledger.summary().totalUsd).toBeCloseTo(HAIKU_50K_INPUT_USD, 9);

    // The next call reserves $0.05 for 10,000 output tokens: it no longer fits next to what the cancelled one spent.
    const refused = (await kernel.backend('claude').infer(hello, [], { maxTokens: 10_000 }).catch((error: unknown) => error)) as BudgetExceededError;
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused.spentUsd).toBeCloseTo(HAIKU_50K_INPUT_USD, 9);
    expect(refused.reservedUsd).toBe(0);
    expect(upstream.arrivals).toHaveLength(1);
  });

  it('with the estimated prompt when the provider reported nothing yet (OpenAI), counted in estimatedCalls', async () => {
    const probe = setup(0);
    const reservation = ((await probe.kernel.backend('gpt').infer(hello, [], { maxTokens: 1000 }).catch((error: unknown) => error)) as BudgetExceededError).estimatedUsd;
    // A budget of exactly one call: once the cancelled stream is charged anything, the same call no longer fits.
    const { kernel, ledger } = setup(reservation);
    for await (const event of kernel.backend('gpt').inferStream(hello, [], { maxTokens: 1000 })) if (event.type === 'text-delta') break;
    const summary = ledger.summary();
    expect(summary).toMatchObject({ calls: 1, estimatedCalls: 1 });
    expect(summary.totalUsd).toBeGreaterThan(0);
    const refused = (await kernel.backend('gpt').infer(hello, [], { maxTokens: 1000 }).catch((error: unknown) => error)) as BudgetExceededError;
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused.spentUsd).toBe(summary.totalUsd);
    expect(refused.reservedUsd).toBe(0);
    expect(upstream.arrivals).toHaveLength(1);
  });
});

/** Opens a streamed chat completion at the gateway and hangs up after the first bytes of the answer. */
function streamAndHangUp(url: string, body: Record<string, unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (error) => (/socket hang up|aborted/.test(String(error)) ? resolve() : reject(error)));
    req.end(JSON.stringify(body));
  });
}

describe('budget: a gateway client that disconnects mid-stream is charged to the budget', () => {
  it('spends what the upstream counted, so the budget holds against clients that hang up', async () => {
    upstream.model = 'claude-haiku-4-5-20251001';
    upstream.usage = { prompt_tokens: 50_000, completion_tokens: 0 };
    const { kernel, ledger } = setup(0.06);
    let ended = 0;
    kernel.hooks.onCallEnd.tap('test', () => void (ended += 1));
    const gateway = createGateway({ port: 0, env: {}, kernel });
    gateways.push(gateway);
    const { url } = await gateway.listen();

    await streamAndHangUp(url, { model: 'claude', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] });
    await expect.poll(() => ended, { timeout: 5_000 }).toBe(1);
    expect(ledger.summary().totalUsd).toBeCloseTo(HAIKU_50K_INPUT_USD, 9);

    // A second client asking for up to 10,000 output tokens ($0.05) is refused before anything is sent.
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', stream: true, max_tokens: 10_000, messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(402);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('budget_exceeded');
    expect(answer.error.message).toMatch(/\$0\.0500\d* is spent and \$0\.00 is reserved by 0 call\(s\) in flight/);
    expect(upstream.arrivals).toHaveLength(1);
  });
});
