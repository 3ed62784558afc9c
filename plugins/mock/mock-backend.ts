import { AbortError } from '../../core/errors.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import type {
  Capabilities,
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  RateLimits,
  ToolCall,
  ToolSchema,
} from '../../core/types.js';
import { mockLatency } from './mock-delay.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, MockEmbeddings } from './mock-embeddings.js';
import { estimateTokens } from './mock-message-text.js';
import { MOCK_MODEL_ID, mockModelInfo, type MockModelId } from './mock-models.js';
import type { MockBackendOptions, MockPattern, MockPredicate } from './mock-options.js';
import { MockResponse } from './mock-response.js';
import { containsPredicate, MockScript, patternPredicate, regexPredicate } from './mock-script.js';
import { toMockResponse, type MockResponseInput } from './mock-scripted-response.js';
import { mockStreamEvents } from './mock-stream.js';
import { mockTurnOutput, resolveMockTurn, type MockTurn } from './mock-turn.js';

export const DEFAULT_MOCK_TEXT = 'This is a mock response.';
export const DEFAULT_STREAM_CHUNK_SIZE = 3;

/** One call the backend received, as it received it. */
export interface MockCall {
  readonly operation: 'infer' | 'stream' | 'embed';
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  readonly options: InferOptions | EmbedOptions;
  /** The texts of an `embed` call. */
  readonly input: readonly string[] | undefined;
  /** `Date.now()` when the call arrived. */
  readonly timestamp: number;
  /** The response chosen for an `infer`/`stream` call. */
  readonly response: MockResponse | undefined;
  /** The tool calls the mock model returned. */
  readonly toolCalls: readonly ToolCall[];
}

function checkNumber(name: string, value: number | undefined, minimum: number, integer: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < minimum || (integer && !Number.isInteger(value))) {
    throw new TypeError(`MockBackend: option \`${name}\` must be ${integer ? 'an integer' : 'a number'} >= ${minimum}, received ${String(value)}.`);
  }
}

/**
 * A scripted LLM backend for tests and demos: answers from patterns, a sequence, echo mode or a
 * default, streams like a real provider, and records every call.
 */
export class MockBackend implements LLMBackend {
  readonly provider = 'mock';
  readonly model: MockModelId;
  private readonly script: MockScript;
  private readonly embeddings: MockEmbeddings;
  private readonly recorded: MockCall[] = [];
  private readonly capabilities: Partial<Capabilities>;
  private readonly latencyMs: number;
  private readonly streamDelayMs: number;
  private readonly streamChunkSize: number;
  private readonly rateLimits: RateLimits | undefined;
  /** See `MockBackendOptions.maxTokens`. */
  readonly maxTokens: number | undefined;
  private toolCallCounter = 0;

  constructor(options: MockBackendOptions = {}) {
    checkNumber('latencyMs', options.latencyMs, 0, false);
    checkNumber('streamDelayMs', options.streamDelayMs, 0, false);
    checkNumber('streamChunkSize', options.streamChunkSize, 1, true);
    checkNumber('embeddingDimensions', options.embeddingDimensions, 1, true);
    checkNumber('maxTokens', options.maxTokens, 1, true);
    if (options.whenExhausted !== undefined && options.whenExhausted !== 'repeat-last' && options.whenExhausted !== 'default') {
      throw new TypeError(`MockBackend: option \`whenExhausted\` must be 'repeat-last' or 'default', received ${JSON.stringify(options.whenExhausted)}.`);
    }
    this.rateLimits = options.rateLimits;
    this.maxTokens = options.maxTokens;
    this.model = options.model ?? MOCK_MODEL_ID;
    this.capabilities = { ...options.capabilities };
    this.latencyMs = options.latencyMs ?? 0;
    this.streamDelayMs = options.streamDelayMs ?? 0;
    this.streamChunkSize = options.streamChunkSize ?? DEFAULT_STREAM_CHUNK_SIZE;
    this.embeddings = new MockEmbeddings(options.embeddings, options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS);
    this.script = new MockScript({
      echo: options.echo ?? false,
      defaultResponse: toMockResponse(options.defaultResponse ?? DEFAULT_MOCK_TEXT, 'MockBackend options.defaultResponse'),
      whenExhausted: options.whenExhausted ?? 'repeat-last',
    });
    options.patterns?.forEach((pattern: MockPattern, index) => {
      const where = `MockBackend options.patterns[${index}]`;
      this.script.addRule(patternPredicate(pattern, where), toMockResponse(pattern.response, `${where}.response`));
    });
    options.responses?.forEach((response, index) => this.script.addResponse(toMockResponse(response, `MockBackend options.responses[${index}]`)));
  }

  /** Answer with `response` when the last message contains `text`. */
  whenContains(text: string, response: MockResponseInput): this {
    this.script.addRule(containsPredicate(text), toMockResponse(response));
    return this;
  }

