import type { HyperAgentError } from '../../core/errors.js';
import type { FinishReason, InferenceOutput, LLMMessage, TokenUsage, ToolCall, ToolSchema } from '../../core/types.js';
import { createMockError } from './mock-errors.js';
import { estimateTokens, mockMessageText } from './mock-message-text.js';
import type { MockResponse } from './mock-response.js';
import { renderMockTemplate } from './mock-template.js';

/** A response made concrete for one call: ids assigned, usage counted, the error built. */
export interface MockTurn {
  readonly content: string;
  readonly reasoning: string | undefined;
  readonly toolCalls: readonly ToolCall[];
  readonly tokenUsage: TokenUsage;
  readonly finishReason: FinishReason;
  readonly error: HyperAgentError | undefined;
  readonly latencyMs: number;
  readonly chunkSize: number;
  readonly model: string;
}

export interface MockTurnContext {
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  readonly model: string;
  readonly defaultLatencyMs: number;
  readonly defaultChunkSize: number;
  /** Numbers tool calls that have no id of their own. */
  readonly nextToolCallId: () => string;
}

/** What the prompt would cost a real tokenizer, roughly: every message's text plus the tool schemas. */
export function estimatePromptTokens(messages: readonly LLMMessage[], tools: readonly ToolSchema[]): number {
  const text = messages.map(mockMessageText).join('\n');
  return estimateTokens(text) + (tools.length > 0 ? estimateTokens(JSON.stringify(tools)) : 0);
}

interface TurnText {
  readonly content: string;
  readonly reasoning: string | undefined;
}

function countUsage(response: MockResponse, text: TurnText, context: MockTurnContext, toolCalls: readonly ToolCall[]): TokenUsage {
  const given = response.usage ?? {};
  const promptTokens = given.promptTokens ?? estimatePromptTokens(context.messages, context.tools);
  const reasoningEstimate = text.reasoning === undefined ? undefined : estimateTokens(text.reasoning);
  const outputText = text.content + toolCalls.map((call) => call.name + call.rawArguments).join('');
  const completionTokens = given.completionTokens ?? (response.errorSpec ? 0 : estimateTokens(outputText) + (reasoningEstimate ?? 0));
  // An explicit completion count says nothing about reasoning, so the estimate is only used alongside its own.
  const reasoningTokens = given.reasoningTokens ?? (given.completionTokens === undefined ? reasoningEstimate : undefined);
  return {
    promptTokens,
    completionTokens,
    totalTokens: given.totalTokens ?? promptTokens + completionTokens,
    ...(given.cachedTokens === undefined ? {} : { cachedTokens: given.cachedTokens }),
    ...(given.cacheWriteTokens === undefined ? {} : { cacheWriteTokens: given.cacheWriteTokens }),
    ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
    ...(given.reportedCostUsd === undefined ? {} : { reportedCostUsd: given.reportedCostUsd }),
  };
}

export function resolveMockTurn(response: MockResponse, context: MockTurnContext): MockTurn {
  const toolCalls: ToolCall[] = response.toolCallSpecs.map((spec) => {
    const args = { ...spec.arguments };
    return Object.freeze({ id: spec.id ?? context.nextToolCallId(), name: spec.name, arguments: args, rawArguments: JSON.stringify(args) });
  });
  // Templates are filled in here, per call, so the same scripted response can quote each conversation.
  const text: TurnText = {
    content: renderMockTemplate(response.content, context.messages),
    reasoning: response.reasoning === undefined ? undefined : renderMockTemplate(response.reasoning, context.messages),
  };
  return {
    ...text,
    toolCalls,
    tokenUsage: countUsage(response, text, context, toolCalls),
    finishReason: response.finishReason ?? (response.errorSpec ? 'error' : toolCalls.length > 0 ? 'tool-calls' : 'stop'),
    error: response.errorSpec && createMockError(response.errorSpec),
    latencyMs: response.latencyMs ?? context.defaultLatencyMs,
    chunkSize: response.chunkSize ?? context.defaultChunkSize,
    model: context.model,
  };
}

/** The `InferenceOutput` of a successful turn, shaped exactly as a stream of the same turn accumulates it. */
export function mockTurnOutput(turn: MockTurn): InferenceOutput {
  return {
    content: turn.content,
    ...(turn.toolCalls.length > 0 ? { toolCalls: [...turn.toolCalls] } : {}),
    ...(turn.reasoning === undefined ? {} : { reasoning: turn.reasoning, reasoningParts: [{ text: turn.reasoning }] }),
    confidence: 1,
    tokenUsage: turn.tokenUsage,
    finishReason: turn.finishReason,
    metadata: { provider: 'mock', model: turn.model },
  };
}
