import { describe, expect, it } from 'vitest';
import { addUsage, calculateCost, costBreakdown } from '../core/cost.js';
import { ToolCallAssembler, parseToolArguments } from '../core/tool-call-assembler.js';
import { errorFromResponse } from '../core/http-errors.js';
import { parseDuration, parseRetryAfter } from '../core/rate-limit-headers.js';
import { readOpenAICompatibleRateLimitHeaders as parseRateLimitHeaders } from '../plugins/openai-compatible/index.js';
import { redactSecrets, registerSecret } from '../core/redact.js';
import { ToolArgumentsError } from '../core/errors.js';
import type { ModelInfo, StreamEvent } from '../core/types.js';

const capabilities = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: false, embeddings: false, promptCaching: true };
const sonnet: ModelInfo = {
  id: 'claude-sonnet',
  provider: 'anthropic',
  contextWindow: 200_000,
  maxOutputTokens: 8192,
  pricing: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  capabilities,
};

describe('calculateCost', () => {
  it('prices uncached input, cache reads, cache writes and output at their own rates', () => {
    const usage = { promptTokens: 10_000, completionTokens: 2_000, totalTokens: 12_000, cachedTokens: 6_000, cacheWriteTokens: 1_000 };
    // 3,000 uncached × 3 + 6,000 × 0.3 + 1,000 × 3.75 + 2,000 × 15, per 1M
    expect(calculateCost(sonnet, usage)).toBeCloseTo((3_000 * 3 + 6_000 * 0.3 + 1_000 * 3.75 + 2_000 * 15) / 1e6, 12);
    expect(costBreakdown(sonnet, usage)).toMatchObject({ source: 'catalog', cachedInput: 0.0018, cacheWrite: 0.00375, output: 0.03 });
  });

  it('prices cached tokens at the input rate when the model has no cached price', () => {
    const plain: ModelInfo = { ...sonnet, pricing: { input: 1, output: 1 } };
    expect(calculateCost(plain, { promptTokens: 1e6, completionTokens: 0, totalTokens: 1e6, cachedTokens: 5e5 })).toBeCloseTo(1, 12);
  });

  it('uses a provider-reported cost when present', () => {
    expect(calculateCost(sonnet, { promptTokens: 10, completionTokens: 10, totalTokens: 20, reportedCostUsd: 0.0123 })).toBe(0.0123);
  });

  it('returns undefined for unknown pricing rather than inventing a price', () => {
    expect(calculateCost({ ...sonnet, pricing: 'unknown' }, { promptTokens: 10, completionTokens: 10, totalTokens: 20 })).toBeUndefined();
  });

  it('adds usages, keeping optional counters only where present', () => {
    expect(addUsage({ promptTokens: 1, completionTokens: 2, totalTokens: 3 }, { promptTokens: 1, completionTokens: 1, totalTokens: 2, cachedTokens: 1 })).toEqual({
      promptTokens: 2,
      completionTokens: 3,
      totalTokens: 5,
      cachedTokens: 1,
    });
  });
});

function ends(events: StreamEvent[]) {
  return events.filter((event) => event.type === 'tool-call-end').map((event) => (event as Extract<StreamEvent, { type: 'tool-call-end' }>).toolCall);
}

