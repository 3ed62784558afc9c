import type { FinishReason, InferenceOutput, ReasoningPart, TokenUsage, ToolCall } from '../../core/types.js';
import type { ResponsesRequestEcho } from './convert-from-openai-responses-request.js';
import type {
  ResponsesFunctionCallItem,
  ResponsesMessageItem,
  ResponsesObject,
  ResponsesOutputItem,
  ResponsesReasoningItem,
  ResponsesUsage,
} from './openai-responses-server-api.js';

/** `<prefix>_` plus 32 hex characters, the shape OpenAI's ids have (`resp_`, `msg_`, `rs_`, `fc_`). */
export function responsesId(prefix: string): string {
  // The global Web Crypto, not node:crypto: an import here would load crypto with the library, gateway or not.
  return `${prefix}_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
}

export function convertToOpenAIResponsesUsage(usage: TokenUsage | undefined): ResponsesUsage {
  return {
    input_tokens: usage?.promptTokens ?? 0,
    input_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0 },
    output_tokens: usage?.completionTokens ?? 0,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: usage?.totalTokens ?? 0,
  };
}

/** The JSON text of a call's arguments: the model's own bytes when we have them. */
export function toolArgumentsText(toolCall: ToolCall): string {
  const raw: unknown = toolCall.rawArguments;
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  try {
    return JSON.stringify(toolCall.arguments ?? {}) ?? '{}';
  } catch {
    return '{}';
  }
}

export function reasoningItem(part: ReasoningPart): ResponsesReasoningItem {
  // Anthropic's redacted_thinking has no text: its data travels as the opaque content.
  if (part.redactedData !== undefined) return { type: 'reasoning', id: responsesId('rs'), summary: [], encrypted_content: part.redactedData };
  const item: ResponsesReasoningItem = { type: 'reasoning', id: responsesId('rs'), summary: [{ type: 'summary_text', text: part.text }] };
  if (part.signature !== undefined) item.encrypted_content = part.signature;
  return item;
}

export function messageItem(text: string): ResponsesMessageItem {
  return { type: 'message', id: responsesId('msg'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
}

export function functionCallItem(toolCall: ToolCall): ResponsesFunctionCallItem {
  return { type: 'function_call', id: responsesId('fc'), call_id: toolCall.id, name: toolCall.name, arguments: toolArgumentsText(toolCall), status: 'completed' };
}

/** A finished call's output items, in the order a model writes them: reasoning, text, function calls. */
export function convertToOpenAIResponsesOutput(output: InferenceOutput): ResponsesOutputItem[] {
  const items: ResponsesOutputItem[] = [];
  const parts = output.reasoningParts ?? (output.reasoning ? [{ text: output.reasoning }] : []);
  for (const part of parts) items.push(reasoningItem(part));
  const text = typeof output.content === 'string' ? output.content : '';
  if (text !== '' || (output.toolCalls ?? []).length === 0) items.push(messageItem(text));
  for (const call of output.toolCalls ?? []) items.push(functionCallItem(call));
  return items;
}

export interface ResponsesIdentity {
  readonly id: string;
  readonly createdAt: number;
  readonly model: string;
  readonly previousResponseId: string | null;
  readonly store: boolean;
  readonly echo: ResponsesRequestEcho;
}

/** `max_output_tokens` is the only reason an answer is incomplete that the Responses API names for a cut-off. */
export function incompleteReason(finishReason: FinishReason): string | undefined {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content-filter') return 'content_filter';
  return undefined;
}

/** The whole response object around `output` items. */
export function buildOpenAIResponsesObject(
  identity: ResponsesIdentity,
  state: { readonly status: ResponsesObject['status']; readonly output: readonly ResponsesOutputItem[]; readonly usage?: TokenUsage; readonly finishReason?: FinishReason; readonly error?: ResponsesObject['error']; readonly costUsd?: number },
): ResponsesObject {
  const reason = state.finishReason === undefined ? undefined : incompleteReason(state.finishReason);
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: reason !== undefined && state.status === 'completed' ? 'incomplete' : state.status,
    error: state.error ?? null,
    incomplete_details: reason === undefined ? null : { reason },
    instructions: identity.echo.instructions,
    max_output_tokens: identity.echo.max_output_tokens,
    model: identity.model,
    output: state.output,
    parallel_tool_calls: identity.echo.parallel_tool_calls,
    previous_response_id: identity.previousResponseId,
    reasoning: identity.echo.reasoning,
    store: identity.store,
    temperature: identity.echo.temperature,
    text: identity.echo.text,
    tool_choice: identity.echo.tool_choice,
    tools: identity.echo.tools,
    top_p: identity.echo.top_p,
    truncation: 'disabled',
    usage: state.usage === undefined ? null : convertToOpenAIResponsesUsage(state.usage),
    metadata: identity.echo.metadata,
    ...(state.status === 'in_progress' ? {} : { x_hyperagent_cost_usd: state.costUsd ?? null }),
  };
}
