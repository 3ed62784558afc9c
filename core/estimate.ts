import { calculateCost } from './cost.js';
import { tokenEstimatorFor } from './estimate-registry.js';
import { CL100K_ESTIMATOR } from './estimate-weights.js';
import type { CallContext, EmbedRequest, InferRequest } from './hooks.js';
import type { TokenEstimator } from './token-estimator.js';
import type { LLMMessage, ModelInfo, ToolSchema } from './types.js';

/** Tokens a request may count, estimated before it is sent. */
export interface TokenEstimate {
  readonly promptTokens: number;
  /** Output tokens the call may produce. */
  readonly outputTokens: number;
  readonly totalTokens: number;
}

export interface RequestCostEstimate extends TokenEstimate {
  /** `undefined` when the model's pricing is unknown. */
  readonly costUsd: number | undefined;
}

/** Role markers and separators around each message (OpenAI documents 3–4). */
const MESSAGE_OVERHEAD = 4;
/** The tokens that prime the assistant's reply. */
const REPLY_OVERHEAD = 3;
/** A middling image: OpenAI's 512 px high-detail tile set is 765 tokens, Anthropic's 1000×1000 px about 1,334. */
const IMAGE_TOKENS = 1_000;
/** Output assumed for a cost estimate when neither the call, the backend nor the model sets a limit. */
const FALLBACK_OUTPUT_TOKENS = 1_000;

/**
 * Tokens of `text` by `estimator` (the conservative built-in one by default). A count that is not
 * a non-negative number, from a third-party estimator, is replaced by the built-in count.
 */
export function estimateTextTokens(text: string, estimator: TokenEstimator = CL100K_ESTIMATOR): number {
  const tokens = estimator.countText(text);
  return tokens >= 0 && tokens < Number.POSITIVE_INFINITY ? Math.ceil(tokens) : CL100K_ESTIMATOR.countText(text);
}

/** Messages at least this long have their count remembered (per message object and estimator). */
const REMEMBER_FROM_CHARS = 512;
// Counting costs a few nanoseconds a character, and the same long message objects are counted by
// the budget, approval and the rate limiter, and again on each turn of an agent loop.
const countsByMessage = new WeakMap<LLMMessage, { readonly estimator: TokenEstimator; readonly tokens: number }>();

function messageTokens(message: LLMMessage, estimator: TokenEstimator): number {
  const content = message.content;
  if (typeof content === 'string' && content.length < REMEMBER_FROM_CHARS && message.toolCalls === undefined && message.reasoning === undefined) {
    return MESSAGE_OVERHEAD + estimateTextTokens(content, estimator);
  }
  const remembered = countsByMessage.get(message);
  if (remembered !== undefined && remembered.estimator === estimator) return remembered.tokens;
  const tokens = countMessage(message, estimator);
  countsByMessage.set(message, { estimator, tokens });
  return tokens;
}

function countMessage(message: LLMMessage, estimator: TokenEstimator): number {
  let tokens = MESSAGE_OVERHEAD;
  if (typeof message.content === 'string') tokens += estimateTextTokens(message.content, estimator);
  else for (const part of message.content) tokens += part.type === 'text' ? estimateTextTokens(part.text, estimator) : IMAGE_TOKENS;
  if (message.toolCalls) for (const call of message.toolCalls) tokens += estimateTextTokens(call.name, estimator) + estimateTextTokens(call.rawArguments, estimator);
  if (message.reasoning) for (const part of message.reasoning) tokens += estimateTextTokens(part.text, estimator);
  return tokens;
}

// A tool's schema is serialised to count it, which costs more than counting a conversation's
// messages; the same tool objects are sent call after call, so each is counted once per estimator.
const toolTokensByEstimator = new WeakMap<TokenEstimator, WeakMap<ToolSchema, number>>();

function toolTokens(tool: ToolSchema, estimator: TokenEstimator): number {
  let bySchema = toolTokensByEstimator.get(estimator);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    toolTokensByEstimator.set(estimator, bySchema);
  }
  let tokens = bySchema.get(tool);
  if (tokens === undefined) {
    tokens = estimateTextTokens(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters }), estimator);
    bySchema.set(tool, tokens);
  }
  return tokens;
}

