import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, ContextLengthError, ErrorCode, HyperAgentError, InvalidRequestError, ServerError } from '../core/errors.js';
import { Kernel } from '../core/kernel.js';
import { registerGroup, ROUTING_PROVIDER, type RoutingGroupOptions } from '../core/routing/index.js';
import type { ModelInfo } from '../core/types.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import retry from '../plugins/retry/index.js';
import { FIXTURES_DIR, ReplayServer } from './replay-server.js';
import { collect, hi, observe, terminals, textOf } from './routing-helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY = 'sk-proj-' + 'ROUTINGTESTFAKEKEY0123456789abcdef';
const CHAT = '/v1/chat/completions';
const FIXTURE_TEXT = "Hello! I'm just a computer program, so I don't have feelings, but I'm here to help you. How can I assist you today?";
/** What OpenAI sends when it is overloaded (no recording has one: it is written out here). */
const unavailable = { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null } }) };

let server: ReplayServer;
beforeEach(async () => {
  server = await new ReplayServer().start();
});
afterEach(async () => {
  await server.stop();
});

/** Two OpenAI backends on the same replay server, told apart by path prefix, behind a kernel with retries and a group. */
function openAIGroup(group: Partial<RoutingGroupOptions> = {}, maxRetries = 1) {
  const kernel = new Kernel()
    .register('primary', new OpenAIProvider({ apiKey: KEY, baseURL: `${server.baseURL}/primary/v1`, model: 'gpt-4o-mini' }))
    .register('secondary', new OpenAIProvider({ apiKey: KEY, baseURL: `${server.baseURL}/secondary/v1`, model: 'gpt-4o-mini' }));
  void retry.apply(kernel, { maxRetries, initialDelayMs: 0, maxDelayMs: 0, jitter: false });
  const seen = observe(kernel);
  registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'], ...group });
  return { kernel, seen, team: kernel.backend('team') };
}

const paths = () => server.requests.map((request) => request.path);

describe('fallback: the primary fails with 503 after its retries, the secondary answers', () => {
  it('answers from the secondary; the primary was retried once, not twice over', async () => {
    server.enqueue(`/primary${CHAT}`, unavailable).enqueue(`/primary${CHAT}`, unavailable);
    server.enqueue(`/secondary${CHAT}`, { fixture: 'openai/chat-completion-text.json' });
    const { team, seen } = openAIGroup();

    const output = await team.infer(hi);

    expect(output.content).toBe(FIXTURE_TEXT);
    expect(paths()).toEqual([`/primary${CHAT}`, `/primary${CHAT}`, `/secondary${CHAT}`]);
    expect(output.metadata).toMatchObject({ backend: 'secondary', routedBy: 'team', attemptedTargets: ['primary', 'secondary'], provider: 'openai' });
    // Every target call ran the hooks; cost went once, to the target that answered.
    expect(seen.calls).toEqual(['primary', 'secondary']);
    expect(seen.errors).toEqual(['primary']);
    expect(seen.costs.map((cost) => cost.backendName)).toEqual(['secondary']);
    expect(output.metadata.costUsd).toBe(seen.costs[0].costUsd);
    expect(seen.routing.filter((data) => data.event !== 'attempt')).toEqual([{ event: 'fallback', group: 'team', from: 'primary', code: ErrorCode.SERVER, status: 503 }]);
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('streams from the secondary when the primary’s stream fails before its first event', async () => {
    server.enqueue(`/primary${CHAT}`, unavailable).enqueue(`/primary${CHAT}`, unavailable);
    server.enqueue(`/secondary${CHAT}`, { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 50 });
    const { team, seen } = openAIGroup();

    const stream = team.inferStream(hi);
    const events = await collect(stream);

    expect(terminals(events)).toEqual([expect.objectContaining({ type: 'done' })]);
    expect(events.some((event) => event.type === 'error')).toBe(false);
    expect(textOf(events)).toBe('1, 2, 3, 4, 5');
    const output = await stream.output();
    expect(output.content).toBe('1, 2, 3, 4, 5');
    expect(output.metadata).toMatchObject({ backend: 'secondary', routedBy: 'team', attemptedTargets: ['primary', 'secondary'] });
    expect(output.metadata.costUsd).toBeGreaterThan(0);
    expect(seen.costs.map((cost) => cost.backendName)).toEqual(['secondary']);
  });
});

describe('a 400 does not fall back', () => {
  it('rejects with the primary’s invalid-request error and never calls the secondary, even with 4xx listed', async () => {
    server.enqueue(`/primary${CHAT}`, { fixture: 'openai/error-400-unsupported-parameter.json', status: 400 });
    const { team } = openAIGroup({ fallbackOn: ['4xx', 'retryable'] });

    const error = await team.infer(hi).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as HyperAgentError).status).toBe(400);
    expect(paths()).toEqual([`/primary${CHAT}`]);
  });

  it('does not move on from a context-length error unless `context_length` is listed', async () => {
    server.enqueue(`/primary${CHAT}`, { fixture: 'openai/error-400-context-length-exceeded.json' });
    const { team } = openAIGroup();
    await expect(team.infer(hi)).rejects.toBeInstanceOf(ContextLengthError);
    expect(paths()).toEqual([`/primary${CHAT}`]);
  });
});

