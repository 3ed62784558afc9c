import { afterEach } from 'vitest';
import { AbortError, type HyperAgentError } from '../../core/errors.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { Kernel } from '../../core/kernel.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  StreamEvent,
  TokenUsage,
  ToolCall,
  ToolSchema,
} from '../../core/types.js';
import { createGateway } from '../../server/create-gateway.js';
import type { Gateway, GatewayAddress } from '../../server/gateway.js';
import type { GatewayOptions } from '../../server/gateway-options.js';

export const usage: TokenUsage = { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, cachedTokens: 200, reasoningTokens: 40 };

export const fakeInfo: ModelInfo = {
  id: 'fake-model-1',
  provider: 'fake',
  contextWindow: 128_000,
  maxOutputTokens: 4096,
  pricing: { input: 2, output: 8, cachedInput: 0.5 },
  capabilities: { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: false, embeddings: true, promptCaching: true },
};

export const weatherCall: ToolCall = { id: 'call_abc123', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city": "Paris"}' };

/** A step of a scripted stream: an event, a pause, or waiting until the call is aborted. */
export type StreamStep = StreamEvent | { readonly pauseMs: number } | 'hang';

export const textEvents: StreamEvent[] = [
  { type: 'text-delta', text: 'Hello' },
  { type: 'text-delta', text: ', world' },
  { type: 'text-delta', text: '!' },
  { type: 'done', tokenUsage: usage, finishReason: 'stop' },
];

export const toolEvents: StreamEvent[] = [
  { type: 'text-delta', text: 'Checking.' },
  // A provider-side index (Anthropic counts text blocks too): the gateway renumbers from 0.
  { type: 'tool-call-start', id: weatherCall.id, name: weatherCall.name, index: 1 },
  { type: 'tool-call-delta', id: weatherCall.id, argumentsDelta: '{"city": ' },
  { type: 'tool-call-delta', id: weatherCall.id, argumentsDelta: '"Paris"}' },
  { type: 'tool-call-end', id: weatherCall.id, toolCall: weatherCall },
  { type: 'done', tokenUsage: usage, finishReason: 'tool-calls' },
];

export interface RecordedCall {
  readonly operation: 'infer' | 'stream' | 'embed';
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  readonly options: InferOptions | EmbedOptions;
  readonly input?: readonly string[];
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A scripted backend that records what reached it, and whether its signal was aborted. */
export class FakeBackend implements LLMBackend {
  readonly provider = 'fake';
  readonly calls: RecordedCall[] = [];
  /** What `infer` answers, or throws. */
  output: InferenceOutput | HyperAgentError = {
    content: 'Hello, world!',
    confidence: 1,
    tokenUsage: usage,
    finishReason: 'stop',
    metadata: { provider: 'fake', model: 'fake-model-1' },
  };
  /** What `inferStream` plays. */
  steps: readonly StreamStep[] = textEvents;
  /** When true, `infer` answers only by failing once its signal is aborted. */
  inferHangs = false;
  /** Thrown by `embed`, when set. */
  embedError: HyperAgentError | undefined;
  private abortedResolve!: () => void;
  /** Settles when the signal of any call is aborted. */
  readonly aborted = new Promise<void>((resolve) => {
    this.abortedResolve = resolve;
  });

  private watch(signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) this.abortedResolve();
    else signal.addEventListener('abort', () => this.abortedResolve(), { once: true });
  }

  get lastCall(): RecordedCall {
    const call = this.calls[this.calls.length - 1];
    if (!call) throw new Error('FakeBackend was not called');
    return call;
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    this.calls.push({ operation: 'infer', messages, tools, options });
    this.watch(options.signal);
    if (this.inferHangs) await wait(3_600_000, options.signal);
    if (this.output instanceof Error) throw this.output;
    return this.output;
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    this.calls.push({ operation: 'stream', messages, tools, options });
    this.watch(options.signal);
    const steps = this.steps;
    const signal = options.signal;
    return new ManagedInferenceStream(
      async function* () {
        for (const step of steps) {
          if (step === 'hang') await wait(3_600_000, signal);
          else if ('pauseMs' in step) await wait(step.pauseMs, signal);
          else yield step;
        }
      },
      { provider: 'fake', model: 'fake-model-1' },
    );
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const texts = typeof input === 'string' ? [input] : input;
    this.calls.push({ operation: 'embed', messages: [], tools: [], options, input: texts });
    if (this.embedError) throw this.embedError;
    return {
      embeddings: texts.map((text, index) => [text.length, index, 0.5, -0.25]),
      model: 'fake-embed-1',
      tokenUsage: { promptTokens: 7 * texts.length, completionTokens: 0, totalTokens: 7 * texts.length },
      metadata: { provider: 'fake', model: 'fake-embed-1' },
    };
  }

  modelInfo(): ModelInfo {
    return fakeInfo;
  }

  supportsFunctionCalling(): boolean {
    return true;
  }

  supportsStreaming(): boolean {
    return true;
  }
}

export interface Started {
  readonly gateway: Gateway;
  readonly address: GatewayAddress;
  readonly url: string;
  /** For OpenAI clients: `${url}/v1`. */
  readonly baseURL: string;
  readonly backend: FakeBackend;
  readonly kernel: Kernel;
}

const started: Gateway[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
});

/** A kernel with one fake backend named `fake`, and a gateway on 127.0.0.1 at a free port, closed after the test. */
export async function startGateway(options: Partial<GatewayOptions> = {}, backend = new FakeBackend()): Promise<Started> {
  const kernel = options.kernel ?? new Kernel().register('fake', backend);
  const gateway = createGateway({ port: 0, env: {}, ...options, kernel });
  started.push(gateway);
  const address = await gateway.listen();
  return { gateway, address, url: address.url, baseURL: `${address.url}/v1`, backend, kernel };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

export function chatBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }], ...extra });
}