/** Prompt tokens of a conversation and its tool schemas: a cheap, slightly generous guess. */
export function estimatePromptTokens(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], estimator: TokenEstimator = CL100K_ESTIMATOR): number {
  let tokens = REPLY_OVERHEAD;
  for (const message of messages) tokens += messageTokens(message, estimator);
  for (const tool of tools) tokens += toolTokens(tool, estimator);
  return tokens;
}

/** A token limit as given, if it is one: a positive finite number (a third-party backend may say anything). */
function tokenLimit(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY ? Math.ceil(value) : undefined;
}

/** The most output a call can produce as sent: its own `maxTokens`, else the backend's configured one. */
function configuredOutputLimit(request: InferRequest, context: CallContext | undefined): number | undefined {
  return tokenLimit(request.options.maxTokens) ?? tokenLimit(context?.backend?.maxTokens);
}

/**
 * What a chat request may count against a tokens-per-minute limit: the prompt, plus the output the
 * provider itself reserves — the call's `maxTokens`, else the backend's (`context.backend.maxTokens`)
 * — else `defaultOutputTokens` capped at the model's limit. With `context`, the prompt is counted
 * by the estimator set for the call's kernel and model (`setTokenEstimator`).
 */
// Budget, approval and rate limiting each estimate the same request: short messages are counted
// again (cheaper than a WeakMap entry), long ones and tool schemas are remembered (above).
export function estimateInferTokens(request: InferRequest, defaultOutputTokens: number, modelMaxOutputTokens?: number, context?: CallContext): TokenEstimate {
  const estimator = context === undefined ? CL100K_ESTIMATOR : tokenEstimatorFor(context, request.options.model ?? context.model);
  const promptTokens = estimatePromptTokens(request.messages, request.tools, estimator);
  const outputTokens = configuredOutputLimit(request, context) ?? Math.min(defaultOutputTokens, modelMaxOutputTokens ?? Number.POSITIVE_INFINITY);
  return { promptTokens, outputTokens, totalTokens: promptTokens + outputTokens };
}

export function estimateEmbedTokens(request: EmbedRequest, context?: CallContext): TokenEstimate {
  const estimator = context === undefined ? CL100K_ESTIMATOR : tokenEstimatorFor(context, request.options.model ?? context.model);
  let promptTokens = 0;
  for (const text of request.input) promptTokens += estimateTextTokens(text, estimator);
  return { promptTokens, outputTokens: 0, totalTokens: promptTokens };
}

/**
 * The call's worst-case cost, made before it is sent (budgets reserve it, approval shows it): the
 * prompt estimate, and the most output the call can produce — the call's `maxTokens`, else the
 * backend's `maxTokens`, else the model's `maxOutputTokens`, else 1,000 tokens — at the model's rates.
 */
export function estimateInferCost(request: InferRequest, context: CallContext): RequestCostEstimate {
  const modelInfo = modelInfoFor(request.options.model, context);
  const tokens = estimateInferTokens(request, tokenLimit(modelInfo?.maxOutputTokens) ?? FALLBACK_OUTPUT_TOKENS, undefined, context);
  return { promptTokens: tokens.promptTokens, outputTokens: tokens.outputTokens, totalTokens: tokens.totalTokens, costUsd: priced(modelInfo, tokens) };
}

export function estimateEmbedCost(request: EmbedRequest, context: CallContext): RequestCostEstimate {
  const tokens = estimateEmbedTokens(request, context);
  return { ...tokens, costUsd: priced(modelInfoFor(request.options.model, context), tokens) };
}

function priced(modelInfo: ModelInfo | undefined, tokens: TokenEstimate): number | undefined {
  return modelInfo ? calculateCost(modelInfo, { promptTokens: tokens.promptTokens, completionTokens: tokens.outputTokens, totalTokens: tokens.totalTokens }) : undefined;
}

function modelInfoFor(model: string | undefined, context: CallContext): ModelInfo | undefined {
  try {
    return model !== undefined && model !== context.model ? context.backend.modelInfo(model) : context.modelInfo();
  } catch {
    return undefined;
  }
}
