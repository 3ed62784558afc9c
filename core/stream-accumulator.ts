import { EMPTY_USAGE } from './cost.js';
import type { HyperAgentError } from './errors.js';
import type { FinishReason, InferenceOutput, OutputMetadata, ReasoningPart, StreamEvent, TokenUsage, ToolCall } from './types.js';

/** Builds the `InferenceOutput` a stream amounts to, one event at a time. */
export class StreamAccumulator {
  private readonly textChunks: string[] = [];
  private readonly reasoningParts: { text: string; signature?: string; redactedData?: string }[] = [];
  private confidence = 1;
  private readonly toolCalls: ToolCall[] = [];
  private usage: TokenUsage = EMPTY_USAGE;
  private finishReason: FinishReason = 'other';
  private lastWasReasoning = false;
  error: HyperAgentError | undefined;
  finished = false;

  /** `metadata` may be filled in by the producer while the stream runs (request id, response id...). */
  constructor(readonly metadata: Record<string, unknown> & { provider: string; model: string }) {}

  add(event: StreamEvent): void {
    switch (event.type) {
      case 'text-delta':
        this.textChunks.push(event.text);
        this.lastWasReasoning = false;
        break;
      case 'reasoning-delta': {
        const current = this.reasoningParts[this.reasoningParts.length - 1];
        if (current && this.lastWasReasoning && current.signature === undefined) current.text += event.text;
        else this.reasoningParts.push({ text: event.text });
        this.lastWasReasoning = true;
        break;
      }
      case 'reasoning-signature': {
        const current = this.reasoningParts[this.reasoningParts.length - 1];
        if (current && current.signature === undefined) current.signature = event.signature;
        else this.reasoningParts.push({ text: '', signature: event.signature });
        this.lastWasReasoning = false;
        break;
      }
      case 'reasoning-redacted':
        this.reasoningParts.push({ text: '', redactedData: event.data });
        this.lastWasReasoning = false;
        break;
      case 'tool-call-end':
        this.toolCalls.push(event.toolCall);
        this.lastWasReasoning = false;
        break;
      case 'done':
        this.usage = event.tokenUsage;
        this.finishReason = event.finishReason;
        if (event.confidence !== undefined) this.confidence = event.confidence;
        this.finished = true;
        break;
      case 'error':
        if (event.tokenUsage) this.usage = event.tokenUsage;
        this.finishReason = 'error';
        this.error = event.error;
        this.finished = true;
        break;
      default:
        break;
    }
  }

  get tokenUsage(): TokenUsage {
    return this.usage;
  }

  output(): InferenceOutput {
    const reasoning = this.reasoningParts.map((part) => part.text).join('');
    return {
      content: this.textChunks.join(''),
      ...(this.toolCalls.length > 0 ? { toolCalls: [...this.toolCalls] } : {}),
      ...(this.reasoningParts.length > 0 ? { reasoning, reasoningParts: this.reasoningParts.map((part) => ({ ...part }) as ReasoningPart) } : {}),
      confidence: this.confidence,
      tokenUsage: this.usage,
      finishReason: this.finishReason,
      metadata: { ...this.metadata } as OutputMetadata,
    };
  }
}
