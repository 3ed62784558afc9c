import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel } from '../core/kernel.js';
import { registerModelSpec } from '../core/model-spec.js';
import type { LLMBackend } from '../core/types.js';
import { GatewayError } from './errors.js';
import { encodeNameHeader } from './header-value.js';
import type { ResolvedGatewayOptions } from './gateway-options.js';

/** One request being answered: what the routes need, and what the access log reports. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** Sent back as `x-request-id` and passed to plugins as `metadata.requestId`. */
  readonly requestId: string;
  /** Aborts when the client disconnects, or when `close()` stops waiting for this request. */
  readonly signal: AbortSignal;
  readonly options: ResolvedGatewayOptions;
  /** True when the signal fired because the gateway is shutting down, not because the client left. */
  readonly abortedByShutdown: () => boolean;
  /** The backend the request named, for the access log. */
  backendName: string | undefined;
}

export function shuttingDown(): GatewayError {
  return new GatewayError(503, 'server_error', 'The gateway is shutting down. Retry the request.', {
    code: 'server_shutting_down',
    headers: { connection: 'close' },
  });
}

/** The kernel-wrapped backend a request's `model` names; a name the kernel lacks is a 404. */
export function resolveBackend(kernel: Kernel, name: string): LLMBackend {
  if (!registerModelSpec(kernel, name)) {
    const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
    throw new GatewayError(404, 'invalid_request_error', `The model ${JSON.stringify(shown)} does not exist on this gateway. GET /v1/models lists the models it serves.`, {
      code: 'model_not_found',
      param: 'model',
    });
  }
  return kernel.backend(name);
}

/**
 * The backend a request names, which the access log then reports. A name the kernel lacks is a 404
 * and is not logged: the client's own `model` could forge log lines.
 */
export function requestedBackend(exchange: Exchange, name: string): LLMBackend {
  const kernel = exchange.options.kernel;
  if (registerModelSpec(kernel, name)) exchange.backendName = name;
  return resolveBackend(kernel, name);
}

/**
 * Usage and cost of a finished call as response headers. Cost is absent when the model's price is
 * unknown. `answeredBy` is the backend that really answered when a group routed the call. Backend
 * names are percent-encoded where they are not plain ASCII (`encodeNameHeader`). Never throws:
 * the call has been made and charged by now.
 */
export function usageHeaders(
  backendName: string,
  usage: { promptTokens: number; completionTokens?: number } | undefined,
  costUsd: unknown,
  answeredBy?: unknown,
): Record<string, string> {
  return {
    'x-hyperagent-backend': encodeNameHeader(backendName),
    ...(typeof answeredBy === 'string' && answeredBy !== backendName ? { 'x-hyperagent-answered-by': encodeNameHeader(answeredBy) } : {}),
    'x-hyperagent-prompt-tokens': String(usage?.promptTokens ?? 0),
    'x-hyperagent-completion-tokens': String(usage?.completionTokens ?? 0),
    ...(typeof costUsd === 'number' ? { 'x-hyperagent-cost-usd': String(costUsd) } : {}),
  };
}