describe('ToolCallAssembler', () => {
  it('assembles calls keyed by index from fragments, starting once the name is known', () => {
    const assembler = new ToolCallAssembler();
    const events = [
      ...assembler.push({ index: 0, id: 'call_a', name: 'get_weather', arguments: '' }),
      ...assembler.push({ index: 0, arguments: '{"ci' }),
      ...assembler.push({ index: 1, id: 'call_b', name: 'get_time', arguments: '{}' }),
      ...assembler.push({ index: 0, arguments: 'ty":"Paris"}' }),
      ...assembler.finish(),
    ];
    expect(events.map((event) => event.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-start', 'tool-call-delta', 'tool-call-delta', 'tool-call-end', 'tool-call-end']);
    expect(ends(events)).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' },
      { id: 'call_b', name: 'get_time', arguments: {}, rawArguments: '{}' },
    ]);
  });

  it('treats a reused index with a new id as a new call (local servers)', () => {
    const assembler = new ToolCallAssembler();
    assembler.push({ index: 0, id: 'a', name: 'one', arguments: '{"x":1}' });
    assembler.push({ index: 0, id: 'b', name: 'two', arguments: '{"y":2}' });
    expect(ends(assembler.finish()).map((call) => [call.id, call.name, call.arguments])).toEqual([
      ['a', 'one', { x: 1 }],
      ['b', 'two', { y: 2 }],
    ]);
  });

  it('falls back to ids when there is no index, and generates ids when there is none', () => {
    const assembler = new ToolCallAssembler();
    assembler.push({ id: 'x1', name: 'first', arguments: '{"a":' });
    assembler.push({ id: 'x1', arguments: '1}' });
    const events = [...assembler.push({ index: 3, name: 'anon' }), ...assembler.finish()];
    expect(ends(events).map((call) => [call.id, call.arguments])).toEqual([
      ['x1', { a: 1 }],
      ['call_1', {}],
    ]);
  });

  it('an empty argument string means {}', () => {
    expect(parseToolArguments('t', 'id', '')).toEqual({ id: 'id', name: 't', arguments: {}, rawArguments: '' });
  });

  it('arguments that never parse are a typed error naming the tool, never a silent drop', () => {
    const assembler = new ToolCallAssembler('openai');
    assembler.push({ index: 0, id: 'c', name: 'delete_file', arguments: '{"path": "/tmp' });
    expect(() => assembler.finish()).toThrow(ToolArgumentsError);
    expect(() => parseToolArguments('delete_file', 'c', '[1,2]')).toThrow(/delete_file/);
  });
});

describe('errorFromResponse', () => {
  const make = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    errorFromResponse({ provider: 'openai', status, headers, body: typeof body === 'string' ? body : JSON.stringify(body), apiKeyEnv: 'OPENAI_API_KEY' });

  it.each([
    [400, { error: { message: 'bad', type: 'invalid_request_error' } }, 'HA_INVALID_REQUEST', false],
    [400, { error: { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' } }, 'HA_CONTEXT_LENGTH_EXCEEDED', false],
    [401, { error: { message: 'Incorrect API key' } }, 'HA_AUTHENTICATION', false],
    [403, { error: { message: 'no access' } }, 'HA_PERMISSION', false],
    [404, { error: { message: 'The model `x` does not exist', code: 'model_not_found' } }, 'HA_MODEL_NOT_FOUND', false],
    [408, { error: { message: 'timeout' } }, 'HA_TIMEOUT', true],
    [409, { error: { message: 'conflict' } }, 'HA_SERVER', true],
    [429, { error: { message: 'Rate limit reached' } }, 'HA_RATE_LIMITED', true],
    [429, { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } }, 'HA_RATE_LIMITED', false],
    [500, { error: { message: 'oops' } }, 'HA_SERVER', true],
    [503, '<html><title>503 Service Unavailable</title></html>', 'HA_SERVER', true],
    [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'HA_OVERLOADED', true],
  ])('HTTP %i → %s', (status, body, code, retryable) => {
    const error = make(status, body);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
  });

  it('x-should-retry overrides the status default', () => {
    expect(make(500, {}, { 'x-should-retry': 'false' }).retryable).toBe(false);
    expect(make(400, {}, { 'x-should-retry': 'true' }).retryable).toBe(true);
  });

  it('keeps retry-after, request id and the advice', () => {
    const error = make(429, { error: { message: 'slow down' } }, { 'retry-after': '7', 'x-request-id': 'req_1' });
    expect(error.retryAfterMs).toBe(7000);
    expect(error.requestId).toBe('req_1');
    expect(error.message).toMatch(/openai returned HTTP 429: slow down. Slow down/);
    expect(make(401, {}).message).toMatch(/OPENAI_API_KEY/);
  });

  it('describes an HTML error page instead of dumping it', () => {
    expect(make(502, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>...</body></html>').message).toContain('an HTML page ("502 Bad Gateway")');
  });
});

describe('rate-limit headers', () => {
  const now = Date.parse('2026-04-05T14:28:30Z');
  it('reads retry-after-ms, retry-after seconds and dates', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '1500.5', 'retry-after': '9' })).toBe(1500.5);
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Sun, 05 Apr 2026 14:28:40 GMT' }, now)).toBe(10_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
  });

  it('reads OpenAI durations, Anthropic dates and OpenRouter epoch milliseconds', () => {
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('12ms')).toBe(12);
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit-requests': '5000', 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '1m30s' })).toEqual({
      limitRequests: 5000,
      remainingTokens: 10,
      resetTokensMs: 90_000,
    });
    expect(parseRateLimitHeaders({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-reset': '2026-04-05T14:28:37Z' }, now)).toEqual({
      limitRequests: 50,
      resetRequestsMs: 7000,
    });
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now + 30_000) }, now)).toEqual({
      limitRequests: 1,
      remainingRequests: 0,
      resetRequestsMs: 30_000,
    });
  });
});

