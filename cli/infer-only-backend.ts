import { toHyperAgentError } from '../core/errors.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, StreamEvent, ToolSchema } from '../core/types.js';

/**
 * The answer of one `infer()` call played back as stream events, all at once when it arrives, so
 * the agent loop shows tool calls as they happen while the model is called without streaming.
 */
class InferOutputStream implements InferenceStream {
  constructor(private readonly pending: Promise<InferenceOutput>) {
    // The rejection is delivered by the iterator or by output(); never unhandled.
    pending.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    let output: InferenceOutput;
    try {
      output = await this.pending;
    } catch (error) {
      yield { type: 'error', error: toHyperAgentError(error) };
      return;
    }
    if (output.reasoning) yield { type: 'reasoning-delta', text: output.reasoning };
    if (output.content) yield { type: 'text-delta', text: output.content };
    for (const [index, toolCall] of (output.toolCalls ?? []).entries()) {
      yield { type: 'tool-call-start', id: toolCall.id, name: toolCall.name, index };
      yield { type: 'tool-call-delta', id: toolCall.id, argumentsDelta: toolCall.rawArguments };
      yield { type: 'tool-call-end', id: toolCall.id, toolCall };
    }
    yield { type: 'done', tokenUsage: output.tokenUsage, finishReason: output.finishReason };
  }

  output(): Promise<InferenceOutput> {
    return this.pending;
  }
}

/** `backend`, with `inferStream` answered by `infer` (for `chat --no-stream` and backends that cannot stream). */
export class InferOnlyBackend implements LLMBackend {
  constructor(private readonly backend: LLMBackend) {}

  get provider(): string {
    return this.backend.provider;
  }

  infer(messages: readonly LLMMessage[], tools?: readonly ToolSchema[], options?: InferOptions): Promise<InferenceOutput> {
    return this.backend.infer(messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools?: readonly ToolSchema[], options?: InferOptions): InferenceStream {
    return new InferOutputStream(this.backend.infer(messages, tools, options));
  }

  embed(input: string | readonly string[], options?: EmbedOptions): Promise<EmbeddingOutput> {
    return this.backend.embed(input, options);
  }

  modelInfo(model?: string): ModelInfo {
    return this.backend.modelInfo(model);
  }

  supportsFunctionCalling(): boolean {
    return this.backend.supportsFunctionCalling();
  }

  supportsStreaming(): boolean {
    return false;
  }
}
