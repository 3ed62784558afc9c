import { randomUUID } from 'node:crypto';
import type { EmbeddingOutput, InferenceOutput, ReasoningPart, TokenUsage, ToolCall } from '../core/types.js';
import type { EmbeddingsRequest } from './openai-request.js';
import { toJsonText } from './respond.js';
import {
  toOpenAIFinishReason,
  toOpenAIUsage,
  type ChatCompletion,
  type ChatCompletionChoice,
  type ChatLogprobs,
  type EmbeddingList,
  type OpenAIToolCall,
  type ReasoningDetail,
} from './openai-wire.js';

/** `chatcmpl-` plus 24 random characters, the shape OpenAI's ids have. */
export function completionId(): string {
  return `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/**
 * The JSON text of a call's arguments: the model's own bytes when we have them. Never throws (a
 * plugin may hand back a call without `rawArguments`, or arguments JSON cannot hold).
 */
export function argumentsText(toolCall: ToolCall): string {
  const raw: unknown = toolCall.rawArguments;
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  return toJsonText(toolCall.arguments ?? {});
}

export function toOpenAIToolCall(toolCall: ToolCall): OpenAIToolCall {
  return { id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: argumentsText(toolCall) } };
}

export interface CompletionIdentity {
  readonly id: string;
  readonly created: number;
  /** The backend name the client asked for, echoed as `model`. */
  readonly model: string;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : toJsonText(value);
}

/** Reasoning blocks as `reasoning_details` entries; `undefined` when none carries a signature or redacted data (plain text says it all). */
export function toReasoningDetails(parts: readonly ReasoningPart[] | undefined, provider: unknown, offset = 0): ReasoningDetail[] | undefined {
  if (!parts || !parts.some((part) => part.signature !== undefined || part.redactedData !== undefined)) return undefined;
  const format = provider === 'anthropic' ? 'anthropic-claude-v1' : 'unknown';
  return parts.map((part, position): ReasoningDetail =>
    part.redactedData !== undefined
      ? { type: 'reasoning.encrypted', data: part.redactedData, format, index: offset + position }
      : { type: 'reasoning.text', text: part.text, signature: part.signature ?? null, format, index: offset + position },
  );
}

/** The upstream's logprobs for a client that asked for them; `null` otherwise, as OpenAI sends it. */
export function logprobsOf(output: InferenceOutput, asked: boolean): ChatLogprobs | null {
  const logprobs = output.metadata?.logprobs;
  return asked && typeof logprobs === 'object' && logprobs !== null ? (logprobs as ChatLogprobs) : null;
}

function toChoice(output: InferenceOutput, index: number, logprobs: boolean): ChatCompletionChoice {
  const toolCalls = output.toolCalls ?? [];
  const hasToolCalls = toolCalls.length > 0;
  const details = toReasoningDetails(output.reasoningParts, output.metadata?.provider);
  return {
    index,
    message: {
      role: 'assistant',
      content: hasToolCalls && output.content === '' ? null : textOf(output.content),
      refusal: null,
      ...(hasToolCalls ? { tool_calls: toolCalls.map(toOpenAIToolCall) } : {}),
      ...(output.reasoning ? { reasoning_content: textOf(output.reasoning) } : {}),
      ...(details ? { reasoning_details: details } : {}),
    },
    logprobs: logprobsOf(output, logprobs),
    finish_reason: toOpenAIFinishReason(output.finishReason),
  };
}

/** Usage of several calls (one per choice) as one. */
export function sumUsage(outputs: readonly InferenceOutput[]): TokenUsage {
  const total = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
  for (const { tokenUsage } of outputs) {
    total.promptTokens += tokenUsage?.promptTokens ?? 0;
    total.completionTokens += tokenUsage?.completionTokens ?? 0;
    total.totalTokens += tokenUsage?.totalTokens ?? 0;
    total.cachedTokens += tokenUsage?.cachedTokens ?? 0;
    total.reasoningTokens += tokenUsage?.reasoningTokens ?? 0;
  }
  return total;
}

/** One choice per output (`n` > 1 is one call per choice), usage summed. */
export function toChatCompletion(output: InferenceOutput | readonly InferenceOutput[], identity: CompletionIdentity, options: { readonly logprobs?: boolean } = {}): ChatCompletion {
  const outputs: readonly InferenceOutput[] = Array.isArray(output) ? output : [output as InferenceOutput];
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: outputs.map((one, index) => toChoice(one, index, options.logprobs ?? false)),
    usage: toOpenAIUsage(outputs.length === 1 ? outputs[0].tokenUsage : sumUsage(outputs)),
  };
}

function base64Floats(vector: readonly number[]): string {
  // Little-endian float32, which is what OpenAI sends and its SDKs decode.
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}

export function toEmbeddingList(output: EmbeddingOutput, request: EmbeddingsRequest): EmbeddingList {
  return {
    object: 'list',
    data: output.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: request.encodingFormat === 'base64' ? base64Floats(vector) : vector,
    })),
    model: request.backendName,
    usage: { prompt_tokens: output.tokenUsage?.promptTokens ?? 0, total_tokens: output.tokenUsage?.totalTokens ?? 0 },
  };
}
