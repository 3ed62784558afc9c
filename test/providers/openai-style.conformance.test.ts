// Every recorded response under test/fixtures/recorded/{openai,openrouter,local} through the matching
// provider, over real HTTP on 127.0.0.1: chat bodies through infer, SSE bodies through inferStream
// (whole, in 7-byte pieces, and one in 1-byte pieces), error bodies through both.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { InvalidResponseError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { InferenceOutput, LLMBackend, LLMMessage, StreamEvent } from '../../core/types.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { OpenAICompatibleProvider } from '../../plugins/openai-compatible/index.js';
import { OpenRouterProvider } from '../../plugins/openrouter/index.js';
import { FIXTURES_DIR, ReplayServer } from '../replay-server.js';
import { CASES, type Dir, type ErrorCase, type SuccessCase } from './openai-style-cases.js';
import {
  collect,
  errorOf,
  expectNoKey,
  expectOneTerminal,
  FAKE_OPENAI_KEY,
  FAKE_OPENROUTER_KEY,
  fixtureJson,
  fixtureText,
  reasoningOf,
  textOf,
} from './openai-style-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const PATHS: Record<Dir, string> = { openai: '/v1/chat/completions', openrouter: '/api/v1/chat/completions', local: '/v1/chat/completions' };
const KEYS: Record<Dir, string | undefined> = { openai: FAKE_OPENAI_KEY, openrouter: FAKE_OPENROUTER_KEY, local: undefined };

let server: ReplayServer;
let backends: Record<Dir, LLMBackend>;

beforeAll(async () => {
  server = await new ReplayServer().start();
  backends = {
    openai: new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-4o-mini' }),
    openrouter: new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL: `${server.baseURL}/api/v1`, model: 'anthropic/claude-haiku-4.5' }),
    local: new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'qwen3' }),
  };
});

afterAll(async () => {
  vi.useRealTimers();
  await server.stop();
  await closeAllPools();
});

const dirOf = (fixture: string): Dir => fixture.split('/')[0] as Dir;

function serve(fixture: string, extra: { chunkSize?: number; status?: number } = {}): void {
  server.enqueue(PATHS[dirOf(fixture)], { fixture, ...extra });
}

function expectOutput(output: InferenceOutput, expected: SuccessCase, backend: LLMBackend): void {
  expect(output.content).toBe(expected.content);
  expect(output.reasoning).toBe(expected.reasoning);
  expect(output.toolCalls).toEqual(expected.toolCalls);
  expect(output.tokenUsage).toEqual(expected.usage);
  expect(output.finishReason).toBe(expected.finishReason);
  expect(output.confidence).toBe(1);
  if (expected.metadata) expect(output.metadata).toMatchObject(expected.metadata);
  const cost = calculateCost(backend.modelInfo(output.metadata.model), output.tokenUsage);
  if (expected.costUsd === undefined) expect(cost).toBeUndefined();
  else expect(cost).toBeCloseTo(expected.costUsd, 12);
}

function expectError(error: unknown, expected: ErrorCase, dir: Dir): void {
  expect(error).toBeInstanceOf(expected.errorClass);
  const typed = error as HyperAgentError;
  expect(typed.code).toBe(expected.code);
  expect(typed.status).toBe(expected.httpStatus);
  expect(typed.retryable).toBe(expected.retryable);
  expect(typed.provider).toBe(dir === 'local' ? 'openai-compatible' : dir);
  if ('providerCode' in expected) expect(typed.providerCode).toBe(expected.providerCode);
  expect(typed.retryAfterMs).toBe(expected.retryAfterMs);
  if (expected.requestId !== undefined) expect(typed.requestId).toBe(expected.requestId);
  if (expected.rateLimit !== undefined) expect(typed.rateLimit).toEqual(expected.rateLimit);
  expect(typed.message).toMatch(expected.message);
  const key = KEYS[dir];
  if (key) expectNoKey(error, key);
}

describe('fixture coverage', () => {
  it('has an expectation for every recorded body under openai/, openrouter/ and local/', () => {
    const recorded = (['openai', 'openrouter', 'local'] as const).flatMap((dir) =>
      readdirSync(join(FIXTURES_DIR, dir))
        .filter((name) => !name.endsWith('.headers.txt'))
        .map((name) => `${dir}/${name}`),
    );
    expect(Object.keys(CASES).sort()).toEqual(recorded.sort());
  });
});

describe('chat bodies through infer', () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    if (expected.kind !== 'chat') continue;
    it(fixture, async () => {
      serve(fixture);
      const backend = backends[dirOf(fixture)];
      expectOutput(await backend.infer(HELLO), expected, backend);
    });
  }
});

