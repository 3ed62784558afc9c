import { calculateCost } from '../../core/cost.js';
import type { CallContext, EmbedRequest, InferRequest } from '../../core/hooks.js';
import type { LLMMessage, ModelInfo } from '../../core/types.js';

export interface RequestCostEstimate {
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** `undefined` when the model's pricing is unknown. */
  readonly costUsd: number | undefined;
}

const CHARS_PER_TOKEN = 4;
const FALLBACK_OUTPUT_TOKENS = 1000;

/**
 * A deliberately rough, pessimistic estimate made before the call: prompt tokens are the
 * characters of messages and tool schemas / 4, output tokens are `maxTokens`, else the model's
 * max output, else 1000.
 */
export function estimateInferCost(request: InferRequest, context: CallContext): RequestCostEstimate {
  const modelInfo = modelInfoOf(request, context);
  const promptTokens = Math.ceil((messageChars(request.messages) + toolChars(request)) / CHARS_PER_TOKEN);
  const outputTokens = request.options.maxTokens ?? modelInfo?.maxOutputTokens ?? FALLBACK_OUTPUT_TOKENS;
  const costUsd = modelInfo ? calculateCost(modelInfo, { promptTokens, completionTokens: outputTokens, totalTokens: promptTokens + outputTokens }) : undefined;
  return { promptTokens, outputTokens, costUsd };
}

/** Embeddings: input characters / 4, no output. */
export function estimateEmbedCost(request: EmbedRequest, context: CallContext): RequestCostEstimate {
  const modelInfo = modelInfoOf(request, context);
  let chars = 0;
  for (const text of request.input) chars += text.length;
  const promptTokens = Math.ceil(chars / CHARS_PER_TOKEN);
  const costUsd = modelInfo ? calculateCost(modelInfo, { promptTokens, completionTokens: 0, totalTokens: promptTokens }) : undefined;
  return { promptTokens, outputTokens: 0, costUsd };
}

function modelInfoOf(request: InferRequest | EmbedRequest, context: CallContext): ModelInfo | undefined {
  try {
    const model = request.options.model;
    return model !== undefined && model !== context.model ? context.backend.modelInfo(model) : context.modelInfo();
  } catch {
    return undefined;
  }
}

function messageChars(messages: readonly LLMMessage[]): number {
  let chars = 0;
  for (const message of messages) {
    if (typeof message.content === 'string') chars += message.content.length;
    else for (const part of message.content) if (part.type === 'text') chars += part.text.length;
    for (const call of message.toolCalls ?? []) chars += call.name.length + call.rawArguments.length;
    for (const part of message.reasoning ?? []) chars += part.text.length;
  }
  return chars;
}

function toolChars(request: InferRequest): number {
  return request.tools.length > 0 ? JSON.stringify(request.tools).length : 0;
}
