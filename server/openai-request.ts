import type { InferOptions, LLMMessage, ResponseFormat, ThinkingOptions, ToolChoice, ToolSchema } from '../core/types.js';
import { ChatPassthrough } from './chat-passthrough.js';
import { toLLMMessages } from './convert-openai-messages.js';
import { invalidRequest } from './errors.js';
import {
  asArray,
  asObject,
  describeValue,
  join,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  type JsonObject,
} from './request-fields.js';

/** A `POST /v1/chat/completions` body in our terms. `options` lacks the signal, which the route adds. */
export interface ChatRequest {
  /** The request's `model`: the name of a backend in the kernel. */
  readonly backendName: string;
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  readonly options: InferOptions;
  readonly stream: boolean;
  /** `stream_options.include_usage`: end the stream with a usage chunk. */
  readonly includeUsage: boolean;
  /** Choices asked for. @default 1 */
  readonly n: number;
  /** `logprobs: true`: return the upstream's per-token logprobs. */
  readonly logprobs: boolean;
  /** The fields the kernel has no option for, sent unchanged to OpenAI-wire backends. */
  readonly passthrough: ChatPassthrough;
}

export interface EmbeddingsRequest {
  readonly backendName: string;
  readonly input: readonly string[];
  readonly dimensions: number | undefined;
  /** OpenAI's SDKs ask for `base64` unless told otherwise, and decode it themselves. */
  readonly encodingFormat: 'float' | 'base64';
  readonly user: string | undefined;
}

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/** The most choices one request may ask for (OpenAI's own limit). */
const MAX_CHOICES = 128;

// Checked here so that a bad value is a 400 naming it, not an upstream error after a paid-for admission.
function checkPassedFields(body: JsonObject): void {
  optionalNumber(body, 'seed', { integer: true });
  optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 });
  optionalNumber(body, 'presence_penalty', { min: -2, max: 2 });
  optionalNumber(body, 'top_logprobs', { integer: true, min: 0, max: 20 });
  if (body.logit_bias !== undefined && body.logit_bias !== null) asObject(body.logit_bias, 'logit_bias');
  if (body.metadata !== undefined && body.metadata !== null) asObject(body.metadata, 'metadata');
  optionalBoolean(body, 'store');
  optionalString(body, 'service_tier');
}

/**
 * OpenAI chat request → ours. Fields the kernel has no option for (seed, penalties, logit_bias,
 * unknown fields...) are kept as they came, for OpenAI-wire backends (`ChatPassthrough`).
 */
export function toChatRequest(value: unknown, metadata: Record<string, unknown> = {}): ChatRequest {
  const body = asObject(value, '');
  const backendName = requiredString(body, 'model');
  const n = optionalNumber(body, 'n', { integer: true, min: 1, max: MAX_CHOICES }) ?? 1;
  const logprobs = optionalBoolean(body, 'logprobs') ?? false;
  checkPassedFields(body);
  const passthrough = new ChatPassthrough(body);
  const messages = toLLMMessages(body.messages);
  const tools = toTools(body.tools);
  const maxTokens = optionalNumber(body, 'max_completion_tokens', { integer: true, min: 1 }) ?? optionalNumber(body, 'max_tokens', { integer: true, min: 1 });
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const stop = toStop(body.stop);
  const toolChoice = toToolChoice(body.tool_choice);
  const parallelToolCalls = optionalBoolean(body, 'parallel_tool_calls');
  const responseFormat = toResponseFormat(body.response_format);
  const thinking = toThinking(body);
  const user = optionalString(body, 'user');
  const stream = optionalBoolean(body, 'stream') ?? false;
  const streamOptions = body.stream_options === undefined || body.stream_options === null ? {} : asObject(body.stream_options, 'stream_options');
  const includeUsage = stream && (optionalBoolean(streamOptions, 'include_usage', 'stream_options') ?? false);
  const options: InferOptions = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(stop === undefined ? {} : { stop }),
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }),
    ...(responseFormat === undefined ? {} : { responseFormat }),
    ...(thinking === undefined ? {} : { thinking }),
    ...(logprobs ? { logprobs } : {}),
    ...(passthrough.names.length > 0 ? { wireFields: passthrough.wireFields() } : {}),
    metadata: { ...metadata, ...(user === undefined ? {} : { user }) },
  };
  return { backendName, messages, tools, options, stream, includeUsage, n, logprobs, passthrough };
}

