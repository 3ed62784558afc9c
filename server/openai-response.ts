import { randomUUID } from 'node:crypto';
import type { EmbeddingOutput, InferenceOutput, ToolCall } from '../core/types.js';
import type { EmbeddingsRequest } from './openai-request.js';
import { toJsonText } from './respond.js';
import { toOpenAIFinishReason, toOpenAIUsage, type ChatCompletion, type EmbeddingList, type OpenAIToolCall } from './openai-wire.js';

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

export function toChatCompletion(output: InferenceOutput, identity: CompletionIdentity): ChatCompletion {
  const toolCalls = output.toolCalls ?? [];
  const hasToolCalls = toolCalls.length > 0;
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: hasToolCalls && output.content === '' ? null : textOf(output.content),
          refusal: null,
          ...(hasToolCalls ? { tool_calls: toolCalls.map(toOpenAIToolCall) } : {}),
          ...(output.reasoning ? { reasoning_content: textOf(output.reasoning) } : {}),
        },
        logprobs: null,
        finish_reason: toOpenAIFinishReason(output.finishReason),
      },
    ],
    usage: toOpenAIUsage(output.tokenUsage),
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
