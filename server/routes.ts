import { createAnthropicKeyCheck } from './anthropic-auth.js';
import { COUNT_TOKENS_PATH, handleAnthropicMessages, MESSAGES_PATH } from './anthropic-messages-route.js';
import { createBearerCheck, unauthorized } from './auth.js';
import { handleChatCompletions } from './chat-completions-route.js';
import { handleCompletions } from './completions-route.js';
import { handleCors } from './cors.js';
import { handleEmbeddings } from './embeddings-route.js';
import { GatewayError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { ResolvedGatewayOptions } from './gateway-options.js';
import { handleListModels, handleRetrieveModel } from './models-route.js';
import { unixSeconds } from './openai-wire.js';
import { sendJson } from './respond.js';
import { handleCreateResponse, handleRetrieveResponse } from './responses-route.js';
import { conversationStateStore, ResponsesStore } from './responses-store.js';

export type Router = (exchange: Exchange) => Promise<void>;

const MODEL_PATH = /^\/v1\/models\/([^/]+)$/;
const RESPONSE_PATH = /^\/v1\/responses\/([^/]+)$/;

function notFound(method: string, path: string): GatewayError {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return new GatewayError(404, 'invalid_request_error', `Invalid URL (${method} ${shown}).`, { code: 'unknown_url' });
}

function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The gateway's routes, in the order a request meets them: CORS (preflights answered here),
 * `GET /health` (no key needed), the bearer check, then the OpenAI routes; anything else is 404.
 */
export function createRouter(options: ResolvedGatewayOptions): Router {
  const checkBearer = createBearerCheck(options.apiKeys);
  const checkAnthropicKey = createAnthropicKeyCheck(options.apiKeys);
  const startedAt = unixSeconds();
  const responses = new ResponsesStore(conversationStateStore(options.kernel), options.responsesTtlMs);
  return async (exchange) => {
    const { request, response, method, path } = exchange;
    if (handleCors(request, response, options.cors)) return;
    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    // Anthropic's clients send the key as x-api-key and read errors in Anthropic's shape: their routes check it themselves.
    if (method === 'POST' && (path === MESSAGES_PATH || path === COUNT_TOKENS_PATH)) return handleAnthropicMessages(exchange, checkAnthropicKey);
    if (checkBearer && !checkBearer(request.headers)) throw unauthorized();
    if (method === 'POST' && path === '/v1/chat/completions') return handleChatCompletions(exchange);
    if (method === 'POST' && path === '/v1/embeddings') return handleEmbeddings(exchange);
    if (method === 'POST' && path === '/v1/responses') return handleCreateResponse(exchange, responses);
    if (method === 'POST' && path === '/v1/completions') return handleCompletions(exchange);
    const stored = method === 'GET' ? RESPONSE_PATH.exec(path) : null;
    const responseId = stored ? decodePath(stored[1]) : undefined;
    if (responseId !== undefined) return handleRetrieveResponse(exchange, responses, responseId);
    if (method === 'GET' && path === '/v1/models') return handleListModels(exchange, startedAt);
    const model = method === 'GET' ? MODEL_PATH.exec(path) : null;
    const modelName = model ? decodePath(model[1]) : undefined;
    if (modelName !== undefined) return handleRetrieveModel(exchange, modelName, startedAt);
    throw notFound(method, path);
  };
}
