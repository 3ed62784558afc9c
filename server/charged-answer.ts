import { redactSecrets } from '../core/redact.js';
import type { Exchange } from './exchange.js';
import { sendJson, type HeaderValues } from './respond.js';

export interface Answer {
  readonly body: unknown;
  readonly headers: HeaderValues;
}

const UNCONVERTIBLE = {
  error: {
    message: 'The upstream answered, and the call was charged, but the gateway could not convert the answer to OpenAI\'s format. Retrying would be charged again: tell the gateway operator (the gateway log has the details).',
    type: 'upstream_error',
    code: 'upstream_invalid_response',
    param: null,
  },
};

/** Logs a failure of the gateway's own (the message redacted); the client's answer is decided by the caller. */
export function logFailure(exchange: Exchange, error: unknown, message: string): void {
  const text = error instanceof Error ? error.message : String(error);
  exchange.options.logger.error({ requestId: exchange.requestId, backend: exchange.backendName, message: redactSecrets(text) }, message);
}

/**
 * Answers a call that was made and charged. Nothing past the backend call may fail the request
 * into a 5xx of the gateway's own, which OpenAI's SDKs retry (and the provider charges again).
 * An answer that cannot be built is logged and answered 502 with `x-should-retry: false`, which
 * those SDKs honour; one that cannot be written (the client left) is logged.
 */
export function answerCharged(exchange: Exchange, build: () => Answer): void {
  const onWriteFailure = (error: unknown): void => logFailure(exchange, error, 'the answer to a charged call could not be written');
  let answer: Answer;
  try {
    answer = build();
  } catch (error) {
    logFailure(exchange, error, 'the answer to a charged call could not be built');
    sendJson(exchange.response, 502, UNCONVERTIBLE, { 'x-should-retry': 'false' }, onWriteFailure);
    return;
  }
  sendJson(exchange.response, 200, answer.body, answer.headers, onWriteFailure);
}
