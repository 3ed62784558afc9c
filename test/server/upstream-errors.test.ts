import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApprovalDeniedError,
  AuthenticationError,
  BudgetExceededError,
  ConfigError,
  ContextLengthError,
  HyperAgentError,
  InvalidRequestError,
  MissingApiKeyError,
  ModelNotFoundError,
  NetworkError,
  OverloadedError,
  PermissionError,
  RateLimitError,
  ServerError,
  StoreUnavailableError,
  TimeoutError,
  UnsupportedError,
} from '../../core/errors.js';
import { Kernel } from '../../core/kernel.js';
import { toErrorResponse } from '../../server/errors.js';
import { chatBody, sseData, startGateway } from './helpers.js';

const json = { 'content-type': 'application/json' };
const FAKE_PROVIDER_KEY = 'sk-proj-' + 'UPSTREAMsecretKEY0123456789abcdef';

describe('upstream errors are mapped to OpenAI statuses and error bodies', () => {
  it('turns an upstream 429 into 429 with retry-after', async () => {
    const { url, backend } = await startGateway();
    backend.output = new RateLimitError('openai rate limit: 500 requests per minute.', { status: 429, retryAfterMs: 2500, provider: 'fake' });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.headers['retry-after-ms']).toBe('2500');
    expect(await response.body.json()).toEqual({
      error: { message: 'openai rate limit: 500 requests per minute.', type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null },
    });
  });

  it('turns an upstream 401 into 502 and never shows the provider key', async () => {
    const { url, backend } = await startGateway();
    const upstream = new AuthenticationError('placeholder', { status: 401, provider: 'fake' });
    // As if the provider's message quoted the key, and redaction had not caught it at construction.
    Object.defineProperty(upstream, 'message', { value: `Incorrect API key provided: ${FAKE_PROVIDER_KEY}. You can find your API key at ...` });
    backend.output = upstream;
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody() });
    expect(response.statusCode).toBe(502);
    const text = await response.body.text();
    expect(text).not.toContain(FAKE_PROVIDER_KEY);
    expect(text).not.toContain('UPSTREAMsecret');
    expect(JSON.parse(text)).toMatchObject({ error: { type: 'upstream_authentication_error', code: 'upstream_authentication_failed' } });
  });

  it('answers with a real status when a stream fails before its first event', async () => {
    const { url, backend } = await startGateway();
    backend.steps = [{ type: 'error', error: new OverloadedError('Overloaded.', { retryAfterMs: 1000 }) }];
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(await response.body.json()).toMatchObject({ error: { code: 'upstream_overloaded' } });
  });

  it('ends a stream that fails midway with one error event and no [DONE]', async () => {
    const { url, backend } = await startGateway();
    backend.steps = [
      { type: 'text-delta', text: 'Hello' },
      { type: 'error', error: new ServerError(`upstream 500 while using ${FAKE_PROVIDER_KEY}`) },
    ];
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true, stream_options: { include_usage: true } }) });
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(text).not.toContain(FAKE_PROVIDER_KEY);
    const data = sseData(text);
    expect(data).not.toContain('[DONE]');
    const last = JSON.parse(data[data.length - 1]!) as Record<string, any>;
    expect(last).toEqual({ error: { message: expect.stringContaining('[REDACTED]'), type: 'upstream_error', code: 'upstream_server_error', param: null } });
    expect(JSON.parse(data[1]!).choices[0].delta.content).toBe('Hello');
  });

  it('ends a stream with an error event, not silence, when a plugin fails it after the last delta', async () => {
    const { url, kernel } = await startGateway();
    kernel.hooks.afterInfer.tapPromise('deny-all', async () => {
      throw new ApprovalDeniedError('Denied by policy.');
    });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }) });
    const data = sseData(await response.body.text());
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data[data.length - 1]!)).toEqual({ error: expect.objectContaining({ message: expect.any(String), type: expect.any(String) }) });
  });

  it('maps embeddings errors the same way', async () => {
    const { url, backend } = await startGateway();
    backend.embedError = new UnsupportedError('The fake backend has no embeddings.');
    const response = await request(`${url}/v1/embeddings`, { method: 'POST', headers: json, body: JSON.stringify({ model: 'fake', input: 'x' }) });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({ error: { code: 'unsupported_operation' } });
  });
});