describe('SSE bodies through inferStream', () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    if (expected.kind !== 'stream') continue;
    const backend = (): LLMBackend => backends[dirOf(fixture)];

    it(`${fixture}: events`, async () => {
      serve(fixture);
      const events = await collect(backend().inferStream(HELLO));
      const terminal = expectOneTerminal(events);
      expect(terminal).toEqual({ type: 'done', tokenUsage: expected.usage, finishReason: expected.finishReason });
      expect(textOf(events)).toBe(expected.content);
      expect(reasoningOf(events) || undefined).toBe(expected.reasoning);
      const ends = events.filter((event): event is Extract<StreamEvent, { type: 'tool-call-end' }> => event.type === 'tool-call-end');
      expect(ends.map((event) => event.toolCall)).toEqual(expected.toolCalls ?? []);
      for (const call of expected.toolCalls ?? []) {
        const start = events.find((event) => event.type === 'tool-call-start' && event.id === call.id);
        expect(start).toMatchObject({ name: call.name });
        const deltas = events.map((event) => (event.type === 'tool-call-delta' && event.id === call.id ? event.argumentsDelta : '')).join('');
        expect(deltas).toBe(call.rawArguments);
      }
    });

    it(`${fixture}: stream.output()`, async () => {
      serve(fixture);
      expectOutput(await backend().inferStream(HELLO).output(), expected, backend());
    });

    it(`${fixture}: split into 7-byte writes assembles identically`, async () => {
      serve(fixture);
      const whole = await backend().inferStream(HELLO).output();
      serve(fixture, { chunkSize: 7 });
      const split = await backend().inferStream(HELLO).output();
      expect(split).toEqual(whole);
    });
  }

  it('openai/chat-stream-tool-call-argument-deltas.sse: split into 1-byte writes assembles identically', async () => {
    const fixture = 'openai/chat-stream-tool-call-argument-deltas.sse';
    serve(fixture);
    const whole = await backends.openai.inferStream(HELLO).output();
    serve(fixture, { chunkSize: 1 });
    const events = await collect(backends.openai.inferStream(HELLO));
    expectOneTerminal(events);
    serve(fixture, { chunkSize: 1 });
    expect(await backends.openai.inferStream(HELLO).output()).toEqual(whole);
    expect(events.filter((event) => event.type === 'tool-call-delta').map((event) => (event as { argumentsDelta: string }).argumentsDelta)).toEqual(
      // The recording's 11 non-empty argument fragments, one event each.
      ['{"', 'a', '":', '123', '1', ',"', 'b', '":', '233', '1', '}'],
    );
  });
});

describe('error bodies through infer and inferStream', () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    if (expected.kind !== 'error') continue;
    const dir = dirOf(fixture);
    const isStream = fixture.endsWith('.sse');
    const pinClock = (): void => {
      // Only Date is faked, so sockets and timers behave; it pins the epoch-ms rate-limit reset.
      if (fixture === 'openrouter/error-429-rate-limit.json') {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(new Date('Fri, 08 Aug 2025 15:40:34 GMT'));
      }
    };

    if (!isStream) {
      it(`${fixture}: infer rejects typed`, async () => {
        serve(fixture, { status: expected.status });
        pinClock();
        try {
          const error = await backends[dir].infer(HELLO).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expectError(error, expected, dir);
        } finally {
          vi.useRealTimers();
        }
      });
    }

    it(`${fixture}: inferStream ends with one error event${isStream ? '' : ' (HTTP error before any event)'}`, async () => {
      serve(fixture, { status: expected.status });
      pinClock();
      try {
        const stream = backends[dir].inferStream(HELLO);
        const events = await collect(stream);
        expectError(errorOf(events), expected, dir);
        await expect(stream.output()).rejects.toBe(errorOf(events));
        if (!isStream) expect(events).toHaveLength(1);
      } finally {
        vi.useRealTimers();
      }
    });
  }

  it('openrouter mid-stream error: the reasoning before it streams, and the error carries the usage of the same chunk', async () => {
    serve('openrouter/stream-processing-comments-midstream-error.sse', { chunkSize: 7 });
    const events = await collect(backends.openrouter.inferStream(HELLO));
    expect(reasoningOf(events)).toBe('We need to respond to a greeting. The user');
    expect(textOf(events)).toBe('');
    const terminal = expectOneTerminal(events);
    expect(terminal).toMatchObject({
      type: 'error',
      tokenUsage: { promptTokens: 43, completionTokens: 10, totalTokens: 53, cachedTokens: 0, reasoningTokens: 11, reportedCostUsd: 0 },
    });
  });

  it('openrouter mid-stream error split into 1-byte writes: comments, events and the error assemble the same', async () => {
    serve('openrouter/stream-processing-comments-midstream-error.sse');
    const whole = await collect(backends.openrouter.inferStream(HELLO));
    serve('openrouter/stream-processing-comments-midstream-error.sse', { chunkSize: 1 });
    const split = await collect(backends.openrouter.inferStream(HELLO));
    expect(split.map((event) => (event.type === 'error' ? { ...event, error: event.error.message } : event))).toEqual(
      whole.map((event) => (event.type === 'error' ? { ...event, error: event.error.message } : event)),
    );
  });
});

describe('Responses API recordings fed to the Chat Completions transform', () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    if (expected.kind !== 'responses') continue;
    it(`${fixture}: a typed InvalidResponseError, never a silent empty answer`, async () => {
      serve(fixture);
      const stream = backends.openai.inferStream(HELLO);
      const events = await collect(stream);
      expect(events).toHaveLength(1);
      const error = errorOf(events);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(/"response\.created".*api: "responses"/);
      await expect(stream.output()).rejects.toBeInstanceOf(InvalidResponseError);
    });
  }
});

