import { Gateway } from './gateway.js';
import { resolveGatewayOptions, type GatewayOptions } from './gateway-options.js';

/**
 * An OpenAI-compatible HTTP gateway over `options.kernel`: `POST /v1/chat/completions` (JSON and
 * SSE), `POST /v1/embeddings`, `GET /v1/models`, `GET /health`. The request's `model` names a
 * backend; every call goes through the kernel, so its plugins (rate limits, retries, budget,
 * logging...) apply. Binds 127.0.0.1:8787 unless told otherwise; call `listen()` to start.
 */
export function createGateway(options: GatewayOptions): Gateway {
  return new Gateway(resolveGatewayOptions(options));
}
