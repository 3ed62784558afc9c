import { GatewayError, invalidRequest } from './errors.js';
import { logFailure } from './charged-answer.js';
import type { Exchange } from './exchange.js';

/**
 * Runs a reader of the client's body. A `GatewayError` it throws is the answer; anything else is a
 * bug in the reader, logged as one, but still answered 400: the same body would fail the same way
 * every time, and a 5xx would make OpenAI's SDKs send it again.
 */
export function parseRequest<T>(exchange: Exchange, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    logFailure(exchange, error, 'the gateway could not read a request body');
    throw invalidRequest('The gateway could not read this request. Check it against the OpenAI API reference; if it is valid, tell the gateway operator.', null, 'unreadable_request');
  }
}
