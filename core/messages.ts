import type { ContentPart, LLMMessage, ToolCall } from './types.js';

export interface ToolResultOptions {
  /** The tool's name; some providers want it on the result. */
  readonly name?: string;
  /** The tool failed and `content` describes the failure. @default false */
  readonly isError?: boolean;
}

/** A user turn: text, or parts (text and images). */
export function user(content: string | readonly ContentPart[]): LLMMessage {
  return { role: 'user', content };
}

/** A system prompt. */
export function system(content: string | readonly ContentPart[]): LLMMessage {
  return { role: 'system', content };
}

/** An assistant turn, with the tool calls it made if any (for replaying a conversation). */
export function assistant(content: string | readonly ContentPart[], toolCalls?: readonly ToolCall[]): LLMMessage {
  return toolCalls && toolCalls.length > 0 ? { role: 'assistant', content, toolCalls } : { role: 'assistant', content };
}

function isContentParts(value: unknown): value is readonly ContentPart[] {
  return Array.isArray(value) && value.every((part) => typeof part === 'object' && part !== null && ((part as ContentPart).type === 'text' || (part as ContentPart).type === 'image'));
}

/**
 * The result of the tool call `toolCallId`. `content` is text, content parts, or any other value,
 * which is sent as JSON.
 */
export function toolResult(toolCallId: string, content: unknown, options: ToolResultOptions = {}): LLMMessage {
  const body = typeof content === 'string' || isContentParts(content) ? content : (JSON.stringify(content) ?? String(content));
  return {
    role: 'tool',
    content: body,
    toolCallId,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.isError ? { isError: true } : {}),
  };
}