describe('a backend that cannot be created', () => {
  it('is still listed, and calling it is a 502 that names no key', async () => {
    const kernel = new Kernel().register('broken', () => {
      throw new MissingApiKeyError('No API key for backend "broken": set OPENAI_API_KEY.');
    });
    const logged: Record<string, unknown>[] = [];
    const logger = { info() {}, warn() {}, error: (data: Record<string, unknown>) => void logged.push(data) };
    const { url } = await startGateway({ kernel, logger });
    const models = await request(`${url}/v1/models`);
    expect(await models.body.json()).toEqual({ object: 'list', data: [{ id: 'broken', object: 'model', created: expect.any(Number), owned_by: 'unknown' }] });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: JSON.stringify({ model: 'broken', messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(response.statusCode).toBe(502);
    expect(await response.body.json()).toMatchObject({ error: { type: 'upstream_authentication_error', code: 'upstream_api_key_missing' } });
    // The operator's log says what to fix.
    expect(logged).toEqual([expect.objectContaining({ status: 502, code: 'HA_MISSING_API_KEY', backend: 'broken', message: expect.stringContaining('OPENAI_API_KEY') })]);
  });
});

describe('the error table', () => {
  it.each([
    [new InvalidRequestError('bad'), 400, 'invalid_request_error', null],
    [new ContextLengthError('too long'), 400, 'invalid_request_error', 'context_length_exceeded'],
    [new UnsupportedError('no'), 400, 'invalid_request_error', 'unsupported_operation'],
    [new BudgetExceededError('Budget of $5 spent.', 5, 5.01, 0.02), 402, 'insufficient_quota', 'budget_exceeded'],
    [new PermissionError('no access'), 403, 'permission_error', 'upstream_permission_denied'],
    [new ApprovalDeniedError('Tool call denied.'), 403, 'permission_error', 'approval_denied'],
    [new ModelNotFoundError('no such model'), 404, 'invalid_request_error', 'model_not_found'],
    [new RateLimitError('slow'), 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [new AbortError(), 499, 'request_aborted', 'request_aborted'],
    [new ConfigError('Unknown backend "x" at /home/me/config.json'), 500, 'server_error', 'gateway_misconfigured'],
    [new AuthenticationError('bad key'), 502, 'upstream_authentication_error', 'upstream_authentication_failed'],
    [new MissingApiKeyError('Set OPENAI_API_KEY'), 502, 'upstream_authentication_error', 'upstream_api_key_missing'],
    [new ServerError('500'), 502, 'upstream_error', 'upstream_server_error'],
    [new NetworkError('ECONNRESET'), 502, 'upstream_error', 'upstream_unreachable'],
    [new OverloadedError('busy'), 503, 'upstream_overloaded', 'upstream_overloaded'],
    [new TimeoutError('slow'), 504, 'timeout_error', 'upstream_timeout'],
    [new StoreUnavailableError('redis://:hunter2@cache:6379 refused the connection'), 503, 'server_error', 'store_unavailable'],
  ] as [HyperAgentError, number, string, string | null][])('%s → %i %s', (error, status, type, code) => {
    const mapped = toErrorResponse(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.error).toMatchObject({ type, code });
    expect(JSON.stringify(mapped.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('gives the kernel\'s own check of a request the param it names, in OpenAI\'s field names', () => {
    const refused = (path: string): HyperAgentError => new InvalidRequestError('The request has a problem', { body: { problems: [{ path, message: 'x' }] } });
    expect(toErrorResponse(refused('messages[3].toolCallId')).body.error.param).toBe('messages[3].tool_call_id');
    expect(toErrorResponse(refused('messages[2].toolCalls[0].arguments')).body.error.param).toBe('messages[2].tool_calls[0].function.arguments');
    expect(toErrorResponse(refused('tools[1].parameters.type')).body.error.param).toBe('tools[1].function.parameters.type');
    // An upstream 400 carries the upstream's body, not ours: no param is made up for it.
    expect(toErrorResponse(new InvalidRequestError('bad', { status: 400, body: { problems: [{ path: 'messages' }] } })).body.error.param).toBeNull();
  });

  it('hides the message of the store and of config errors, and of anything that is not ours', () => {
    expect(toErrorResponse(new StoreUnavailableError('redis://:hunter2@cache:6379 refused')).body.error.message).not.toContain('hunter2');
    expect(toErrorResponse(new ConfigError('Unknown backend "x" at /home/me/config.json')).body.error.message).not.toContain('/home/me');
    const internal = toErrorResponse(new TypeError('Cannot read properties of undefined (reading "secret")'));
    expect(internal.status).toBe(500);
    expect(internal.body.error).toMatchObject({ type: 'server_error', code: 'internal_error' });
    expect(internal.body.error.message).not.toContain('secret');
  });
});
