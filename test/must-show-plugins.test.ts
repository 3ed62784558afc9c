// Issue 4, "Must show": retry on a recorded-shape 429 with retry-after on a fake clock, no retry on a
// 401 (replay server and MockBackend); 500 concurrent calls under 100 RPM / 20,000 TPM; a budget
// refusal that never reaches the server; a log snapshot with a real-looking key redacted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, BudgetExceededError, ErrorCode } from '../core/errors.js';
import type { KernelNotice } from '../core/hooks.js';
import { Kernel } from '../core/kernel.js';
import { estimateInferTokens } from '../core/estimate.js';
import type { InferOptions, LLMMessage, TokenUsage } from '../core/types.js';
import cost, { getCostLedger } from '../plugins/cost/index.js';
import logging from '../plugins/logging/index.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { OpenAIProvider } from '../plugins/openai/index.js';
import rateLimit from '../plugins/rate-limit/index.js';
import retry from '../plugins/retry/index.js';
import { fixtureJson } from './providers/openai-style-helpers.js';
import { ReplayServer } from './replay-server.js';

const hi: LLMMessage[] = [{ role: 'user', content: 'hi' }];
const RECORDED_TEXT = fixtureJson('openai/chat-completion-text.json').choices[0].message.content as string;
/** A retryable 429 body in OpenAI's shape (the recorded 429 is "Request too large", which is not retryable). */
const RATE_LIMIT_BODY = JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } });

const replay = new ReplayServer();
beforeAll(async () => {
  await replay.start();
});
afterAll(async () => {
  await replay.stop();
});
afterEach(() => {
  vi.useRealTimers();
  replay.requests.length = 0;
});

function openai(apiKey = 'sk-test-must-show-plugins-0000'): OpenAIProvider {
  return new OpenAIProvider({ apiKey, model: 'gpt-4o-mini', baseURL: `${replay.baseURL}/v1` });
}

function withRetry(backend: OpenAIProvider | MockBackend) {
  const kernel = new Kernel();
  retry.apply(kernel, { maxRetries: 3, initialDelayMs: 100, jitter: false });
  kernel.register('b', backend);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => void notices.push(notice));
  const retries = () => notices.filter((notice): notice is Extract<KernelNotice, { type: 'retry' }> => notice.type === 'retry');
  return { client: kernel.backend('b'), retries };
}

// vi.waitFor advances fake timers on every check, which would move the very clock under test: poll on real time instead.
const realSetTimeout = globalThis.setTimeout;
const realDelay = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 1000 && !check(); tries += 1) await realDelay(5);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('retry: a 429 with retry-after: 2 from the OpenAI provider is retried after 2 s on a fake clock', () => {
  it('sends the second request only when the fake clock reaches 2,000 ms, then returns the recorded answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    replay.enqueue('/v1/chat/completions', { status: 429, body: RATE_LIMIT_BODY, headers: { 'content-type': 'application/json', 'retry-after': '2' } });
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const { client, retries } = withRetry(openai());

    const result = client.infer(hi);
    await until(() => retries().length === 1, 'the retry notice');
    expect(retries()[0]).toMatchObject({ attempt: 1, delayMs: 2000, error: expect.objectContaining({ code: ErrorCode.RATE_LIMITED, status: 429, retryAfterMs: 2000 }) });
    expect(replay.requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1999);
    await realDelay(100); // real time for a request that should not be sent yet
    expect(replay.requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1);
    await until(() => replay.requests.length === 2, 'the retried request');
    expect((await result).content).toBe(RECORDED_TEXT);
  });

  it('the same with the MockBackend: a scripted 429 with retry-after 2,000 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const mock = new MockBackend({ responses: [MockResponse.error('rate-limit').withRetryAfter(2000), MockResponse.text('after the wait')] });
    const { client, retries } = withRetry(mock);

    const result = client.infer(hi);
    await vi.advanceTimersByTimeAsync(1999);
    expect(mock.callCount).toBe(1);
    expect(retries().map((notice) => notice.delayMs)).toEqual([2000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(mock.callCount).toBe(2);
    expect((await result).content).toBe('after the wait');
  });
});

describe('retry: a 401 is never retried', () => {
  it('the recorded OpenAI 401 fails at once: the replay server saw exactly one request', async () => {
    // Nothing queued after the 401: a retry would get the replay server's 599 and count as a second request.
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/error-401-invalid-api-key.json' });
    const { client, retries } = withRetry(openai());

    const failure = await client.infer(hi).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(failure).toMatchObject({ status: 401, retryable: false });
    expect(replay.requests).toHaveLength(1);
    expect(retries()).toEqual([]);
  });

  it('the same with the MockBackend: one call, no retry notice', async () => {
    const mock = new MockBackend({ responses: [MockResponse.error('auth'), MockResponse.text('never')] });
    const { client, retries } = withRetry(mock);
    await expect(client.infer(hi)).rejects.toMatchObject({ code: ErrorCode.AUTHENTICATION, status: 401 });
    expect(mock.callCount).toBe(1);
    expect(retries()).toEqual([]);
  });
});

