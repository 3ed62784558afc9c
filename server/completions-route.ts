import { randomUUID } from 'node:crypto';
import { isHyperAgentError } from '../core/errors.js';
import type { InferOptions, StreamEvent } from '../core/types.js';
import { answerCharged, logFailure } from './charged-answer.js';
import { speaksOpenAIChat } from './chat-passthrough.js';
import { clientHeaders } from './client-headers.js';
import { invalidRequest, toErrorResponse } from './errors.js';
import { requestedBackend, shuttingDown, usageHeaders, type Exchange } from './exchange.js';
import { encodeNameHeader } from './header-value.js';
import { toOpenAIFinishReason, toOpenAIUsage, unixSeconds } from './openai-wire.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';
import { asObject, describeValue, optionalBoolean, optionalNumber, requiredString, type JsonObject } from './request-fields.js';
import { SseWriter } from './sse-writer.js';
import { streamUpstreamIdHeader, upstreamIdHeader } from './upstream-request-id.js';

/** Legacy fields sent on as they came (the upstream decides what it takes). */
const PASSED = ['seed', 'logit_bias', 'frequency_penalty', 'presence_penalty', 'user', 'suffix', 'echo', 'best_of', 'logprobs'];

interface CompletionsRequest {
  readonly backendName: string;
  readonly prompt: string;
  readonly options: InferOptions;
  readonly stream: boolean;
}

function toCompletionsRequest(value: unknown, requestId: string): CompletionsRequest {
  const body = asObject(value, '');
  const backendName = requiredString(body, 'model');
  const raw = body.prompt;
  const prompt = typeof raw === 'string' ? raw : Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string' ? raw[0] : undefined;
  if (prompt === undefined) throw invalidRequest(`prompt must be a string (or an array of one string; token arrays and batches are not supported), received ${describeValue(raw)}.`, 'prompt');
  const n = optionalNumber(body, 'n', { integer: true, min: 1 });
  if (n !== undefined && n > 1) throw invalidRequest('n > 1 is not supported on /v1/completions: send one request per choice.', 'n', 'unsupported_parameter');
  const maxTokens = optionalNumber(body, 'max_tokens', { integer: true, min: 1 });
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const stop = body.stop === undefined || body.stop === null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((item) => typeof item === 'string'))) throw invalidRequest('stop must be a string or an array of strings.', 'stop');
  const passed: JsonObject = {};
  for (const key of PASSED) if (body[key] !== undefined && body[key] !== null) passed[key] = body[key];
  const options: InferOptions = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(stop === undefined ? {} : { stop: stop as string[] }),
    ...(Object.keys(passed).length > 0 ? { wireFields: { 'openai-chat': passed } } : {}),
    metadata: { requestId },
  };
  return { backendName, prompt, options, stream: optionalBoolean(body, 'stream') ?? false };
}

/**
 * `POST /v1/completions`, the legacy text completion, for backends that speak OpenAI's wire: the
 * prompt goes upstream as one user turn of Chat Completions (models only served on the legacy
 * endpoint are not reachable this way), the answer comes back as `text_completion`. Others: 400.
 */
export async function handleCompletions(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const call = parseRequest(exchange, () => toCompletionsRequest(body, exchange.requestId));
  const backend = requestedBackend(exchange, call.backendName);
  if (!speaksOpenAIChat(backend.provider)) {
    throw invalidRequest(
      `/v1/completions is served for OpenAI-wire backends only (openai, openrouter, openai-compatible); backend ${JSON.stringify(call.backendName)} is ${backend.provider}. Use /v1/chat/completions instead.`,
      'model',
      'unsupported_model',
    );
  }
  const id = `cmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const head = { id, object: 'text_completion', created: unixSeconds(), model: call.backendName };
  const messages = [{ role: 'user' as const, content: call.prompt }];
  const options = { ...call.options, signal: exchange.signal, clientHeaders: clientHeaders(exchange.request.headers) };
  if (!call.stream) {
    const output = await backend.infer(messages, [], options);
    answerCharged(exchange, () => ({
      body: { ...head, choices: [{ text: output.content, index: 0, logprobs: null, finish_reason: toOpenAIFinishReason(output.finishReason) }], usage: toOpenAIUsage(output.tokenUsage) },
      headers: { ...usageHeaders(call.backendName, output.tokenUsage, output.metadata?.costUsd, output.metadata?.backend), ...upstreamIdHeader(output.metadata) },
    }));
    return;
  }
  const stream = backend.inferStream(messages, [], options);
  const iterator = stream[Symbol.asyncIterator]();
  const errorBody = (error: unknown): unknown => toErrorResponse(exchange.abortedByShutdown() ? shuttingDown() : error).body;
  try {
    let next = await iterator.next();
    if (!next.done && next.value.type === 'error') throw next.value.error;
    const writer = new SseWriter(exchange.response);
    writer.open({ 'x-hyperagent-backend': encodeNameHeader(call.backendName), ...streamUpstreamIdHeader(stream) });
    const chunk = (text: string, finish: string | null): unknown => ({ ...head, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
    try {
      while (!next.done) {
        const event: StreamEvent = next.value;
        if (event.type === 'error') throw event.error;
        if (event.type === 'text-delta' && event.text !== '' && !(await writer.send(chunk(event.text, null)))) return;
        if (event.type === 'done') {
          await writer.send({ ...(chunk('', toOpenAIFinishReason(event.finishReason)) as object), usage: toOpenAIUsage(event.tokenUsage) });
          await writer.send('[DONE]');
        }
        next = await iterator.next();
      }
    } catch (error) {
      if (!isHyperAgentError(error)) logFailure(exchange, error, 'a completions stream failed after its first event');
      await writer.send(errorBody(error));
    }
    writer.end();
  } finally {
    await iterator.return?.();
  }
}
