import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configProblems } from '../core/config.js';
import { checkConfig, createHyperAgent } from '../core/create-hyper-agent.js';
import { ConfigError } from '../core/errors.js';
import { FALLBACK_ON_VALUES, RoutingGroup, routingState } from '../core/routing/index.js';
import { getCostLedger } from '../plugins/cost/index.js';
import { ReplayServer } from './replay-server.js';
import { collect, hi, textOf } from './routing-helpers.js';

const KEY = 'sk-proj-' + 'ROUTINGCONFIGFAKEKEY0123456789abcd';
const CHAT = '/v1/chat/completions';
const unavailable = { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'The server is overloaded or not ready yet.', type: 'server_error' } }) };

let server: ReplayServer;
let dir: string;
beforeEach(async () => {
  server = await new ReplayServer().start();
  dir = await mkdtemp(join(tmpdir(), 'hyperagent-routing-'));
});
afterEach(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function configJson() {
  return {
    $schema: './schemas/hyperagent.config.schema.json',
    defaultBackend: 'team',
    backends: {
      gpt: { provider: 'openai', model: 'gpt-4o-mini', apiKey: '${ROUTING_TEST_KEY}', baseURL: `${server.baseURL}/v1` },
      demo: { provider: 'mock', options: { defaultResponse: { text: 'The mock took over.' } } },
      team: { strategy: 'fallback', targets: ['gpt', 'demo'], fallbackOn: ['5xx', 'rate_limit', 'timeout', 'network'], cooldown: { failures: 5, windowMs: 60000, cooldownMs: 30000 } },
      pool: { strategy: 'loadbalance', targets: [{ backend: 'demo', weight: 3 }, { backend: 'gpt', weight: 1 }] },
    },
    plugins: [['retry', { maxRetries: 1, initialDelayMs: 0, maxDelayMs: 0 }], 'cost'],
  };
}

describe('a group in hyperagent.config.json, loaded by createHyperAgent, works end to end', () => {
  it('falls back from the OpenAI backend (503 twice) to the mock, and the default backend is the group', async () => {
    await writeFile(join(dir, 'hyperagent.config.json'), JSON.stringify(configJson(), null, 2));
    server.enqueue(CHAT, unavailable).enqueue(CHAT, unavailable);
    const agent = await createHyperAgent({ config: 'hyperagent.config.json', cwd: dir, env: { ROUTING_TEST_KEY: KEY } });

    expect(agent.backendNames).toEqual(['gpt', 'demo', 'team', 'pool']);
    expect(agent.backend()).toBeInstanceOf(RoutingGroup);
    const output = await agent.backend().infer(hi);

    expect(output.content).toBe('The mock took over.');
    expect(output.metadata).toMatchObject({ backend: 'demo', routedBy: 'team', attemptedTargets: ['gpt', 'demo'] });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(Object.keys(getCostLedger(agent.kernel)!.summary().byBackend)).toEqual(['demo']);
    expect(routingState(agent.kernel).map((state) => [state.group, state.strategy, state.targets.map((target) => `${target.backend}:${target.status}:${target.recentFailures}`)])).toEqual([
      ['team', 'fallback', ['gpt:healthy:1', 'demo:healthy:0']],
      ['pool', 'loadbalance', ['demo:healthy:0', 'gpt:healthy:0']],
    ]);
  });

  it('streams through the group from the OpenAI recording when the primary is up', async () => {
    server.enqueue(CHAT, { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const agent = await createHyperAgent({ config: configJson(), cwd: dir, env: { ROUTING_TEST_KEY: KEY } });

    const stream = agent.backend('team').inferStream(hi);
    expect(textOf(await collect(stream))).toBe('1, 2, 3, 4, 5');
    expect((await stream.output()).metadata).toMatchObject({ backend: 'gpt', routedBy: 'team', attemptedTargets: ['gpt'], provider: 'openai' });
  });

  it('moves on from a target whose API key variable is not set when fallbackOn names authentication, and not otherwise', async () => {
    const config = configJson();
    const withFallbackOn = (fallbackOn: string[]) => ({ ...config, backends: { ...config.backends, team: { strategy: 'fallback' as const, targets: ['gpt', 'demo'], fallbackOn } } });

    const falls = await createHyperAgent({ config: withFallbackOn(['authentication']), cwd: dir, env: {} });
    const output = await falls.backend('team').infer(hi);
    expect(output.content).toBe('The mock took over.');
    expect(output.metadata).toMatchObject({ backend: 'demo', attemptedTargets: ['gpt', 'demo'] });
    expect(server.requests).toHaveLength(0);

    const stops = await createHyperAgent({ config: withFallbackOn(['5xx']), cwd: dir, env: {} });
    const error = await stops.backend('team').infer(hi).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'HA_MISSING_API_KEY', message: expect.stringContaining('environment variable ROUTING_TEST_KEY is not set') });
  });

  it('a group the schema lets through but that cannot work is a ConfigError at its path', async () => {
    const config = configJson();
    const bad = { ...config, backends: { ...config.backends, team: { strategy: 'fallback', targets: ['gpt', { backend: 'gpt' }] } } };
    const error = (await createHyperAgent({ config: bad as never, cwd: dir, env: {} }).catch((caught: unknown) => caught)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([{ path: '/backends/team', message: expect.stringMatching(/"gpt" is listed twice/) }]);
  });
});

describe('validate catches what is wrong with a group', () => {
  it('reports unknown targets, unknown fallbackOn words and repeated targets by JSON path', async () => {
    const raw = {
      backends: {
        gpt: { provider: 'openai' },
        team: { strategy: 'fallback', targets: ['gtp', 'nope'], fallbackOn: ['context-length', '400'] },
        twice: { strategy: 'loadbalance', targets: ['gpt', 'gpt'] },
      },
    };
    const problems = await checkConfig({ config: raw, configDir: dir });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/backends/team/targets/0', message: 'no backend is named "gtp" — did you mean "gpt"?' },
        { path: '/backends/team/targets/1', message: expect.stringMatching(/^no backend is named "nope"/) },
        { path: '/backends/team/fallbackOn/0', message: expect.stringMatching(/^must be one of: retryable, .* \(got "context-length" — did you mean "context_length"\?\)$/) },
        { path: '/backends/team/fallbackOn/1', message: expect.stringMatching(/^must be one of: .*, 4xx, 5xx \(got "400" — did you mean "401"\?\)$/) },
        { path: '/backends/twice/targets', message: 'must not contain duplicates (items 0 and 1 are equal)' },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('the schema lists exactly the fallbackOn words the code understands', () => {
    const schema = JSON.parse(readFileSync(new URL('../schemas/hyperagent.config.schema.json', import.meta.url), 'utf8'));
    expect(schema.definitions.groupBackend.properties.fallbackOn.items.enum).toEqual(FALLBACK_ON_VALUES);
    expect(configProblems({ backends: { a: { provider: 'mock' }, g: { strategy: 'fallback', targets: ['a'], fallbackOn: [...FALLBACK_ON_VALUES] } } })).toEqual([]);
  });
});