describe('rate-limit: 500 concurrent calls against a 100 RPM / 20,000 TPM backend (fake clock)', () => {
  const WINDOW = 60_000;
  const MAX_TOKENS = 250;
  const messagesOf = (index: number): LLMMessage[] => [{ role: 'user', content: `question number ${String(index).padStart(3, '0')}` }];
  // Realistic usage: the prompt as estimated, and fewer output tokens than maxTokens, so every call
  // settles below its reservation (about 260 reserved, 210 settled): the TPM limit binds, not RPM.
  const promptTokens = estimateInferTokens({ messages: messagesOf(0), tools: [], options: { maxTokens: MAX_TOKENS } }, 1024).promptTokens;
  const USAGE: TokenUsage = { promptTokens, completionTokens: 200, totalTokens: promptTokens + 200 };

  /** The most starts, and the most settled tokens, in any 60-second window that opens at a start. */
  function busiest(calls: readonly { start: number; tokens: number }[]): { requests: number; tokens: number } {
    const order = [...calls].sort((a, b) => a.start - b.start);
    let requests = 0;
    let tokens = 0;
    let end = 0;
    let inWindow = 0;
    for (let open = 0; open < order.length; open += 1) {
      while (end < order.length && order[end].start < order[open].start + WINDOW) inWindow += order[end++].tokens;
      requests = Math.max(requests, end - open);
      tokens = Math.max(tokens, inWindow);
      inWindow -= order[open].tokens;
    }
    return { requests, tokens };
  }

  it('never lets a 60-second window hold more than 100 starts or 20,000 settled tokens, and completes all 500', async () => {
    vi.useFakeTimers({ now: 0 });
    const mock = new MockBackend({ defaultResponse: MockResponse.text('ok').withUsage(USAGE).withLatency(1500) });
    const kernel = new Kernel();
    // A batch queued for minutes on purpose: past the default maxWaitMs (two minutes).
    rateLimit.apply(kernel, { backends: { mock: { rpm: 100, tpm: 20_000 } }, maxWaitMs: 20 * WINDOW });
    kernel.register('mock', mock);
    const client = kernel.backend('mock');
    const settled = new Map<string, number>();

    const calls = Array.from({ length: 500 }, (_, index) =>
      client.infer(messagesOf(index), [], { maxTokens: MAX_TOKENS }).then((output) => {
        settled.set(`question number ${String(index).padStart(3, '0')}`, output.tokenUsage.totalTokens);
        return output;
      }),
    );
    for (let minute = 0; minute < 20 && settled.size < 500; minute += 1) await vi.advanceTimersByTimeAsync(WINDOW);
    const outputs = await Promise.all(calls);

    expect(outputs).toHaveLength(500);
    expect(settled.size).toBe(500);
    expect(mock.callCount).toBe(500);
    const started = mock.calls.map((call) => {
      const text = call.messages[0].content as string;
      return { start: call.timestamp, tokens: settled.get(text)! };
    });
    expect(new Set(mock.calls.map((call) => call.messages[0].content)).size).toBe(500);
    const worst = busiest(started);
    expect(worst.requests).toBeLessThanOrEqual(100);
    expect(worst.tokens).toBeLessThanOrEqual(20_000);
    // The limits bind (an unlimited limiter fails these): the calls spread over minutes, windows run nearly full.
    expect(Math.max(...started.map((call) => call.start))).toBeGreaterThanOrEqual(4 * WINDOW);
    expect(worst.tokens).toBeGreaterThan(18_000);
  });
});

describe('cost: the call that would cross budgetUsd is refused before any request is sent', () => {
  it('spends on the first call, refuses the second with BudgetExceededError, and the replay server gets one request', async () => {
    const kernel = new Kernel();
    const budgetUsd = 0.000075;
    cost.apply(kernel, { budgetUsd });
    kernel.register('gpt', openai());
    const ledger = getCostLedger(kernel)!;
    // One response queued: a second request would get the replay server's 599 and show up in `requests`.
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const options: InferOptions = { maxTokens: 100 };

    const first = await kernel.backend('gpt').infer(hi, [], options);
    expect(first.content).toBe(RECORDED_TEXT);
    const spent = ledger.summary().totalUsd;
    expect(spent).toBeGreaterThan(0);
    expect(replay.requests).toHaveLength(1);

    const refused = await kernel.backend('gpt').infer(hi, [], options).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toMatchObject({ code: ErrorCode.BUDGET_EXCEEDED, budgetUsd, spentUsd: spent });
    const estimate = (refused as BudgetExceededError).estimatedUsd;
    // The same estimate fitted the budget before anything was spent: it is the spending that crosses it.
    expect(estimate).toBeLessThanOrEqual(budgetUsd);
    expect(spent + estimate).toBeGreaterThan(budgetUsd);
    expect(replay.requests).toHaveLength(1);
    expect(ledger.summary().calls).toBe(1);
  });
});

