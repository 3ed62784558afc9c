import { InvalidResponseError, isHyperAgentError } from '../core/errors.js';
import type { InferenceStream, StreamEvent } from '../core/types.js';
import { answerCharged, logFailure } from './charged-answer.js';
import { toErrorResponse } from './errors.js';
import { encodeNameHeader } from './header-value.js';
import { requestedBackend, shuttingDown, usageHeaders, type Exchange } from './exchange.js';
import { toChatRequest } from './openai-request.js';
import { completionId, toChatCompletion, type CompletionIdentity } from './openai-response.js';
import { ChatChunkEncoder } from './openai-stream.js';
import { unixSeconds } from './openai-wire.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';
import { SseWriter } from './sse-writer.js';

/** `POST /v1/chat/completions`, JSON or server-sent events. */
export async function handleChatCompletions(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const chat = parseRequest(exchange, () => toChatRequest(body, { requestId: exchange.requestId }));
  const backend = requestedBackend(exchange, chat.backendName);
  const options = { ...chat.options, signal: exchange.signal };
  const identity: CompletionIdentity = { id: completionId(), created: unixSeconds(), model: chat.backendName };
  if (!chat.stream) {
    const output = await backend.infer(chat.messages, chat.tools, options);
    answerCharged(exchange, () => ({
      body: toChatCompletion(output, identity),
      headers: usageHeaders(chat.backendName, output.tokenUsage, output.metadata?.costUsd, output.metadata?.backend),
    }));
    return;
  }
  await streamCompletion(exchange, backend.inferStream(chat.messages, chat.tools, options), identity, chat.includeUsage);
}

/**
 * Relays a stream as `chat.completion.chunk` events. Nothing is sent before the first event, so an
 * upstream that fails at once (429, bad key...) still gets a real HTTP status. A failure after
 * that is one `data: {"error": {...}}` event and the end of the response, with no `data: [DONE]`:
 * that is what OpenAI sends, and what its SDKs raise as an APIError.
 */
async function streamCompletion(exchange: Exchange, stream: InferenceStream, identity: CompletionIdentity, includeUsage: boolean): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    const next = await iterator.next();
    if (!next.done && next.value.type === 'error') throw next.value.error;
    const writer = new SseWriter(exchange.response);
    // Usage and cost are not known yet; they ride on the usage chunk (`x_hyperagent_cost_usd`) instead of headers.
    writer.open({ 'x-hyperagent-backend': encodeNameHeader(identity.model) });
    try {
      await relay(exchange, writer, iterator, next, stream, identity, includeUsage);
    } catch (error) {
      // The status is sent: whatever failed (the upstream mid-stream, or the gateway) ends the stream with one error event.
      if (!isHyperAgentError(error)) logFailure(exchange, error, 'a stream failed after its first event');
      await writer.send(errorEvent(exchange, error));
      writer.end();
    }
  } finally {
    // Leaving early (client gone) cancels the upstream request; after the last event it is a no-op.
    await iterator.return?.();
  }
}

async function relay(
  exchange: Exchange,
  writer: SseWriter,
  iterator: AsyncIterator<StreamEvent>,
  first: IteratorResult<StreamEvent>,
  stream: InferenceStream,
  identity: CompletionIdentity,
  includeUsage: boolean,
): Promise<void> {
  let next = first;
  const encoder = new ChatChunkEncoder(identity, includeUsage);
  if (!(await writer.send(encoder.start()))) return;
  let done: Extract<StreamEvent, { type: 'done' }> | undefined;
  while (!next.done) {
    const event = next.value;
    if (event.type === 'error') {
      await writer.send(errorEvent(exchange, event.error));
      writer.end();
      return;
    }
    if (event.type === 'done') done = event;
    for (const chunk of encoder.encode(event)) if (!(await writer.send(chunk))) return;
    next = await iterator.next();
  }
  if (!done) {
    // The stream contract promises a final event; if one never came, say so rather than hang up silently.
    await writer.send(errorEvent(exchange, new InvalidResponseError('The upstream stream ended without a final event. Retry the request.')));
    writer.end();
    return;
  }
  // `done` has been read to the end, so `output()` is settled and carries the kernel's cost.
  const costUsd = await stream.output().then((output) => output.metadata?.costUsd, () => undefined);
  for (const chunk of encoder.finish(done.finishReason, done.tokenUsage, typeof costUsd === 'number' ? costUsd : undefined)) if (!(await writer.send(chunk))) return;
  await writer.send('[DONE]');
  writer.end();
}

function errorEvent(exchange: Exchange, error: unknown): unknown {
  return toErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error).body;
}
