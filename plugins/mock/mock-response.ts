import type { FinishReason, TokenUsage } from '../../core/types.js';
import { isMockErrorKind, MOCK_ERROR_KINDS, type MockErrorKind, type MockErrorSpec } from './mock-errors.js';

/** A tool call the mock model makes. Without `id`, the backend numbers it (`call_mock_1`, ...). */
export interface MockToolCallSpec {
  readonly name: string;
  /** @default {} */
  readonly arguments?: Readonly<Record<string, unknown>>;
  readonly id?: string;
}

/** Token counts to report instead of the estimate; missing fields are still estimated. */
export type MockUsage = Partial<TokenUsage>;

interface MockResponseState {
  readonly content: string;
  readonly toolCallSpecs: readonly MockToolCallSpec[];
  readonly errorSpec: MockErrorSpec | undefined;
  readonly reasoning: string | undefined;
  readonly latencyMs: number | undefined;
  readonly usage: MockUsage | undefined;
  readonly finishReason: FinishReason | undefined;
  readonly chunkSize: number | undefined;
}

const EMPTY: MockResponseState = {
  content: '',
  toolCallSpecs: [],
  errorSpec: undefined,
  reasoning: undefined,
  latencyMs: undefined,
  usage: undefined,
  finishReason: undefined,
  chunkSize: undefined,
};

const FINISH_REASONS: readonly FinishReason[] = ['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other'];

function checkCount(method: string, value: number, minimum: number): void {
  if (!Number.isFinite(value) || value < minimum || (minimum > 0 && !Number.isInteger(value))) {
    const expected = minimum > 0 ? `an integer >= ${minimum}` : 'a finite number >= 0';
    throw new TypeError(`MockResponse.${method}: expected ${expected}, received ${String(value)}.`);
  }
}

function checkToolCall(method: string, call: MockToolCallSpec): MockToolCallSpec {
  if (typeof call?.name !== 'string' || call.name === '') throw new TypeError(`MockResponse.${method}: a tool call needs a non-empty \`name\`.`);
  const args = call.arguments ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new TypeError(`MockResponse.${method}: the arguments of tool "${call.name}" must be a JSON object, received ${JSON.stringify(args)}.`);
  }
  return Object.freeze({ name: call.name, arguments: args, ...(call.id === undefined ? {} : { id: call.id }) });
}

/**
 * What the mock model answers to one call: text, tool calls, or an error, plus latency, usage,
 * reasoning and streaming granularity. Immutable: every `with*` returns a new response.
 */
export class MockResponse {
  readonly content: string;
  readonly toolCallSpecs: readonly MockToolCallSpec[];
  /** Set on error responses: the call rejects (or the stream ends with one `error` event). */
  readonly errorSpec: MockErrorSpec | undefined;
  readonly reasoning: string | undefined;
  /** @default the backend's `latencyMs` */
  readonly latencyMs: number | undefined;
  /** @default an estimate of about 4 characters per token */
  readonly usage: MockUsage | undefined;
  /** @default `tool-calls` when there are tool calls, else `stop` */
  readonly finishReason: FinishReason | undefined;
  /** Words per `text-delta` when streamed. @default the backend's `streamChunkSize` */
  readonly chunkSize: number | undefined;

  private constructor(state: MockResponseState) {
    this.content = state.content;
    this.toolCallSpecs = Object.freeze([...state.toolCallSpecs]);
    this.errorSpec = state.errorSpec && Object.freeze({ ...state.errorSpec });
    this.reasoning = state.reasoning;
    this.latencyMs = state.latencyMs;
    this.usage = state.usage && Object.freeze({ ...state.usage });
    this.finishReason = state.finishReason;
    this.chunkSize = state.chunkSize;
    Object.freeze(this);
  }

  static text(content: string): MockResponse {
    if (typeof content !== 'string') throw new TypeError(`MockResponse.text: expected a string, received ${typeof content}.`);
    return new MockResponse({ ...EMPTY, content });
  }

