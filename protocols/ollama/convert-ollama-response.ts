import type { InferenceOutput, OutputMetadata, StreamEvent, ToolCall } from '../../core/types.js';
import type { OllamaChatChunk } from './ollama-api.js';
import { OllamaStreamTransform } from './ollama-stream.js';

export interface OllamaResponseContext {
  readonly provider: string;
  readonly model: string;
  readonly requestId?: string;
  readonly warnings: readonly string[];
}

/**
 * A `stream: false` answer → `InferenceOutput`. It is the final stream line with the whole message,
 * so it goes through the stream transform: one reading of the wire for both paths.
 */
export function convertOllamaResponse(body: OllamaChatChunk, context: OllamaResponseContext): InferenceOutput {
  const metadata: Record<string, unknown> = { provider: context.provider, model: context.model };
  if (context.requestId) metadata.requestId = context.requestId;
  const transform = new OllamaStreamTransform({ provider: context.provider, metadata });
  const events: StreamEvent[] = [];
  if (typeof body === 'object' && body !== null) transform.pushChunk({ ...body, done: true }, events);
  else transform.push(JSON.stringify(body), events);
  let content = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const event of events) {
    if (event.type === 'text-delta') content += event.text;
    else if (event.type === 'reasoning-delta') reasoning += event.text;
    else if (event.type === 'tool-call-end') toolCalls.push(event.toolCall);
    else if (event.type === 'error') throw event.error;
  }
  const done = events[events.length - 1];
  if (context.warnings.length > 0) metadata.warnings = [...context.warnings];
  return {
    content,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning } : {}),
    confidence: 1,
    tokenUsage: done.type === 'done' ? done.tokenUsage : { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    finishReason: done.type === 'done' ? done.finishReason : 'other',
    metadata: metadata as OutputMetadata,
  };
}