function toTools(value: unknown): ToolSchema[] {
  if (value === undefined || value === null) return [];
  return asArray(value, 'tools').map((item, index): ToolSchema => {
    const param = join('tools', index);
    const tool = asObject(item, param, '{"type":"function","function":{...}}');
    const type = requiredString(tool, 'type', param);
    if (type !== 'function') throw invalidRequest(`${param}.type must be "function", received ${JSON.stringify(type)}.`, join(param, 'type'));
    const fnParam = join(param, 'function');
    const fn = asObject(tool.function, fnParam, 'a JSON object with a name (and parameters, a JSON Schema)');
    const parameters = fn.parameters === undefined || fn.parameters === null ? { type: 'object', properties: {} } : asObject(fn.parameters, join(fnParam, 'parameters'));
    const strict = optionalBoolean(fn, 'strict', fnParam);
    return {
      name: requiredString(fn, 'name', fnParam),
      description: optionalString(fn, 'description', fnParam) ?? '',
      parameters,
      ...(strict === undefined ? {} : { strict }),
    };
  });
}

function toToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const fn = (value as JsonObject).function;
    if (typeof fn === 'object' && fn !== null) return { name: requiredString(fn as JsonObject, 'name', 'tool_choice.function') };
  }
  throw invalidRequest(`tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}, received ${describeValue(value)}.`, 'tool_choice');
}

function toStop(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  const list = asArray(value, 'stop');
  if (!list.every((item) => typeof item === 'string')) throw invalidRequest('stop must be a string or an array of strings.', 'stop');
  return list as string[];
}

function toResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = asObject(value, 'response_format');
  const type = requiredString(format, 'type', 'response_format');
  if (type === 'text') return { type: 'text' };
  if (type === 'json_object') return { type: 'json' };
  if (type === 'json_schema') {
    const spec = asObject(format.json_schema, 'response_format.json_schema');
    const schema = spec.schema === undefined || spec.schema === null ? {} : asObject(spec.schema, 'response_format.json_schema.schema');
    const strict = optionalBoolean(spec, 'strict', 'response_format.json_schema');
    return { type: 'json_schema', name: requiredString(spec, 'name', 'response_format.json_schema'), schema, ...(strict === undefined ? {} : { strict }) };
  }
  throw invalidRequest(`response_format.type must be text, json_object or json_schema, received ${JSON.stringify(type)}.`, 'response_format.type');
}

function toThinking(body: JsonObject): ThinkingOptions | undefined {
  const effort = optionalString(body, 'reasoning_effort');
  if (effort === undefined) return undefined;
  if (!EFFORTS.has(effort)) throw invalidRequest(`reasoning_effort must be minimal, low, medium or high, received ${JSON.stringify(effort)}.`, 'reasoning_effort');
  return { effort: effort as ThinkingOptions['effort'] };
}

/** OpenAI embeddings request → ours. Token-array input is refused: backends take text. */
export function toEmbeddingsRequest(value: unknown): EmbeddingsRequest {
  const body = asObject(value, '');
  const backendName = requiredString(body, 'model');
  const raw = body.input;
  let input: readonly string[];
  if (typeof raw === 'string') input = [raw];
  else if (Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === 'string')) input = raw as string[];
  else if (Array.isArray(raw) && raw.length === 0) throw invalidRequest('input must not be empty.', 'input');
  else throw invalidRequest(`input must be a string or an array of strings (token arrays are not supported), received ${describeValue(raw)}.`, 'input');
  const encodingFormat = optionalString(body, 'encoding_format') ?? 'float';
  if (encodingFormat !== 'float' && encodingFormat !== 'base64') {
    throw invalidRequest(`encoding_format must be float or base64, received ${JSON.stringify(encodingFormat)}.`, 'encoding_format');
  }
  return {
    backendName,
    input,
    dimensions: optionalNumber(body, 'dimensions', { integer: true, min: 1 }),
    encodingFormat,
    user: optionalString(body, 'user'),
  };
}
