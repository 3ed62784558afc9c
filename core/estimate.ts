import { calculateCost } from './cost.js';
import type { CallContext, EmbedRequest, InferRequest } from './hooks.js';
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

/** English text and JSON average about four characters a token on every provider's tokenizer. */
const CHARS_PER_TOKEN = 4;
/** Role markers and separators around each message (OpenAI documents 3–4). */
const MESSAGE_OVERHEAD = 4;
/** The tokens that prime the assistant's reply. */
const REPLY_OVERHEAD = 3;
/** A middling image: OpenAI's 512 px high-detail tile set is 765 tokens, Anthropic's 1000×1000 px about 1,334. */
const IMAGE_TOKENS = 1_000;
/** Output assumed for a cost estimate when neither the call nor the model sets a limit. */
const FALLBACK_OUTPUT_TOKENS = 1_000;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageTokens(message: LLMMessage): number {
  let tokens = MESSAGE_OVERHEAD;
  if (typeof message.content === 'string') tokens += estimateTextTokens(message.content);
  else for (const part of message.content) tokens += part.type === 'text' ? estimateTextTokens(part.text) : IMAGE_TOKENS;
  if (message.toolCalls) for (const call of message.toolCalls) tokens += estimateTextTokens(call.name) + estimateTextTokens(call.rawArguments);
  if (message.reasoning) for (const part of message.reasoning) tokens += estimateTextTokens(part.text);
  return tokens;
}

// A tool's schema is serialised to count it, which costs more than counting a conversation's
// messages; the same tool objects are sent call after call, so each is counted once.
const toolTokensBySchema = new WeakMap<ToolSchema, number>();

function toolTokens(tool: ToolSchema): number {
  let tokens = toolTokensBySchema.get(tool);
  if (tokens === undefined) {
    tokens = estimateTextTokens(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters }));
    toolTokensBySchema.set(tool, tokens);
  }
  return tokens;
}

/** Prompt tokens of a conversation and its tool schemas: a cheap, slightly generous guess. */
export function estimatePromptTokens(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = []): number {
  let tokens = REPLY_OVERHEAD;
  for (const message of messages) tokens += messageTokens(message);
  for (const tool of tools) tokens += toolTokens(tool);
  return tokens;
}

/**
 * What a chat request may count against a tokens-per-minute limit: the prompt, plus `maxTokens`
 * of output (what providers themselves reserve), else `defaultOutputTokens` capped at the model's limit.
 */
// Budget, approval and rate limiting each estimate the same request. Counting messages is a walk
// over them that costs less than remembering the count per request did (a WeakMap entry per call),
// and tool schemas, the costly part, are counted once per tool object (above).
export function estimateInferTokens(request: InferRequest, defaultOutputTokens: number, modelMaxOutputTokens?: number): TokenEstimate {
  const promptTokens = estimatePromptTokens(request.messages, request.tools);
  const outputTokens = request.options.maxTokens ?? Math.min(defaultOutputTokens, modelMaxOutputTokens ?? Number.POSITIVE_INFINITY);
  return { promptTokens, outputTokens, totalTokens: promptTokens + outputTokens };
}

export function estimateEmbedTokens(request: EmbedRequest): TokenEstimate {
  let promptTokens = 0;
  for (const text of request.input) promptTokens += estimateTextTokens(text);
  return { promptTokens, outputTokens: 0, totalTokens: promptTokens };
}

/**
 * A deliberately pessimistic cost estimate made before the call (budgets, approval): the prompt
 * estimate, and output of `maxTokens`, else the model's max output, else 1,000 tokens.
 */
export function estimateInferCost(request: InferRequest, context: CallContext): RequestCostEstimate {
  const modelInfo = modelInfoFor(request.options.model, context);
  const tokens = estimateInferTokens(request, modelInfo?.maxOutputTokens ?? FALLBACK_OUTPUT_TOKENS);
  return { promptTokens: tokens.promptTokens, outputTokens: tokens.outputTokens, totalTokens: tokens.totalTokens, costUsd: priced(modelInfo, tokens) };
}

export function estimateEmbedCost(request: EmbedRequest, context: CallContext): RequestCostEstimate {
  const tokens = estimateEmbedTokens(request);
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
