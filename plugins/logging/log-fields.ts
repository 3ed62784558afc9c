import type { CallContext, CostEvent, EmbedRequest, InferRequest } from '../../core/hooks.js';
import type { HyperAgentError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import type { ContentPart, InferenceOutput, LLMMessage, ToolCall } from '../../core/types.js';
import { redactValue } from './redact-value.js';

/** What every line about a call carries, so lines of one call can be grepped together. */
export function callFields(context: CallContext): Record<string, unknown> {
  return { callId: context.callId, backend: context.backendName, provider: context.provider, model: context.model, operation: context.operation };
}

export function requestFields(request: InferRequest, context: CallContext, withContent: boolean, withOptions: boolean): Record<string, unknown> {
  // The call fields written out rather than spread from callFields: this runs on every call.
  const fields: Record<string, unknown> = {
    event: 'request',
    callId: context.callId,
    backend: context.backendName,
    provider: context.provider,
    model: context.model,
    operation: context.operation,
    messageCount: request.messages.length,
    toolCount: request.tools.length,
  };
  if (request.options.maxTokens !== undefined) fields.maxTokens = request.options.maxTokens;
  if (withOptions) fields.options = redactValue(withoutSignal(request.options));
  if (withContent) {
    fields.messages = request.messages.map(messageFields);
    fields.tools = request.tools.map((tool) => tool.name);
  }
  return fields;
}

export function embedRequestFields(request: EmbedRequest, context: CallContext, withContent: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = { event: 'request', ...callFields(context), inputCount: request.input.length };
  if (withContent) fields.input = request.input.map((text) => redactSecrets(text));
  return fields;
}

export function outputFields(output: InferenceOutput, context: CallContext, withContent: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    event: 'response',
    ...callFields(context),
    finishReason: output.finishReason,
    contentLength: output.content.length,
    toolCalls: (output.toolCalls ?? []).map((call) => (withContent ? toolCallFields(call) : call.name)),
  };
  const denied = output.metadata.deniedToolCalls;
  if (Array.isArray(denied) && denied.length > 0) fields.deniedToolCallCount = denied.length;
  if (withContent) {
    fields.content = redactSecrets(output.content);
    if (output.reasoning !== undefined) fields.reasoning = redactSecrets(output.reasoning);
  }
  return fields;
}

export interface StreamTiming {
  /** Milliseconds from the call's start to its first stream event. */
  firstTokenAfterMs?: number;
  /** Text deltas seen; counted only when debug is on. */
  textDeltas?: number;
}

/** The fields every usage line of one backend, model and operation shares: a child logger's bindings (see `UsageLoggers`). */
export function usageBindings(cost: CostEvent, context: CallContext): Record<string, unknown> {
  return { backend: context.backendName, provider: context.provider, model: cost.model, operation: context.operation };
}

/** The usage line's own fields; its backend, provider, model (the one charged) and operation come from `usageBindings`. */
export function costFields(cost: CostEvent, context: CallContext, timing: StreamTiming | undefined): Record<string, unknown> {
  const durationMs = performance.now() - context.startedAt;
  const usage = cost.usage;
  const fields: Record<string, unknown> = {
    event: 'usage',
    callId: context.callId,
    attempts: context.attempt,
    durationMs: round(durationMs),
  };
  // The request's shape, so that one line per call tells what was asked and what it cost.
  const request = context.request;
  if (request !== undefined) {
    if ('messages' in request) {
      fields.messageCount = request.messages.length;
      fields.toolCount = request.tools.length;
      if (request.options.maxTokens !== undefined) fields.maxTokens = request.options.maxTokens;
    } else fields.inputCount = request.input.length;
  }
  fields.promptTokens = usage.promptTokens;
  fields.completionTokens = usage.completionTokens;
  fields.totalTokens = usage.totalTokens;
  if (usage.cachedTokens !== undefined) fields.cachedTokens = usage.cachedTokens;
  if (usage.cacheWriteTokens !== undefined) fields.cacheWriteTokens = usage.cacheWriteTokens;
  if (usage.reasoningTokens !== undefined) fields.reasoningTokens = usage.reasoningTokens;
  // Unknown pricing is said out loud: a missing cost must never read as a free call.
  if (cost.costUsd === undefined) fields.costUnknown = true;
  else fields.costUsd = cost.costUsd;
  if (cost.partial) fields.partial = true;
  if (timing?.firstTokenAfterMs !== undefined) {
    fields.ttftMs = round(timing.firstTokenAfterMs);
    const generatingSeconds = (durationMs - timing.firstTokenAfterMs) / 1000;
    if (generatingSeconds > 0 && usage.completionTokens > 0) fields.tokensPerSecond = round(usage.completionTokens / generatingSeconds);
  }
  if (timing?.textDeltas !== undefined) fields.textDeltas = timing.textDeltas;
  return fields;
}

export function errorFields(error: HyperAgentError, context: CallContext, withStack: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    event: 'error',
    ...callFields(context),
    attempts: context.attempt,
    durationMs: round(performance.now() - context.startedAt),
    ...errorSummary(error),
  };
  if (withStack && error.stack !== undefined) fields.stack = redactSecrets(error.stack);
  return fields;
}

/** Code, status, request id and retryability: what a person needs to act on an error. Never the stack. */
export function errorSummary(error: HyperAgentError): Record<string, unknown> {
  const fields: Record<string, unknown> = { code: error.code, message: redactSecrets(error.message), retryable: error.retryable };
  if (error.status !== undefined) fields.status = error.status;
  if (error.requestId !== undefined) fields.requestId = error.requestId;
  if (error.providerCode !== undefined) fields.providerCode = error.providerCode;
  if (error.retryAfterMs !== undefined) fields.retryAfterMs = error.retryAfterMs;
  return fields;
}

function messageFields(message: LLMMessage): Record<string, unknown> {
  const fields: Record<string, unknown> = { role: message.role, content: contentText(message.content) };
  if (message.toolCalls?.length) fields.toolCalls = message.toolCalls.map(toolCallFields);
  if (message.toolCallId !== undefined) fields.toolCallId = message.toolCallId;
  if (message.isError) fields.isError = true;
  return fields;
}

function toolCallFields(call: ToolCall): Record<string, unknown> {
  return { id: call.id, name: call.name, arguments: redactValue(call.arguments) };
}

function contentText(content: string | readonly ContentPart[]): string {
  if (typeof content === 'string') return redactSecrets(content);
  return content.map((part) => (part.type === 'text' ? redactSecrets(part.text) : '[image]')).join('\n');
}

function withoutSignal(options: InferRequest['options']): Record<string, unknown> {
  const { signal: _signal, ...rest } = options;
  return rest;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
