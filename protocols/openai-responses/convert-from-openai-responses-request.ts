import type { InferOptions, LLMMessage, ResponseFormat, ThinkingOptions, ToolChoice, ToolSchema } from '../../core/types.js';
import { convertFromOpenAIResponsesInput } from './convert-from-openai-responses-input.js';
import { FieldReader, describeValue, invalidFieldError, join, type InvalidField, type JsonObject } from './responses-request-fields.js';

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/** What a response object echoes of its request, as the client sent it. */
export interface ResponsesRequestEcho {
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  readonly parallel_tool_calls: boolean;
  readonly reasoning: { readonly effort: string | null; readonly summary: string | null };
  readonly temperature: number | null;
  readonly top_p: number | null;
  readonly text: { readonly format: Record<string, unknown> };
  readonly tool_choice: unknown;
  readonly tools: readonly unknown[];
  readonly metadata: Record<string, unknown>;
}

/** A `POST /v1/responses` body in the kernel's terms. */
export interface ResponsesCall {
  /** The request's `model`: a backend name. */
  readonly model: string;
  /** This turn's input only; `instructions` are not in it (they do not carry over to a later turn). */
  readonly input: readonly LLMMessage[];
  readonly instructions: string | undefined;
  readonly tools: readonly ToolSchema[];
  /** Without the signal, which the caller adds. */
  readonly options: InferOptions;
  readonly stream: boolean;
  /** @default true, as OpenAI's */
  readonly store: boolean;
  readonly previousResponseId: string | undefined;
  readonly echo: ResponsesRequestEcho;
}

export interface ConvertResponsesRequestOptions {
  /** @default InvalidRequestError naming the field */
  readonly invalid?: InvalidField;
  /** Passed to plugins as `metadata` (the gateway's request id). */
  readonly metadata?: Record<string, unknown>;
}

/** An OpenAI Responses request body → the kernel's messages, tools and options; a malformed field throws naming it. */
export function convertFromOpenAIResponsesRequest(value: unknown, settings: ConvertResponsesRequestOptions = {}): ResponsesCall {
  const fields = new FieldReader(settings.invalid ?? invalidFieldError);
  const body = fields.object(value, '');
  const model = fields.string(body, 'model');
  const input = convertFromOpenAIResponsesInput(body.input, fields);
  const instructions = fields.optionalString(body, 'instructions');
  const tools = toTools(body.tools, fields);
  const maxTokens = fields.optionalNumber(body, 'max_output_tokens', { integer: true, min: 1 });
  const temperature = fields.optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = fields.optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const parallelToolCalls = fields.optionalBoolean(body, 'parallel_tool_calls');
  const toolChoice = toToolChoice(body.tool_choice, fields);
  const reasoning = body.reasoning === undefined || body.reasoning === null ? {} : fields.object(body.reasoning, 'reasoning');
  const effort = fields.optionalString(reasoning, 'effort', 'reasoning');
  if (effort !== undefined && !EFFORTS.has(effort)) throw fields.invalid(`reasoning.effort must be minimal, low, medium or high, received ${JSON.stringify(effort)}.`, 'reasoning.effort');
  const summary = fields.optionalString(reasoning, 'summary', 'reasoning');
  const text = body.text === undefined || body.text === null ? {} : fields.object(body.text, 'text');
  const formatValue = text.format === undefined || text.format === null ? { type: 'text' } : fields.object(text.format, 'text.format');
  const responseFormat = toResponseFormat(formatValue, fields);
  const metadata = body.metadata === undefined || body.metadata === null ? {} : fields.object(body.metadata, 'metadata');
  const user = fields.optionalString(body, 'safety_identifier') ?? fields.optionalString(body, 'user');
  const previousResponseId = fields.optionalString(body, 'previous_response_id');
  const thinking: ThinkingOptions | undefined = effort === undefined ? undefined : { effort: effort as ThinkingOptions['effort'] };
  const options: InferOptions = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }),
    ...(responseFormat === undefined ? {} : { responseFormat }),
    ...(thinking === undefined ? {} : { thinking }),
    metadata: { ...settings.metadata, ...(user === undefined ? {} : { user }) },
  };
  return {
    model,
    input,
    instructions,
    tools,
    options,
    stream: fields.optionalBoolean(body, 'stream') ?? false,
    store: fields.optionalBoolean(body, 'store') ?? true,
    previousResponseId,
    echo: {
      instructions: instructions ?? null,
      max_output_tokens: maxTokens ?? null,
      parallel_tool_calls: parallelToolCalls ?? true,
      reasoning: { effort: effort ?? null, summary: summary ?? null },
      temperature: temperature ?? null,
      top_p: topP ?? null,
      text: { format: formatValue },
      tool_choice: body.tool_choice ?? 'auto',
      tools: Array.isArray(body.tools) ? body.tools : [],
      metadata,
    },
  };
}

function toTools(value: unknown, fields: FieldReader): ToolSchema[] {
  if (value === undefined || value === null) return [];
  return fields.array(value, 'tools').map((item, index): ToolSchema => {
    const param = join('tools', index);
    const tool = fields.object(item, param, '{"type":"function","name":...,"parameters":{...}}');
    const type = fields.string(tool, 'type', param);
    if (type !== 'function') {
      throw fields.invalid(`${param}.type ${JSON.stringify(type)} is not supported by this gateway: only function tools are, hosted tools (web_search, file_search...) are OpenAI's own.`, join(param, 'type'));
    }
    const parameters = tool.parameters === undefined || tool.parameters === null ? { type: 'object', properties: {} } : fields.object(tool.parameters, join(param, 'parameters'));
    const strict = fields.optionalBoolean(tool, 'strict', param);
    return { name: fields.string(tool, 'name', param), description: fields.optionalString(tool, 'description', param) ?? '', parameters, ...(strict === undefined ? {} : { strict }) };
  });
}

function toToolChoice(value: unknown, fields: FieldReader): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (typeof value === 'object' && !Array.isArray(value) && (value as JsonObject).type === 'function') return { name: fields.string(value as JsonObject, 'name', 'tool_choice') };
  throw fields.invalid(`tool_choice must be "auto", "none", "required" or {"type":"function","name":...}, received ${describeValue(value)}.`, 'tool_choice');
}

function toResponseFormat(format: JsonObject, fields: FieldReader): ResponseFormat | undefined {
  const type = fields.string(format, 'type', 'text.format');
  if (type === 'text') return undefined;
  if (type === 'json_object') return { type: 'json' };
  if (type === 'json_schema') {
    const schema = format.schema === undefined || format.schema === null ? {} : fields.object(format.schema, 'text.format.schema');
    const strict = fields.optionalBoolean(format, 'strict', 'text.format');
    return { type: 'json_schema', name: fields.string(format, 'name', 'text.format'), schema, ...(strict === undefined ? {} : { strict }) };
  }
  throw fields.invalid(`text.format.type must be text, json_object or json_schema, received ${JSON.stringify(type)}.`, 'text.format.type');
}
