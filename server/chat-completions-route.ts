import { InvalidResponseError, isHyperAgentError } from '../core/errors.js';
import type { InferenceOutput, InferenceStream, LLMBackend, StreamEvent } from '../core/types.js';
import { unhonouredWarnings } from './chat-passthrough.js';
import { answerCharged, logFailure } from './charged-answer.js';
import { clientHeaders } from './client-headers.js';
import { invalidRequest, toErrorResponse } from './errors.js';
import { encodeNameHeader } from './header-value.js';
import { requestedBackend, shuttingDown, usageHeaders, type Exchange } from './exchange.js';
import { toChatRequest, type ChatRequest } from './openai-request.js';
import { completionId, logprobsOf, sumUsage, toChatCompletion, type CompletionIdentity } from './openai-response.js';
import { ChatChunkEncoder } from './openai-stream.js';
import { unixSeconds } from './openai-wire.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';
import { SseWriter } from './sse-writer.js';
import { streamUpstreamIdHeader, upstreamIdHeader } from './upstream-request-id.js';
import { warningsHeader } from './warnings-header.js';

/**
 * The fields this backend cannot honour, as warnings, or (with `strictParams`) a 400 naming the
 * first, before anything is sent. A group's target is known only once it answered: `answeredBy`.
 */
function checkFields(chat: ChatRequest, provider: string, strict: boolean): string[] {
  const names = chat.passthrough.unhonoured(provider, chat.logprobs) ?? [];
  if (strict && names.length > 0) {
    throw invalidRequest(
      `${names[0]} is not supported by backend ${JSON.stringify(chat.backendName)} (provider ${provider}): remove it, or call a backend that takes it. (This gateway runs with strictParams; without it the field is dropped with an x-hyperagent-warnings header.)`,
      names[0],
      'unsupported_parameter',
    );
  }
  return unhonouredWarnings(names, chat.backendName, provider);
}

function answeredWarnings(chat: ChatRequest, backend: LLMBackend, output: InferenceOutput): string[] {
  const provider = output.metadata?.provider;
  if (backend.provider !== 'routing' || typeof provider !== 'string') return [];
  return unhonouredWarnings(chat.passthrough.unhonoured(provider, chat.logprobs) ?? [], String(output.metadata?.backend ?? chat.backendName), provider);
}

/** `POST /v1/chat/completions`, JSON or server-sent events. */
export async function handleChatCompletions(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const chat = parseRequest(exchange, () => toChatRequest(body, { requestId: exchange.requestId }));
  const backend = requestedBackend(exchange, chat.backendName);
  const warnings = checkFields(chat, backend.provider, exchange.options.strictParams);
  if (chat.n > 1 && chat.stream) throw invalidRequest('n > 1 is not supported with stream: true on this gateway: stream one request per choice, or drop stream.', 'n', 'unsupported_parameter');
  const options = { ...chat.options, signal: exchange.signal, clientHeaders: clientHeaders(exchange.request.headers) };
  const identity: CompletionIdentity = { id: completionId(), created: unixSeconds(), model: chat.backendName };
  if (!chat.stream) {
    // One call per choice, each through the kernel (limits, budget, ledger): every backend can answer n.
    const outputs = await Promise.all(Array.from({ length: chat.n }, () => backend.infer(chat.messages, chat.tools, options)));
    const [first] = outputs;
    const costs = outputs.map((output) => output.metadata?.costUsd);
    const costUsd = costs.every((cost) => typeof cost === 'number') ? (costs as number[]).reduce((sum, cost) => sum + cost, 0) : undefined;
    answerCharged(exchange, () => ({
      body: toChatCompletion(outputs, identity, { logprobs: chat.logprobs }),
      headers: {
        ...usageHeaders(chat.backendName, outputs.length === 1 ? first.tokenUsage : sumUsage(outputs), costUsd, first.metadata?.backend),
        ...upstreamIdHeader(first.metadata),
        ...warningsHeader(warnings, answeredWarnings(chat, backend, first), first.metadata?.warnings),
      },
    }));
    return;
  }
  const encoderOptions = { reasoningFormat: backend.provider === 'anthropic' ? 'anthropic-claude-v1' : 'unknown', logprobs: chat.logprobs, warnings };
  await streamCompletion(exchange, backend.inferStream(chat.messages, chat.tools, options), identity, chat.includeUsage, encoderOptions);
}

interface StreamSettings {
  readonly reasoningFormat: string;
  readonly logprobs: boolean;
  readonly warnings: readonly string[];
}

/**
 * Relays a stream as `chat.completion.chunk` events. Nothing is sent before the first event, so an
 * upstream that fails at once (429, bad key...) still gets a real HTTP status. A failure after
 * that is one `data: {"error": {...}}` event and the end of the response, with no `data: [DONE]`:
 * that is what OpenAI sends, and what its SDKs raise as an APIError.
 */
async function streamCompletion(exchange: Exchange, stream: InferenceStream, identity: CompletionIdentity, includeUsage: boolean, settings: StreamSettings): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    const next = await iterator.next();
    if (!next.done && next.value.type === 'error') throw next.value.error;
    const writer = new SseWriter(exchange.response);
    // Usage and cost are not known yet; they ride on the usage chunk (`x_hyperagent_cost_usd`) instead of headers.
    writer.open({ 'x-hyperagent-backend': encodeNameHeader(identity.model), ...streamUpstreamIdHeader(stream), ...warningsHeader(settings.warnings) });
    try {
      await relay(exchange, writer, iterator, next, stream, identity, includeUsage, settings);
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
  settings: StreamSettings,
): Promise<void> {
  let next = first;
  const encoder = new ChatChunkEncoder(identity, includeUsage);
  encoder.reasoningFormat = settings.reasoningFormat;
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
  const output = await stream.output().catch(() => undefined);
  const costUsd = output?.metadata?.costUsd;
  const logprobs = output ? logprobsOf(output, settings.logprobs) : null;
  for (const chunk of encoder.finish(done.finishReason, done.tokenUsage, typeof costUsd === 'number' ? costUsd : undefined, logprobs)) if (!(await writer.send(chunk))) return;
  await writer.send('[DONE]');
  writer.end();
}

function errorEvent(exchange: Exchange, error: unknown): unknown {
  return toErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error).body;
}
