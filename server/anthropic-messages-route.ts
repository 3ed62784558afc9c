import { randomUUID } from 'node:crypto';
import { estimatePromptTokens } from '../core/estimate.js';
import { requestJson } from '../core/http.js';
import { convertToAnthropicMessage, type AnthropicMessageIdentity } from '../protocols/anthropic-messages/index.js';
import { anthropicUnauthorized, type AnthropicKeyCheck } from './anthropic-auth.js';
import { toAnthropicErrorResponse } from './anthropic-errors.js';
import { toAnthropicCall } from './anthropic-request.js';
import { reviewedMessage } from './anthropic-reviewed-message.js';
import { streamMessages } from './anthropic-stream-route.js';
import { anthropicInner, chooseTarget, forwardedHeaders, warningsHeader } from './anthropic-target.js';
import { logFailure } from './charged-answer.js';
import { clientHeaders } from './client-headers.js';
import { requestedBackend, shuttingDown, usageHeaders, type Exchange } from './exchange.js';
import { encodeNameHeader } from './header-value.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';
import { sendJson } from './respond.js';
import { upstreamIdHeader } from './upstream-request-id.js';

export const MESSAGES_PATH = '/v1/messages';
export const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

const ESTIMATE_WARNING = 'input_tokens is the gateway\'s estimate (core/estimate.ts), not the backend\'s count: this backend has no token-counting endpoint';

const UNCONVERTIBLE = {
  type: 'error',
  error: {
    type: 'api_error',
    message: 'The upstream answered, and the call was charged, but the gateway could not convert the answer to Anthropic\'s format. Retrying would be charged again: tell the gateway operator (the gateway log has the details).',
  },
};

/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`: the Anthropic Messages API over every
 * backend, with gateway keys as `x-api-key` or a bearer token, and every error in Anthropic's shape.
 */
export async function handleAnthropicMessages(exchange: Exchange, checkKey: AnthropicKeyCheck | undefined): Promise<void> {
  try {
    if (checkKey && !checkKey(exchange.request.headers)) throw anthropicUnauthorized();
    if (exchange.path === COUNT_TOKENS_PATH) await countTokens(exchange);
    else await messages(exchange);
  } catch (error) {
    answerError(exchange, error);
  }
}

function answerError(exchange: Exchange, error: unknown): void {
  const { response } = exchange;
  if (response.headersSent) {
    // Mid-stream failures are written by the stream itself; anything else can only cut the connection.
    response.destroy();
    return;
  }
  const mapped = toAnthropicErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error, exchange.requestId);
  if (mapped.status >= 500) logFailure(exchange, error, 'a Messages request failed');
  sendJson(response, mapped.status, mapped.body, mapped.headers, (writeError) => logFailure(exchange, writeError, 'the answer could not be written'));
}

function messageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

async function messages(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const call = parseRequest(exchange, () => toAnthropicCall(body, { requestId: exchange.requestId }));
  const backend = requestedBackend(exchange, call.backendName);
  const target = chooseTarget(exchange.options.kernel, call.backendName, backend, call, forwardedHeaders(exchange.request.headers));
  const options = { ...call.options, ...(target.wireFields ? { wireFields: target.wireFields } : {}), signal: exchange.signal, clientHeaders: clientHeaders(exchange.request.headers) };
  const identity: AnthropicMessageIdentity = { id: messageId(), model: call.backendName };
  const warnings = warningsHeader(target.warnings);
  if (call.stream) {
    const headers = { 'x-hyperagent-backend': encodeNameHeader(call.backendName), ...warnings };
    await streamMessages(exchange, target, target.backend.inferStream(call.messages, call.tools, options), identity, headers);
    return;
  }
  const output = await target.backend.infer(call.messages, call.tools, options);
  const passthrough = target.passthrough;
  let answer: unknown;
  try {
    answer = passthrough?.rawBody && !passthrough.rebuilt ? reviewedMessage(passthrough.rawBody, output) : convertToAnthropicMessage(output, identity);
  } catch (error) {
    // Charged already: a 502 the SDKs do not retry (x-should-retry), never a 5xx they would.
    logFailure(exchange, error, 'the answer to a charged call could not be built');
    sendJson(exchange.response, 502, UNCONVERTIBLE, { 'x-should-retry': 'false' });
    return;
  }
  sendJson(
    exchange.response,
    200,
    answer,
    {
      ...usageHeaders(call.backendName, output.tokenUsage, output.metadata.costUsd, output.metadata.backend),
      ...warningsHeader([...target.warnings, ...(output.metadata.warnings ?? [])]),
      ...upstreamIdHeader(output.metadata),
    },
    (error) => logFailure(exchange, error, 'the answer to a charged call could not be written'),
  );
}

/**
 * Anthropic backends count with their own endpoint (the body as it came, the model replaced);
 * any other backend gets the gateway's estimate, said so in `x-hyperagent-warnings`. Counting is
 * free and bills nothing, so it does not pass the kernel's hooks.
 */
async function countTokens(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const call = parseRequest(exchange, () => toAnthropicCall(body, { requestId: exchange.requestId }, true));
  const backend = requestedBackend(exchange, call.backendName);
  const inner = anthropicInner(backend);
  const headers = { 'x-hyperagent-backend': encodeNameHeader(call.backendName) };
  if (!inner) {
    const inputTokens = estimatePromptTokens(call.messages, call.tools);
    sendJson(exchange.response, 200, { input_tokens: inputTokens }, { ...headers, ...warningsHeader([ESTIMATE_WARNING]) });
    return;
  }
  const request = inner.anthropicWireRequest('messages/count_tokens', { ...call.body, model: inner.model }, { signal: exchange.signal, headers: forwardedHeaders(exchange.request.headers) });
  const response = await requestJson<unknown>(request);
  sendJson(exchange.response, 200, response.body, { ...headers, ...upstreamIdHeader(response) });
}