  static toolCall(name: string, args: Readonly<Record<string, unknown>> = {}, id?: string): MockResponse {
    return new MockResponse({ ...EMPTY, toolCallSpecs: [checkToolCall('toolCall', { name, arguments: args, ...(id === undefined ? {} : { id }) })] });
  }

  static toolCalls(calls: readonly MockToolCallSpec[]): MockResponse {
    if (!Array.isArray(calls) || calls.length === 0) throw new TypeError('MockResponse.toolCalls: expected a non-empty array of {name, arguments, id?}.');
    return new MockResponse({ ...EMPTY, toolCallSpecs: calls.map((call) => checkToolCall('toolCalls', call)) });
  }

  static error(kind: MockErrorKind, message?: string): MockResponse {
    if (!isMockErrorKind(kind)) throw new TypeError(`MockResponse.error: unknown kind ${JSON.stringify(kind)}; expected one of ${MOCK_ERROR_KINDS.join(', ')}.`);
    return new MockResponse({ ...EMPTY, errorSpec: { kind, ...(message === undefined ? {} : { message }) } });
  }

  get isError(): boolean {
    return this.errorSpec !== undefined;
  }

  private with(change: Partial<MockResponseState>): MockResponse {
    return new MockResponse({ ...this.state(), ...change });
  }

  private state(): MockResponseState {
    return {
      content: this.content,
      toolCallSpecs: this.toolCallSpecs,
      errorSpec: this.errorSpec,
      reasoning: this.reasoning,
      latencyMs: this.latencyMs,
      usage: this.usage,
      finishReason: this.finishReason,
      chunkSize: this.chunkSize,
    };
  }

  private notOnError(method: string): void {
    if (this.isError) throw new TypeError(`MockResponse.${method}: an error response has no content; build a text or tool-call response instead.`);
  }

  /** Text that comes with the tool calls (models often say something before calling a tool). */
  withText(content: string): MockResponse {
    this.notOnError('withText');
    return this.with({ content });
  }

  /** One more tool call after the existing ones. */
  withToolCall(name: string, args: Readonly<Record<string, unknown>> = {}, id?: string): MockResponse {
    this.notOnError('withToolCall');
    const call = checkToolCall('withToolCall', { name, arguments: args, ...(id === undefined ? {} : { id }) });
    return this.with({ toolCallSpecs: [...this.toolCallSpecs, call] });
  }

  /** Wait this long before answering (before the first stream event). */
  withLatency(ms: number): MockResponse {
    checkCount('withLatency', ms, 0);
    return this.with({ latencyMs: ms });
  }

  withUsage(usage: MockUsage): MockResponse {
    for (const [key, value] of Object.entries(usage)) {
      if (value !== undefined) checkCount(`withUsage(${key})`, value, 0);
    }
    return this.with({ usage });
  }

  withReasoning(text: string): MockResponse {
    this.notOnError('withReasoning');
    return this.with({ reasoning: text === '' ? undefined : text });
  }

  withFinishReason(reason: FinishReason): MockResponse {
    if (!FINISH_REASONS.includes(reason)) throw new TypeError(`MockResponse.withFinishReason: expected one of ${FINISH_REASONS.join(', ')}, received ${JSON.stringify(reason)}.`);
    return this.with({ finishReason: reason });
  }

  /** Words per `text-delta` (and `reasoning-delta`) when streamed. */
  withChunkSize(words: number): MockResponse {
    checkCount('withChunkSize', words, 1);
    return this.with({ chunkSize: words });
  }

  /** The `retryAfterMs` a scripted error carries. */
  withRetryAfter(ms: number): MockResponse {
    if (!this.errorSpec) throw new TypeError('MockResponse.withRetryAfter: only an error response has a retry-after; use MockResponse.error(kind) first.');
    checkCount('withRetryAfter', ms, 0);
    return this.with({ errorSpec: { ...this.errorSpec, retryAfterMs: ms } });
  }
}