describe('embeddings body', () => {
  it('openai/embeddings-dimensions.json: one 256-dimension vector, usage and cost', async () => {
    server.enqueue('/v1/embeddings', { fixture: 'openai/embeddings-dimensions.json' });
    const output = await backends.openai.embed('hello', { dimensions: 256 });
    const recorded = fixtureJson('openai/embeddings-dimensions.json');
    expect(output.embeddings).toEqual([recorded.data[0].embedding]);
    expect(output.embeddings[0]).toHaveLength(256);
    expect(output.model).toBe('text-embedding-3-small');
    expect(output.tokenUsage).toEqual({ promptTokens: 2, completionTokens: 0, totalTokens: 2 });
    expect(output.metadata).toMatchObject({ provider: 'openai', requestId: 'req_c5d48893a4bb437a9129024a78287d16' });
    expect(calculateCost(backends.openai.modelInfo(output.model), output.tokenUsage)).toBeCloseTo((2 * 0.02) / 1e6, 15);
    const sent = server.requests[server.requests.length - 1];
    expect(sent.path).toBe('/v1/embeddings');
    expect(sent.body).toEqual({ model: 'text-embedding-3-small', input: ['hello'], dimensions: 256 });
  });
});

describe('recorded quirks (SOURCES.md) hold in the fixtures and are handled', () => {
  it('OpenAI: the usage chunk has choices: [] and every chunk an obfuscation field; usage is still read', async () => {
    const fixture = 'openai/chat-stream-text-include-usage.sse';
    const chunks = fixtureText(fixture)
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)));
    expect(chunks.every((chunk) => typeof chunk.obfuscation === 'string')).toBe(true);
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { prompt_tokens: 14 } });
    serve(fixture);
    const output = await backends.openai.inferStream(HELLO).output();
    expect(output.tokenUsage.promptTokens).toBe(14);
    expect(JSON.stringify(output)).not.toContain('obfuscation');
  });

  it('OpenRouter: ": OPENROUTER PROCESSING" comment lines produce no events', async () => {
    const fixture = 'openrouter/stream-processing-comments-midstream-error.sse';
    expect(fixtureText(fixture).match(/^: OPENROUTER PROCESSING$/gm)).toHaveLength(17);
    serve(fixture);
    const events = await collect(backends.openrouter.inferStream(HELLO));
    // Two reasoning deltas and the error: nothing for the 17 comments.
    expect(events.map((event) => event.type)).toEqual(['reasoning-delta', 'reasoning-delta', 'error']);
  });

  it('OpenRouter: a non-streaming body that starts with whitespace keep-alive lines parses', async () => {
    const fixture = 'openrouter/chat-parallel-tool-calls-leading-whitespace.json';
    const text = fixtureText(fixture);
    expect(text.slice(0, text.indexOf('{'))).toMatch(/^\n[ \n]+$/);
    serve(fixture);
    expect((await backends.openrouter.infer(HELLO)).toolCalls).toHaveLength(2);
  });

  it('OpenRouter: usage arrives in a chunk that still has a dummy choices[0], with cost, is_byok and cost_details', () => {
    const last = fixtureText('openrouter/stream-text-usage-cost.sse')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)))
      .pop();
    expect(last.choices).toHaveLength(1);
    expect(last.usage).toMatchObject({ cost: 0, is_byok: false, cost_details: { upstream_inference_cost: null } });
  });

  it('OpenRouter: the mid-stream error object arrives with usage in one chunk on HTTP 200, followed by [DONE]', () => {
    const text = fixtureText('openrouter/stream-processing-comments-midstream-error.sse');
    const errorChunk = JSON.parse(text.split('\n').find((line) => line.includes('"error"'))!.slice(6));
    expect(errorChunk.error).toEqual({ code: 400, message: 'Token limit reached' });
    expect(errorChunk.usage.prompt_tokens).toBe(43);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('OpenRouter: error bodies carry a numeric error.code', () => {
    for (const name of ['error-400-context-length.json', 'error-401-missing-auth.json', 'error-429-rate-limit.json']) {
      expect(typeof fixtureJson(`openrouter/${name}`).error.code).toBe('number');
    }
  });

  it('Ollama: the whole tool call in one chunk, reasoning in delta.reasoning, usage without *_details', () => {
    const chunks = fixtureText('local/ollama-openai-compat-stream-reasoning-tool-call.sse')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)));
    const withCalls = chunks.filter((chunk) => chunk.choices[0]?.delta?.tool_calls);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0].choices[0].delta.tool_calls[0]).toMatchObject({ id: 'call_blqyt530', function: { name: 'weather' } });
    expect(chunks.some((chunk) => typeof chunk.choices[0]?.delta?.reasoning === 'string')).toBe(true);
    expect(Object.keys(chunks[chunks.length - 1].usage)).toEqual(['prompt_tokens', 'completion_tokens', 'total_tokens']);
  });
});