describe('logging: a real-looking key is redacted in headers, upstream errors and the config echo', () => {
  // Built from parts so that no literal in the repository looks like a key.
  const KEY = ['sk', 'proj', 'Zx9Qw3Er7Ty1Ui5Op2As8Df4Gh6Jk0Lz'].join('-');

  it('matches the snapshot, with times, pids and ports normalised, and the key nowhere', async () => {
    const chunks: string[] = [];
    const kernel = new Kernel();
    logging.apply(kernel, { level: 'debug', destination: { write: (line: string) => void chunks.push(line) } });
    kernel.register('demo', new MockBackend({ defaultResponse: MockResponse.text('ok').withUsage({ promptTokens: 3, completionTokens: 1, totalTokens: 4 }) }));
    kernel.register('gpt', openai(KEY));
    const message = `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`;
    replay.enqueue('/v1/chat/completions', { status: 401, body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }), headers: { 'content-type': 'application/json' } });

    // Request headers and the call's configuration, echoed by the debug request line.
    await kernel.backend('demo').infer(hi, [], {
      maxTokens: 8,
      providerOptions: { headers: { Authorization: `Bearer ${KEY}`, 'x-api-key': KEY, 'x-trace-id': 'trace-1' } },
      metadata: { apiKey: KEY, note: `configured with ${KEY}` },
    });
    // An upstream error that quotes the key.
    await expect(kernel.backend('gpt').infer(hi, [], { maxTokens: 8 })).rejects.toBeInstanceOf(AuthenticationError);
    // The key really was on the wire: the redaction is of something that was there.
    expect(replay.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);

    const output = chunks.join('');
    expect(output).not.toContain(KEY);
    expect(output).not.toContain(KEY.slice(8));
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .map(({ time: _time, pid: _pid, hostname: _hostname, durationMs: _durationMs, stack, ...rest }) =>
        // The stack's frames hold paths and line numbers: keep its first line (which quotes the upstream message).
        stack === undefined ? rest : { ...rest, stack: `${String(stack).split('\n')[0]}\n    at …` },
      );
    expect(lines).toMatchInlineSnapshot(`
      [
        {
          "backend": "demo",
          "callId": "call-1",
          "event": "request",
          "level": 20,
          "maxTokens": 8,
          "messageCount": 1,
          "model": "mock-model",
          "msg": "request",
          "name": "hyperagent",
          "operation": "infer",
          "options": {
            "maxTokens": 8,
            "metadata": {
              "apiKey": "[REDACTED]",
              "note": "configured with [REDACTED]",
            },
            "providerOptions": {
              "headers": {
                "Authorization": "[REDACTED]",
                "x-api-key": "[REDACTED]",
                "x-trace-id": "trace-1",
              },
            },
          },
          "provider": "mock",
          "toolCount": 0,
        },
        {
          "attempt": 1,
          "backend": "demo",
          "callId": "call-1",
          "event": "attempt",
          "level": 20,
          "model": "mock-model",
          "msg": "attempt",
          "name": "hyperagent",
          "operation": "infer",
          "provider": "mock",
        },
        {
          "attempts": 1,
          "backend": "demo",
          "callId": "call-1",
          "completionTokens": 1,
          "costUsd": 0.000005,
          "event": "usage",
          "level": 30,
          "maxTokens": 8,
          "messageCount": 1,
          "model": "mock-model",
          "msg": "usage",
          "name": "hyperagent",
          "operation": "infer",
          "promptTokens": 3,
          "provider": "mock",
          "toolCount": 0,
          "totalTokens": 4,
        },
        {
          "backend": "demo",
          "callId": "call-1",
          "contentLength": 2,
          "event": "response",
          "finishReason": "stop",
          "level": 30,
          "model": "mock-model",
          "msg": "response",
          "name": "hyperagent",
          "operation": "infer",
          "provider": "mock",
          "toolCalls": [],
        },
        {
          "backend": "gpt",
          "callId": "call-2",
          "event": "request",
          "level": 20,
          "maxTokens": 8,
          "messageCount": 1,
          "model": "gpt-4o-mini",
          "msg": "request",
          "name": "hyperagent",
          "operation": "infer",
          "options": {
            "maxTokens": 8,
          },
          "provider": "openai",
          "toolCount": 0,
        },
        {
          "attempt": 1,
          "backend": "gpt",
          "callId": "call-2",
          "event": "attempt",
          "level": 20,
          "model": "gpt-4o-mini",
          "msg": "attempt",
          "name": "hyperagent",
          "operation": "infer",
          "provider": "openai",
        },
        {
          "attempts": 1,
          "backend": "gpt",
          "callId": "call-2",
          "code": "HA_AUTHENTICATION",
          "event": "error",
          "level": 50,
          "message": "openai returned HTTP 401 (invalid_api_key): Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys. Check the API key (set OPENAI_API_KEY or "apiKey" on the backend).",
          "model": "gpt-4o-mini",
          "msg": "call failed: HA_AUTHENTICATION",
          "name": "hyperagent",
          "operation": "infer",
          "provider": "openai",
          "providerCode": "invalid_api_key",
          "retryable": false,
          "stack": "AuthenticationError: openai returned HTTP 401 (invalid_api_key): Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys. Check the API key (set OPENAI_API_KEY or "apiKey" on the backend).
          at …",
          "status": 401,
        },
      ]
    `);
  });
});