describe('redaction', () => {
  it('hides provider key shapes, bearer tokens, header values and registered secrets', () => {
    registerSecret('my-very-own-secret-value');
    const text = redactSecrets(
      'key sk-proj-' + 'abcdefghijklmnopqrstuvwxyz012345 auth Bearer abc.def.ghi123 {"x-api-key":"sk-ant-' + 'api03-zzzzzzzzzzzzzzzzzzzz"} my-very-own-secret-value',
    );
    expect(text).not.toMatch(/abcdefghijklmnop|abc\.def|zzzzzzzz|my-very-own/);
    expect(text).toContain('[REDACTED]');
  });

  it('redacts secrets in error messages at construction', () => {
    registerSecret('sekrit-key-123456');
    expect(new ToolArgumentsError('t', 'id', 'sekrit-key-123456').message).not.toContain('sekrit-key-123456');
  });
});

describe('redaction keeps env references', () => {
  it('does not hide a ${ENV} reference, only real values', () => {
    expect(redactSecrets('"apiKey": "${ANTHROPIC_API_KEY}"')).toBe('"apiKey": "${ANTHROPIC_API_KEY}"');
    expect(redactSecrets('"apiKey": "abcdefgh12345"')).toBe('"apiKey": "[REDACTED]"');
  });
});

describe('ModelInfoCache: a backend answers modelInfo once per model', () => {
  it('hands out one frozen object per model, with the backend own rate limits', async () => {
    const { AnthropicProvider } = await import('../plugins/anthropic/index.js');
    const { OpenAIProvider } = await import('../plugins/openai/index.js');
    const claude = new AnthropicProvider({ apiKey: 'unused', model: 'claude-haiku-4-5', rateLimits: { rpm: 7, tpm: 700 } });
    expect(claude.modelInfo()).toBe(claude.modelInfo('claude-haiku-4-5'));
    expect(Object.isFrozen(claude.modelInfo())).toBe(true);
    expect(Object.isFrozen(claude.modelInfo().capabilities)).toBe(true);
    expect(claude.modelInfo().rateLimits).toEqual({ rpm: 7, tpm: 700 });
    // A copy with other limits answers with its own.
    expect(claude.withRateLimits(9, 900).modelInfo().rateLimits).toEqual({ rpm: 9, tpm: 900 });
    const gpt = new OpenAIProvider({ apiKey: 'unused', model: 'gpt-4o-mini' });
    expect(gpt.modelInfo('gpt-4o-mini')).toBe(gpt.modelInfo());
    expect(gpt.modelInfo('some-unknown-model').pricing).toBe('unknown');
  });
});

describe('HeadersByKey: a backend makes its headers once per API key', () => {
  it('hands out one frozen object while the key stays, and new headers when it changes', async () => {
    const { HeadersByKey } = await import('../core/headers-by-key.js');
    let made = 0;
    const headers = new HeadersByKey((apiKey) => (made++, { authorization: `Bearer ${apiKey}`, 'x-extra': '1' }));
    const first = headers.for('key-a');
    expect(headers.for('key-a')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(headers.for('key-b')).toEqual({ authorization: 'Bearer key-b', 'x-extra': '1' });
    expect(made).toBe(2);
  });
});
