import { InvalidResponseError, isHyperAgentError } from '../core/errors.js';
import type { InferenceOutput, InferenceStream, StreamEvent, TokenUsage } from '../core/types.js';
import { OpenAIResponsesEventEncoder, type ResponsesIdentity, type ResponsesObject, type ResponsesStreamEvent } from '../protocols/openai-responses/index.js';
import { logFailure } from './charged-answer.js';
import { toErrorResponse } from './errors.js';
import { shuttingDown, type Exchange } from './exchange.js';
import { encodeNameHeader } from './header-value.js';
import { SseWriter } from './sse-writer.js';
import { streamUpstreamIdHeader } from './upstream-request-id.js';

/** Called once a stream finished; resolves to warnings (a response that could not be stored). */
export type KeepResponse = (response: ResponsesObject, output: InferenceOutput) => Promise<string[]>;

/**
 * Relays a stream as Responses events (`event: <type>` + `data:`). Nothing is sent before the
 * first event, so an upstream that fails at once still gets a real HTTP status in OpenAI's error
 * shape. A failure after that is one `response.failed` event carrying the error, and the end.
 */
export async function streamResponse(exchange: Exchange, stream: InferenceStream, identity: ResponsesIdentity, keep: KeepResponse): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  const encoder = new OpenAIResponsesEventEncoder(identity);
  try {
    const first = await iterator.next();
    if (!first.done && first.value.type === 'error') throw first.value.error;
    const writer = new SseWriter(exchange.response);
    writer.open({ 'x-hyperagent-backend': encodeNameHeader(identity.model), ...streamUpstreamIdHeader(stream) });
    try {
      await relay(writer, iterator, first, stream, encoder, keep);
    } catch (error) {
      if (!isHyperAgentError(error)) logFailure(exchange, error, 'a Responses stream failed after its first event');
      await sendAll(writer, [failedEvent(exchange, encoder, error, undefined)]);
      writer.end();
    }
  } finally {
    // Leaving early (client gone) cancels the upstream request; after the last event it is a no-op.
    await iterator.return?.();
  }
}

async function sendAll(writer: SseWriter, events: readonly ResponsesStreamEvent[]): Promise<boolean> {
  for (const event of events) if (!(await writer.send(event, event.type))) return false;
  return true;
}

function failedEvent(exchange: Exchange, encoder: OpenAIResponsesEventEncoder, error: unknown, usage: TokenUsage | undefined): ResponsesStreamEvent {
  const body = toErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error).body.error;
  return encoder.fail({ code: body.code ?? body.type, message: body.message }, usage);
}

async function relay(
  writer: SseWriter,
  iterator: AsyncIterator<StreamEvent>,
  first: IteratorResult<StreamEvent>,
  stream: InferenceStream,
  encoder: OpenAIResponsesEventEncoder,
  keep: KeepResponse,
): Promise<void> {
  if (!(await sendAll(writer, encoder.start()))) return;
  let next = first;
  let done: Extract<StreamEvent, { type: 'done' }> | undefined;
  while (!next.done) {
    const event = next.value;
    if (event.type === 'error') throw event.error;
    if (event.type === 'done') done = event;
    else if (!(await sendAll(writer, encoder.encode(event)))) return;
    next = await iterator.next();
  }
  if (!done) throw new InvalidResponseError('The upstream stream ended without a final event. Retry the request.');
  // `done` has been read to the end, so `output()` is settled and carries the kernel's cost.
  const output = await stream.output().catch(() => undefined);
  const costUsd = typeof output?.metadata?.costUsd === 'number' ? output.metadata.costUsd : undefined;
  const { events, response } = encoder.finish(done.finishReason, done.tokenUsage, costUsd);
  // Stored before the last event goes out: a client that continues at once finds it.
  if (output) await keep(response, output);
  await sendAll(writer, events);
  writer.end();
}
