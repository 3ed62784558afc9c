// Error statuses from every provider, through the kernel with retry, rate-limit and cost: a
// retryable status is retried (after `retry-after` when given) and then succeeds, or ends in the
// typed error it means once retries run out; nothing is left running, nothing is charged twice.
import { describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { AuthenticationError, ErrorCode, HyperAgentError, OverloadedError, RateLimitError, ServerError } from '../../core/errors.js';
import type { TokenUsage } from '../../core/types.js';
import { collect, useSharedRig, expectClean, expectOneTerminal, HELLO, startRig, streamOf, textOf, type Rig } from './harness.js';
import { COMPLETION_TOKENS, DEFAULT_TEXT, errorStatus, okJson, okStream, OPENROUTER_REPORTED_COST, PROMPT_TOKENS, providerOf, PROVIDERS, type ProviderName } from './wire.js';

let rig: Rig;
useSharedRig((shared) => (rig = shared));

const USAGE: TokenUsage = { promptTokens: PROMPT_TOKENS, completionTokens: COMPLETION_TOKENS, totalTokens: PROMPT_TOKENS + COMPLETION_TOKENS };

function expectedCost(name: ProviderName): number {
  return name === 'openrouter' ? OPENROUTER_REPORTED_COST : calculateCost(rig.backend(name).modelInfo(), USAGE)!;
}

const RETRYABLE: readonly [number, new (message: string) => HyperAgentError][] = [
  [429, RateLimitError],
  [500, ServerError],
  [502, ServerError],
  [503, ServerError],
  [529, OverloadedError],
];

function retries(): number[] {
  return rig.notices.flatMap((notice) => (notice.type === 'retry' ? [notice.delayMs] : []));
}

describe.each(PROVIDERS)('%s: retryable statuses', (name) => {
  it.each(RETRYABLE)('HTTP %i without retry-after is retried with backoff, then the call succeeds and is charged once', async (status) => {
    rig.server.enqueue(errorStatus(name, status), okJson(name));
    const output = await rig.backend(name).infer(HELLO);
    expect(output.content).toBe(DEFAULT_TEXT);
    expect(rig.server.requests).toHaveLength(2);
    expect(retries()).toEqual([1]);
    const summary = rig.ledger.summary();
    expect(summary.calls).toBe(1);
    expect(summary.totalUsd).toBeCloseTo(expectedCost(name), 12);
    await expectClean(rig);
  });

  it.each(RETRYABLE)('HTTP %i with retry-after-ms waits what the provider asked, also for a stream', async (status) => {
    rig.server.enqueue(errorStatus(name, status, { 'retry-after-ms': '30' }), okStream(name));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    expect(retries()).toEqual([30]);
    expect(rig.ledger.summary().calls).toBe(1);
    await expectClean(rig);
  });

  it.each(RETRYABLE)('HTTP %i every time ends in its typed error after maxRetries, with the status kept', async (status, ErrorClass) => {
    rig.server.enqueue(errorStatus(name, status), errorStatus(name, status), errorStatus(name, status));
    const error = await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, retryable: true, provider: providerOf(name) });
    expect(rig.server.requests).toHaveLength(3);
    expect(rig.ledger.summary().calls).toBe(0);
    await expectClean(rig);
  });

  it('a stream that gets HTTP 503 every time ends with one error event and no deltas', async () => {
    rig.server.enqueue(errorStatus(name, 503), errorStatus(name, 503), errorStatus(name, 503));
    const events = await collect(streamOf(rig, name));
    expect(events).toHaveLength(1);
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error.code).toBe(ErrorCode.SERVER);
    await expectClean(rig);
  });

  it('HTTP 401 is not retried and never shows the key', async () => {
    rig.server.enqueue({ status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'Incorrect API key provided: sk-fault-0123456789abcdefFAULTKEY.', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
    const error = (await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(rig.server.requests).toHaveLength(1);
    expect(`${error.message} ${JSON.stringify(error.body)} ${JSON.stringify(error)}`).not.toContain('0123456789abcdefFAULTKEY');
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: an HTML error page', (name) => {
  const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

  it('with a 502 becomes a ServerError that names the page, not its markup, and is retried', async () => {
    rig.server.enqueue(
      { status: 502, headers: { 'content-type': 'text/html' }, body: page },
      { status: 502, headers: { 'content-type': 'text/html' }, body: page },
      { status: 502, headers: { 'content-type': 'text/html' }, body: page },
    );
    const error = (await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('an HTML page ("502 Bad Gateway")');
    expect(error.message).not.toContain('<center>');
    expect(rig.server.requests).toHaveLength(3);
    await expectClean(rig);
  });

  it('with a 200 (a captive portal or a wrong baseURL) is an InvalidResponseError, not a crash', async () => {
    rig.server.enqueue({ status: 200, headers: { 'content-type': 'text/html' }, body: page });
    const error = (await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(error.code).toBe(ErrorCode.INVALID_RESPONSE);
    expect(error.message).toMatch(/not JSON/);
    await expectClean(rig);
  });
});

describe('a retry-after longer than the retry plugin will wait', () => {
  it.each(PROVIDERS)('%s: fails the call at once, and with maxWaitMs the next call fails fast too instead of waiting an hour', async (name) => {
    // Its own rig: the rate limiter holds the backend back for the hour the provider asked for.
    const own = await startRig({ rateLimit: { maxWaitMs: 1_000, backends: { [name]: { rpm: 1_000_000, tpm: 1_000_000_000 } } } });
    try {
      own.server.enqueue(errorStatus(name, 429, { 'retry-after': '3600' }));
      const started = performance.now();
      const first = await own.backend(name).infer(HELLO).catch((caught: unknown) => caught);
      expect(first).toBeInstanceOf(RateLimitError);
      expect(first).toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
      const second = await own.backend(name).infer(HELLO).catch((caught: unknown) => caught);
      expect(second).toBeInstanceOf(RateLimitError);
      expect((second as RateLimitError).message).toMatch(/no capacity .*retry-after.*maxWaitMs/);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(own.server.requests).toHaveLength(1);
      await expectClean(own);
    } finally {
      await own.server.stop();
    }
  });
});
