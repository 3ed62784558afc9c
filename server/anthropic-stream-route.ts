import { InvalidResponseError, isHyperAgentError } from '../core/errors.js';
import type { InferenceStream, StreamEvent } from '../core/types.js';
import { AnthropicEventEncoder, type AnthropicMessageIdentity } from '../protocols/anthropic-messages/index.js';
import { toAnthropicErrorResponse } from './anthropic-errors.js';
import { AnthropicRawRelay } from './anthropic-raw-relay.js';
import { SseWriter } from './sse-writer.js';
import { streamUpstreamIdHeader } from './upstream-request-id.js';
import type { AnthropicTarget } from './anthropic-target.js';
import { logFailure } from './charged-answer.js';
import { shuttingDown, type Exchange } from './exchange.js';
import type { HeaderValues } from './respond.js';

type Next = IteratorResult<StreamEvent>;

/**
 * Relays a stream in Anthropic's SSE format. Nothing is sent before the first event, so an upstream
 * that fails at once (429, overload, a bad key) still gets a real status. A failure after that is one
 * `event: error` and the end of the response, as Anthropic sends it and its SDKs raise it.
 */
export async function streamMessages(exchange: Exchange, target: AnthropicTarget, stream: InferenceStream, identity: AnthropicMessageIdentity, headers: HeaderValues): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (!first.done && first.value.type === 'error') throw first.value.error;
    const writer = new SseWriter(exchange.response);
    const upstreamId = target.passthrough?.requestId;
    writer.open(upstreamId === undefined ? { ...headers, ...streamUpstreamIdHeader(stream) } : { ...headers, 'x-upstream-request-id': upstreamId });
    try {
      const relay = target.passthrough && !target.passthrough.rebuilt ? relayRaw : relayEncoded;
      await relay(exchange, writer, iterator, first, target, stream, identity);
    } catch (error) {
      if (!isHyperAgentError(error)) logFailure(exchange, error, 'a stream failed after its first event');
      await sendError(exchange, writer, error);
    }
  } finally {
    // Leaving early (client gone) cancels the upstream request; after the last event it is a no-op.
    await iterator.return?.();
  }
}

async function sendError(exchange: Exchange, writer: SseWriter, error: unknown): Promise<void> {
  await writer.send(toAnthropicErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error, exchange.requestId).body, 'error');
  writer.end();
}

function endedEarly(): InvalidResponseError {
  return new InvalidResponseError('The upstream stream ended without a final event. Retry the request.');
}

/** The upstream's own events, paced and reviewed by the kernel's (see `AnthropicRawRelay`). */
async function relayRaw(exchange: Exchange, writer: SseWriter, iterator: AsyncIterator<StreamEvent>, first: Next, target: AnthropicTarget, _stream: InferenceStream, identity: AnthropicMessageIdentity): Promise<void> {
  const passthrough = target.passthrough!;
  const substitute = exchange.options.kernel.hooks.reviewToolCall.isUsed();
  const relay = new AnthropicRawRelay(substitute, new AnthropicEventEncoder(identity));
  for (let next = first; !next.done; next = await iterator.next()) {
    const event = next.value;
    if (event.type === 'error') return sendError(exchange, writer, event.error);
    const out = relay.relay(passthrough.raw?.drain() ?? []);
    if (substitute && (event.type === 'tool-call-start' || event.type === 'tool-call-delta' || event.type === 'tool-call-end')) out.push(...relay.tool(event));
    if (event.type === 'done') out.push(...relay.finish(event.finishReason));
    for (const item of out) if (!(await writer.send(item.data, item.name))) return;
    if (event.type === 'done') {
      writer.end();
      return;
    }
  }
  await sendError(exchange, writer, endedEarly());
}

/** Our events, encoded as Anthropic's: for every backend that does not speak Anthropic. */
async function relayEncoded(exchange: Exchange, writer: SseWriter, iterator: AsyncIterator<StreamEvent>, first: Next, _target: AnthropicTarget, stream: InferenceStream, identity: AnthropicMessageIdentity): Promise<void> {
  const encoder = new AnthropicEventEncoder(identity);
  const start = encoder.start();
  if (!(await writer.send(start.data, start.event))) return;
  for (let next = first; !next.done; next = await iterator.next()) {
    const event = next.value;
    if (event.type === 'error') return sendError(exchange, writer, event.error);
    if (event.type === 'done') {
      // Read to the end, `output()` is settled: it has the provider's own stop reason.
      await iterator.next();
      const raw = await stream.output().then((output) => output.metadata.rawFinishReason, () => undefined);
      for (const item of encoder.finish(event.finishReason, event.tokenUsage, raw)) if (!(await writer.send(item.data, item.event))) return;
      writer.end();
      return;
    }
    for (const item of encoder.encode(event)) if (!(await writer.send(item.data, item.event))) return;
  }
  await sendError(exchange, writer, endedEarly());
}