/** A mock with its own context window, to show a context-length fallback skipping targets no larger. */
class SizedMock extends MockBackend {
  constructor(
    private readonly contextWindow: number,
    response: MockResponse | string,
  ) {
    super({ defaultResponse: response });
  }
  override modelInfo(model?: string): ModelInfo {
    return { ...super.modelInfo(model), contextWindow: this.contextWindow };
  }
}

describe('context_length falls back to a target with a larger context window', () => {
  it('skips a target no larger than the one that was too small', async () => {
    const small = new SizedMock(8_000, MockResponse.error('context-length'));
    const same = new SizedMock(8_000, 'same size');
    const large = new SizedMock(200_000, 'large enough');
    const kernel = new Kernel().register('small', small).register('same', same).register('large', large);
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['small', 'same', 'large'], fallbackOn: ['retryable', 'context_length'] });

    const output = await kernel.backend('team').infer(hi);

    expect(output.content).toBe('large enough');
    expect(output.metadata.attemptedTargets).toEqual(['small', 'large']);
    expect(same.callCount).toBe(0);
  });
});

describe('a stream that failed mid-way does not fall back', () => {
  it('ends with the primary’s one error event, and no text from the secondary', async () => {
    const fixture = readFileSync(join(FIXTURES_DIR, 'openai/chat-stream-text-include-usage.sse'), 'utf8');
    // Cut the connection after the third SSE event: two text deltas ("1", ",") have been sent.
    let cut = 0;
    for (let i = 0; i < 3; i++) cut = fixture.indexOf('\n\n', cut) + 2;
    server.enqueue(`/primary${CHAT}`, { fixture: 'openai/chat-stream-text-include-usage.sse', truncateAt: cut });
    server.enqueue(`/secondary${CHAT}`, { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const { team } = openAIGroup();

    const stream = team.inferStream(hi);
    const events = await collect(stream);

    const ends = terminals(events);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toBe(events[events.length - 1]);
    expect(ends[0].type).toBe('error');
    expect(textOf(events)).toBe('1,');
    expect(paths()).toEqual([`/primary${CHAT}`]);
    await expect(stream.output()).rejects.toBeInstanceOf(HyperAgentError);
  });
});

describe('all targets failing', () => {
  it('rejects with the last target’s error, its message naming every target tried', async () => {
    const backends = ['a', 'b', 'c'].map((name) => new MockBackend({ defaultResponse: MockResponse.error('server', `${name} is down`) }));
    const kernel = new Kernel().register('a', backends[0]).register('b', backends[1]).register('c', backends[2]);
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['a', 'b', 'c'] });

    const error = (await kernel.backend('team').infer(hi).catch((caught: unknown) => caught)) as HyperAgentError;

    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe(ErrorCode.SERVER);
    expect(error.message).toBe('c is down [backend group "team" tried "a", then "b", then "c"]');
    expect(error.stack).toContain('tried "a", then "b", then "c"');
    expect(backends.map((backend) => backend.callCount)).toEqual([1, 1, 1]);
  });

  it('ends a stream with one error event carrying the same message', async () => {
    const kernel = new Kernel()
      .register('a', new MockBackend({ defaultResponse: MockResponse.error('overloaded') }))
      .register('b', new MockBackend({ defaultResponse: MockResponse.error('timeout') }));
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['a', 'b'] });

    const events = await collect(kernel.backend('team').inferStream(hi));

    expect(events).toHaveLength(1);
    const [end] = events;
    expect(end.type === 'error' && end.error.code).toBe(ErrorCode.TIMEOUT);
    expect(end.type === 'error' && end.error.message).toMatch(/\[backend group "team" tried "a", then "b"\]$/);
  });
});

describe('abort: no fallback', () => {
  it('an abort while the primary works rejects with AbortError and never calls the secondary', async () => {
    const primary = new MockBackend({ defaultResponse: MockResponse.text('slow').withLatency(5_000) });
    const secondary = new MockBackend();
    const kernel = new Kernel().register('primary', primary).register('secondary', secondary);
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'], fallbackOn: ['retryable', 'timeout', 'network'] });
    const controller = new AbortController();

    const pending = kernel.backend('team').infer(hi, [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);

    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(primary.callCount).toBe(1);
    expect(secondary.callCount).toBe(0);
  });

  it('an aborted stream ends with one AbortError event and never reaches the secondary', async () => {
    const primary = new MockBackend({ defaultResponse: MockResponse.text('slow').withLatency(5_000) });
    const secondary = new MockBackend();
    const kernel = new Kernel().register('primary', primary).register('secondary', secondary);
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });
    const controller = new AbortController();

    const stream = kernel.backend('team').inferStream(hi, [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const events = await collect(stream);

    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && events[0].error.code).toBe(ErrorCode.ABORTED);
    expect(secondary.callCount).toBe(0);
  });
});