  /** Answer with `response` when the last message matches `pattern`. */
  whenMatches(pattern: RegExp | string, response: MockResponseInput): this {
    this.script.addRule(regexPredicate(pattern), toMockResponse(response));
    return this;
  }

  /** Answer with `response` when `predicate` says so. */
  when(predicate: MockPredicate, response: MockResponseInput): this {
    if (typeof predicate !== 'function') throw new TypeError('MockBackend.when: `predicate` must be a function (messages, tools, options) => boolean.');
    this.script.addRule(predicate, toMockResponse(response));
    return this;
  }

  /** Append one response to the sequence. */
  addResponse(response: MockResponseInput): this {
    this.script.addResponse(toMockResponse(response));
    return this;
  }

  addResponses(responses: readonly MockResponseInput[]): this {
    responses.forEach((response, index) => this.script.addResponse(toMockResponse(response, `MockBackend.addResponses[${index}]`)));
    return this;
  }

  get calls(): readonly MockCall[] {
    return this.recorded;
  }

  get callCount(): number {
    return this.recorded.length;
  }

  get lastCall(): MockCall | undefined {
    return this.recorded[this.recorded.length - 1];
  }

  /** Responses of the sequence not used yet. */
  get remainingResponses(): number {
    return this.script.remaining;
  }

  /** The mock model returned a call to the tool `name`. */
  wasToolCalled(name: string): boolean {
    return this.recorded.some((call) => call.toolCalls.some((toolCall) => toolCall.name === name));
  }

  /** The tool `name` was among the tools passed to a call. */
  wasToolOffered(name: string): boolean {
    return this.recorded.some((call) => call.tools.some((tool) => tool.name === name));
  }

  /** Forget the calls and start the sequence (and the tool-call ids, and the ordered embeddings) over. */
  reset(): void {
    this.recorded.length = 0;
    this.script.rewind();
    this.embeddings.rewind();
    this.toolCallCounter = 0;
  }

  private turn(operation: 'infer' | 'stream', messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): MockTurn {
    const response = this.script.next(messages, tools, options);
    const turn = resolveMockTurn(response, {
      messages,
      tools,
      model: options.model ?? this.model,
      defaultLatencyMs: this.latencyMs,
      defaultChunkSize: this.streamChunkSize,
      nextToolCallId: () => `call_mock_${++this.toolCallCounter}`,
    });
    this.recorded.push({ operation, messages, tools, options, input: undefined, timestamp: Date.now(), response, toolCalls: turn.toolCalls });
    return turn;
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    // An aborted call never reaches the "server": it is not recorded and uses up no response.
    if (options.signal?.aborted) throw new AbortError(undefined, { provider: this.provider, cause: options.signal.reason });
    const turn = this.turn('infer', messages, tools, options);
    await mockLatency(turn.latencyMs, options.signal, options.timeoutMs);
    if (turn.error) throw turn.error;
    return mockTurnOutput(turn);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const model = options.model ?? this.model;
    const init = { provider: this.provider, model, ...(options.signal ? { signal: options.signal } : {}) };
    // An aborted stream ends with one AbortError event from the managed stream, without a call.
    if (options.signal?.aborted) return new ManagedInferenceStream(async function* () {}, init);
    let turn: MockTurn;
    try {
      turn = this.turn('stream', messages, tools, options);
    } catch (error) {
      // A throwing `when()` predicate reaches the consumer as the stream's error event, like any failure.
      return new ManagedInferenceStream(async function* () {
        throw error;
      }, init);
    }
    const settings = { signal: options.signal, streamDelayMs: this.streamDelayMs, timeoutMs: options.timeoutMs };
    return new ManagedInferenceStream(() => mockStreamEvents(turn, settings), init);
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    if (options.signal?.aborted) throw new AbortError(undefined, { provider: this.provider, cause: options.signal.reason });
    const texts = typeof input === 'string' ? [input] : [...input];
    checkNumber('dimensions', options.dimensions, 1, true);
    this.recorded.push({ operation: 'embed', messages: [], tools: [], options, input: texts, timestamp: Date.now(), response: undefined, toolCalls: [] });
    const embeddings = this.embeddings.embed(texts, options.dimensions);
    await mockLatency(this.latencyMs, options.signal, options.timeoutMs);
    const model = options.model ?? this.model;
    const promptTokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
    return {
      embeddings,
      model,
      tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
      metadata: { provider: this.provider, model },
    };
  }

  modelInfo(model: MockModelId = this.model): ModelInfo {
    return mockModelInfo(model, { capabilities: this.capabilities, ...(this.rateLimits ? { rateLimits: this.rateLimits } : {}) });
  }

  supportsFunctionCalling(): boolean {
    return this.capabilities.functionCalling ?? true;
  }

  supportsStreaming(): boolean {
    return this.capabilities.streaming ?? true;
  }
}
