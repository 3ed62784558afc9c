import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOptions } from './gateway-options.js';

const EXPOSED_HEADERS = [
  'x-request-id',
  'x-hyperagent-backend',
  'x-hyperagent-answered-by',
  'x-hyperagent-cost-usd',
  'x-hyperagent-prompt-tokens',
  'x-hyperagent-completion-tokens',
  'retry-after',
  'retry-after-ms',
].join(', ');

/**
 * Sets CORS headers for an allowed origin and answers preflights. Does nothing when CORS is off.
 * Returns true when it answered the request (a preflight).
 */
export function handleCors(request: IncomingMessage, response: ServerResponse, cors: false | CorsOptions): boolean {
  if (cors === false) return false;
  const origin = request.headers.origin;
  const allowed = origin !== undefined && (cors.origins.includes('*') || cors.origins.includes(origin));
  response.setHeader('vary', 'Origin');
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  if (allowed) {
    response.setHeader('vary', 'Origin, Access-Control-Request-Headers');
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    response.setHeader('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'authorization, content-type');
    response.setHeader('access-control-max-age', '600');
  }
  response.writeHead(204, { 'content-length': '0' });
  response.end();
  return true;
}