describe('a group is an LLMBackend', () => {
  it('is registered unwrapped: one hook run per target call, and retries are not nested', async () => {
    let failures = 2;
    const primary = new MockBackend().when(() => failures-- > 0, MockResponse.error('server'));
    const kernel = new Kernel().register('primary', primary).register('secondary', new MockBackend());
    void retry.apply(kernel, { maxRetries: 1, initialDelayMs: 0, maxDelayMs: 0, jitter: false });
    const seen = observe(kernel);
    const group = registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });

    expect(kernel.backend('team')).toBe(group);
    const output = await group.infer(hi);

    expect(output.metadata).toMatchObject({ backend: 'secondary', routedBy: 'team', attemptedTargets: ['primary', 'secondary'] });
    expect(primary.callCount).toBe(2);
    expect(seen.notices.filter((notice) => notice.type === 'retry')).toHaveLength(1);
    expect(seen.calls).toEqual(['primary', 'secondary']);
    expect(seen.costs).toHaveLength(1);
    // Target calls carry the group's name for plugins and logs.
    expect(primary.lastCall?.options.metadata).toEqual({ routedBy: 'team' });
  });

  it('embeds through its targets too', async () => {
    const kernel = new Kernel().register('b', new MockBackend({ embeddingDimensions: 4 }));
    // The mock's embed never fails, so the failing first target is one that cannot be reached.
    kernel.register('broken', () => {
      throw new ServerError('cannot reach the embedding service', { status: 503 });
    });
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['broken', 'b'] });

    const output = await kernel.backend('team').embed(['one', 'two']);

    expect(output.embeddings).toHaveLength(2);
    expect(output.embeddings[0]).toHaveLength(4);
    expect(output.metadata).toMatchObject({ backend: 'b', routedBy: 'team', attemptedTargets: ['broken', 'b'] });
  });

  it('describes itself: its name as id, the smallest limits, the capabilities every target has, the primary’s price', () => {
    const kernel = new Kernel()
      .register('big', new MockBackend({ capabilities: { vision: true, thinking: true } }))
      .register('small', new SizedMock(16_000, 'hi'))
      .register('plain', new MockBackend({ capabilities: { thinking: false, functionCalling: false } }));
    const team = registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['big', 'small', 'plain'] });

    const info = team.modelInfo();

    expect(info).toMatchObject({ id: 'team', provider: ROUTING_PROVIDER, contextWindow: 16_000, maxOutputTokens: 8_192, pricing: kernel.backend('big').modelInfo().pricing });
    expect(info.capabilities).toMatchObject({ functionCalling: false, thinking: false, vision: true, streaming: true });
    expect(team.supportsFunctionCalling()).toBe(false);
    expect(team.supportsStreaming()).toBe(true);
    expect(team.provider).toBe(ROUTING_PROVIDER);
  });

  it('checks its options when made in code', () => {
    const kernel = new Kernel().register('a', new MockBackend());
    expect(() => registerGroup(kernel, 'g1', { strategy: 'roundrobin' as 'fallback', targets: ['a'] })).toThrow(/`strategy` must be "fallback" or "loadbalance"/);
    expect(() => registerGroup(kernel, 'g2', { strategy: 'fallback', targets: [] })).toThrow(/at least one backend/);
    expect(() => registerGroup(kernel, 'g3', { strategy: 'fallback', targets: ['a', { backend: 'a', weight: 2 }] })).toThrow(/"a" is listed twice/);
    expect(() => registerGroup(kernel, 'g4', { strategy: 'loadbalance', targets: [{ backend: 'a', weight: 0 }] })).toThrow(/weight` must be a number greater than 0/);
    expect(() => registerGroup(kernel, 'g5', { strategy: 'fallback', targets: ['a'], fallbackOn: ['400'] })).toThrow(/fallbackOn: unknown "400"/);
    expect(() => registerGroup(kernel, 'g6', { strategy: 'fallback', targets: ['a'], cooldown: { failures: 1.5 } })).toThrow(/cooldown.failures` must be an integer/);
    expect(kernel.backendNames).toEqual(['a']);
  });

  it('an unknown target is a ConfigError, not a reason to fall back', async () => {
    const secondary = new MockBackend();
    const kernel = new Kernel().register('secondary', secondary);
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['missing', 'secondary'], fallbackOn: ['retryable', '5xx', 'HA_INTERNAL'] });
    await expect(kernel.backend('team').infer(hi)).rejects.toMatchObject({ code: ErrorCode.CONFIG, message: expect.stringMatching(/Unknown backend "missing"/) });
    expect(secondary.callCount).toBe(0);
  });
});
