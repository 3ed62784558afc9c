import { validateMessages } from './validate-messages.js';
import { Call } from './call.js';
import { CallStream } from './call-stream.js';
import type { EmbedRequest, InferRequest, KernelHooks, Operation } from './hooks.js';
import { ManagedInferenceStream } from './inference-stream.js';
import type { Kernel } from './kernel.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  ToolSchema,
} from './types.js';

/** A backend whose every call runs the kernel's hooks, one `Call` per call. User code holds these. */
export class KernelBackend implements LLMBackend {
  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly inner: LLMBackend,
  ) {}

  get provider(): string {
    return this.inner.provider;
  }

  get hooks(): KernelHooks {
    return this.kernel.hooks;
  }

  get maxTokens(): number | undefined {
    return (this.inner as { readonly maxTokens?: number }).maxTokens;
  }

  modelInfo(model?: string): ModelInfo {
    return this.inner.modelInfo(model);
  }

  supportsFunctionCalling(): boolean {
    return this.inner.supportsFunctionCalling();
  }

  supportsStreaming(): boolean {
    return this.inner.supportsStreaming();
  }

  private open(operation: Operation, model: string | undefined, signal: AbortSignal | undefined): Call {
    const callModel = model ?? this.inner.modelInfo().id;
    // Counted in flight only once nothing before it can throw: every counted call reaches `end`.
    return new Call(this.kernel, this.kernel.callStarted(), this.name, this.inner, callModel, operation, signal);
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const hooks = this.kernel.hooks;
    const call = this.open('infer', options.model, options.signal);
    try {
      validateMessages(messages, tools, this.inner.provider);
      // A hook nobody tapped is skipped: its promise would cost every call a microtask for nothing.
      const asked: InferRequest = { messages, tools, options };
      const request = hooks.beforeInfer.isUsed() ? await hooks.beforeInfer.promise(asked, call) : asked;
      call.request = request;
      const run = call.attempts(() => this.inner.infer(request.messages, request.tools, request.options));
      const raw = (await run(call)) as InferenceOutput;
      const tokenUsage = call.sanitize(raw.tokenUsage);
      const costUsd = call.charge('success', tokenUsage, { model: raw.metadata.model ?? call.model });
      const charged: InferenceOutput = { ...raw, tokenUsage, metadata: { ...raw.metadata, backend: this.name, costUsd } };
      const reviewed = await call.reviewOutput(charged);
      const final = hooks.afterInfer.isUsed() ? await hooks.afterInfer.promise(reviewed, call) : reviewed;
      call.end('success');
      return final;
    } catch (error) {
      call.charge('error');
      const typed = call.fail(error);
      call.end('error', typed);
      throw typed;
    }
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const call = this.open('stream', options.model, options.signal);
    const metadata: Record<string, unknown> = { backend: this.name };
    const stream: ManagedInferenceStream = new ManagedInferenceStream(() => new CallStream(call, this.name, this.inner, { messages, tools, options }, () => stream), {
      provider: this.inner.provider,
      model: call.model,
      metadata,
    });
    return stream;
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const hooks = this.kernel.hooks;
    const call = this.open('embed', options.model, options.signal);
    try {
      const asked: EmbedRequest = { input: typeof input === 'string' ? [input] : input, options };
      const request = hooks.beforeEmbed.isUsed() ? await hooks.beforeEmbed.promise(asked, call) : asked;
      call.request = request;
      const run = call.attempts(() => this.inner.embed(request.input, request.options));
      const raw = (await run(call)) as EmbeddingOutput;
      const tokenUsage = call.sanitize(raw.tokenUsage);
      const costUsd = call.charge('success', tokenUsage, { model: raw.model });
      call.end('success');
      return { ...raw, tokenUsage, metadata: { ...raw.metadata, backend: this.name, costUsd } };
    } catch (error) {
      call.charge('error');
      const typed = call.fail(error);
      call.end('error', typed);
      throw typed;
    }
  }
}
