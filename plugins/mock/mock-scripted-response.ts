import type { FinishReason } from '../../core/types.js';
import type { MockErrorKind } from './mock-errors.js';
import { MockResponse, type MockUsage } from './mock-response.js';
import { MOCK_TEMPLATE_NAMES, unknownPlaceholders } from './mock-template.js';

export interface ScriptedToolCall {
  readonly name: string;
  /** @default {} */
  readonly arguments?: Readonly<Record<string, unknown>>;
  readonly id?: string;
}

/**
 * A response written as JSON (config files, fixtures). Exactly one of the shapes: `text` and/or
 * `toolCall`/`toolCalls` (text comes first, as models say something before calling a tool), or
 * `error` with its `message` and `retryAfterMs`. The rest tune it like the `MockResponse.with*` methods.
 */
export interface ScriptedResponse {
  /**
   * The answer's text. It may quote the conversation with `{{lastUserMessage}}`,
   * `{{previousUserMessage}}` and `{{lastToolResult}}` (see `MOCK_TEMPLATE_NAMES`), e.g.
   * `"It is {{lastToolResult}}."` after a tool call.
   */
  readonly text?: string;
  readonly toolCall?: ScriptedToolCall;
  readonly toolCalls?: readonly ScriptedToolCall[];
  readonly error?: MockErrorKind;
  /** Error responses only. */
  readonly message?: string;
  /** Error responses only. */
  readonly retryAfterMs?: number;
  readonly reasoning?: string;
  readonly latencyMs?: number;
  readonly usage?: MockUsage;
  readonly finishReason?: FinishReason;
  /** Words per streamed delta. */
  readonly chunkSize?: number;
}

/** Anything the backend accepts as a response: a builder, plain text, or the JSON shape. */
export type MockResponseInput = MockResponse | string | ScriptedResponse;

const KEYS = new Set(['text', 'toolCall', 'toolCalls', 'error', 'message', 'retryAfterMs', 'reasoning', 'latencyMs', 'usage', 'finishReason', 'chunkSize']);

function build(spec: ScriptedResponse): MockResponse {
  const unknown = Object.keys(spec).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) throw new TypeError(`unknown key ${unknown.map((key) => JSON.stringify(key)).join(', ')}; expected some of ${[...KEYS].join(', ')}.`);
  if (spec.toolCall !== undefined && spec.toolCalls !== undefined) throw new TypeError('set `toolCall` or `toolCalls`, not both.');
  for (const key of ['text', 'reasoning'] as const) {
    const unknown = typeof spec[key] === 'string' ? unknownPlaceholders(spec[key]) : [];
    if (unknown.length > 0) {
      const names = MOCK_TEMPLATE_NAMES.map((name) => `{{${name}}}`).join(', ');
      throw new TypeError(`\`${key}\` uses the unknown template ${unknown.map((name) => `{{${name}}}`).join(', ')}; the templates are ${names}.`);
    }
  }
  let response: MockResponse;
  if (spec.error !== undefined) {
    const extra = (['text', 'toolCall', 'toolCalls', 'reasoning'] as const).filter((key) => spec[key] !== undefined);
    if (extra.length > 0) throw new TypeError(`an \`error\` response cannot also have ${extra.map((key) => `\`${key}\``).join(', ')}.`);
    response = MockResponse.error(spec.error, spec.message);
    if (spec.retryAfterMs !== undefined) response = response.withRetryAfter(spec.retryAfterMs);
  } else {
    if (spec.message !== undefined || spec.retryAfterMs !== undefined) throw new TypeError('`message` and `retryAfterMs` belong to `error` responses.');
    const calls = spec.toolCalls ?? (spec.toolCall ? [spec.toolCall] : []);
    if (spec.text === undefined && calls.length === 0) throw new TypeError('a response needs `text`, `toolCall`, `toolCalls` or `error`.');
    response = calls.length > 0 ? MockResponse.toolCalls(calls) : MockResponse.text(spec.text ?? '');
    if (calls.length > 0 && spec.text !== undefined) response = response.withText(spec.text);
    if (spec.reasoning !== undefined) response = response.withReasoning(spec.reasoning);
  }
  if (spec.latencyMs !== undefined) response = response.withLatency(spec.latencyMs);
  if (spec.usage !== undefined) response = response.withUsage(spec.usage);
  if (spec.finishReason !== undefined) response = response.withFinishReason(spec.finishReason);
  if (spec.chunkSize !== undefined) response = response.withChunkSize(spec.chunkSize);
  return response;
}

/** A `MockResponse` from any accepted input. A bad JSON shape throws a `TypeError` that names `where`. */
export function toMockResponse(input: MockResponseInput, where = 'response'): MockResponse {
  if (input instanceof MockResponse) return input;
  if (typeof input === 'string') return MockResponse.text(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`${where}: expected a MockResponse, a string or a scripted response object, received ${JSON.stringify(input)}.`);
  }
  try {
    return build(input);
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}
