import type { InferenceOutput, LLMMessage } from '../core/types.js';
import {
  buildOpenAIResponsesObject,
  convertFromOpenAIResponsesRequest,
  convertToOpenAIResponsesOutput,
  responsesId,
  type ResponsesCall,
  type ResponsesIdentity,
} from '../protocols/openai-responses/index.js';
import { answerCharged, logFailure } from './charged-answer.js';
import { clientHeaders } from './client-headers.js';
import { GatewayError, invalidRequest } from './errors.js';
import { requestedBackend, usageHeaders, type Exchange } from './exchange.js';
import { unixSeconds } from './openai-wire.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';
import { sendJson } from './respond.js';
import { upstreamIdHeader } from './upstream-request-id.js';
import type { ResponsesStore, StoredResponse } from './responses-store.js';
import { streamResponse } from './responses-stream.js';
import { warningsHeader } from './warnings-header.js';

/** The assistant turn an answer adds to the conversation, signed reasoning included (Anthropic replays it). */
export function assistantTurn(output: InferenceOutput): LLMMessage {
  const toolCalls = output.toolCalls ?? [];
  const reasoning = output.reasoningParts ?? (output.reasoning ? [{ text: output.reasoning }] : []);
  return {
    role: 'assistant',
    content: typeof output.content === 'string' ? output.content : '',
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
  };
}

/** The conversation a `previous_response_id` names; unknown or expired is a 400 naming the field, before anything is sent upstream. */
async function history(store: ResponsesStore, call: ResponsesCall): Promise<readonly LLMMessage[]> {
  if (call.previousResponseId === undefined) return [];
  const stored = await store.load(call.previousResponseId);
  if (!stored) {
    throw invalidRequest(
      `Previous response with id ${JSON.stringify(call.previousResponseId.slice(0, 100))} not found: it was never stored here (store: false), or it expired. Send the whole conversation as input instead.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  }
  return stored.messages;
}

/**
 * Keeps a finished response. A store that fails now cannot un-charge the call: the answer still
 * goes out, and says it was not stored.
 */
export async function keep(exchange: Exchange, store: ResponsesStore, record: StoredResponse): Promise<string[]> {
  try {
    await store.save(record);
    return [];
  } catch (error) {
    logFailure(exchange, error, 'a response could not be stored');
    return [`This response could not be stored, so previous_response_id ${record.response.id} will not be found: send the whole conversation next turn.`];
  }
}

/** `POST /v1/responses`, JSON or Responses server-sent events. */
export async function handleCreateResponse(exchange: Exchange, store: ResponsesStore): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const call = parseRequest(exchange, () => convertFromOpenAIResponsesRequest(body, { invalid: invalidRequest, metadata: { requestId: exchange.requestId } }));
  const backend = requestedBackend(exchange, call.model);
  const earlier = await history(store, call);
  const conversation = [...earlier, ...call.input];
  const messages: LLMMessage[] = call.instructions === undefined ? conversation : [{ role: 'system', content: call.instructions }, ...conversation];
  const identity: ResponsesIdentity = {
    id: responsesId('resp'),
    createdAt: unixSeconds(),
    model: call.model,
    previousResponseId: call.previousResponseId ?? null,
    store: call.store,
    echo: call.echo,
  };
  const options = { ...call.options, signal: exchange.signal, clientHeaders: clientHeaders(exchange.request.headers) };
  if (call.stream) {
    await streamResponse(exchange, backend.inferStream(messages, call.tools, options), identity, async (response, output) =>
      call.store ? keep(exchange, store, { response, messages: [...conversation, assistantTurn(output)] }) : [],
    );
    return;
  }
  const output = await backend.infer(messages, call.tools, options);
  const costUsd = typeof output.metadata?.costUsd === 'number' ? output.metadata.costUsd : undefined;
  let built: ReturnType<typeof buildOpenAIResponsesObject> | undefined;
  try {
    built = buildOpenAIResponsesObject(identity, { status: 'completed', output: convertToOpenAIResponsesOutput(output), usage: output.tokenUsage, finishReason: output.finishReason, costUsd });
  } catch (error) {
    logFailure(exchange, error, 'a response object could not be built');
  }
  const notKept = built && call.store ? await keep(exchange, store, { response: built, messages: [...conversation, assistantTurn(output)] }) : [];
  answerCharged(exchange, () => {
    if (!built) throw new Error('the response object could not be built');
    return {
      body: built,
      headers: { ...usageHeaders(call.model, output.tokenUsage, costUsd, output.metadata?.backend), ...upstreamIdHeader(output.metadata), ...warningsHeader(output.metadata?.warnings, notKept) },
    };
  });
}

/** `GET /v1/responses/{id}`: a stored response, as it was answered. */
export async function handleRetrieveResponse(exchange: Exchange, store: ResponsesStore, id: string): Promise<void> {
  const stored = await store.load(id);
  if (!stored) {
    throw new GatewayError(404, 'invalid_request_error', `Response with id ${JSON.stringify(id.slice(0, 100))} not found: it was never stored here (store: false), or it expired.`, {
      code: 'response_not_found',
    });
  }
  sendJson(exchange.response, 200, stored.response);
}
