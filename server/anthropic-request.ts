import type { InferOptions, LLMMessage, ThinkingOptions, ToolChoice, ToolSchema } from '../core/types.js';
import { newNotes, toLLMMessagesFromAnthropic, toSystemMessage, type TranslationNotes } from './anthropic-convert-messages.js';
import { invalidRequest } from './errors.js';
import { asArray, asObject, describeValue, join, optionalBoolean, optionalNumber, optionalString, requiredString, type JsonObject } from './request-fields.js';

/** A `POST /v1/messages` (or `count_tokens`) body, in our terms and as it came. */
export interface AnthropicCall {
  /** The request's `model`: the name of a backend in the kernel. */
  readonly backendName: string;
  /** The body as the client sent it, for a backend that speaks Anthropic. */
  readonly body: JsonObject;
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  /** Without the signal, which the route adds. */
  readonly options: InferOptions;
  readonly stream: boolean;
  /** What a translation to another wire cannot carry. */
  readonly notes: TranslationNotes;
  /** Body fields a translation ignores, e.g. `context_management`, `top_k`, server tools. */
  readonly untranslated: readonly string[];
}

/** Fields the translation maps; any other field goes to an Anthropic backend only. */
const MAPPED = new Set(['model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice', 'temperature', 'top_p', 'stop_sequences', 'thinking', 'metadata', 'stream', 'output_config']);
const EFFORTS = new Set(['low', 'medium', 'high']);

/** Reads and checks a Messages API body; a wrong field is a 400 naming it, before anything is sent. */
export function toAnthropicCall(value: unknown, metadata: Record<string, unknown>, countOnly = false): AnthropicCall {
  const body = asObject(value, '');
  const backendName = requiredString(body, 'model');
  const maxTokens = optionalNumber(body, 'max_tokens', { integer: true, min: 1 });
  if (maxTokens === undefined && !countOnly) throw invalidRequest('max_tokens: Field required. Send the most tokens the reply may have, e.g. 1024.', 'max_tokens');
  const notes = newNotes();
  const system = toSystemMessage(body.system, notes);
  const messages = toLLMMessagesFromAnthropic(body.messages, notes);
  const untranslated = Object.keys(body).filter((key) => !MAPPED.has(key));
  const { tools, serverTools } = toTools(body.tools, notes);
  untranslated.push(...serverTools);
  const choice = toToolChoice(body.tool_choice);
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 1 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const stop = toStopSequences(body.stop_sequences);
  const thinking = toThinking(body);
  const userId = toUserId(body.metadata);
  const stream = optionalBoolean(body, 'stream') ?? false;
  const options: InferOptions = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(stop === undefined ? {} : { stop }),
    ...(choice?.toolChoice === undefined ? {} : { toolChoice: choice.toolChoice }),
    ...(choice?.parallelToolCalls === undefined ? {} : { parallelToolCalls: choice.parallelToolCalls }),
    ...(thinking === undefined ? {} : { thinking }),
    metadata: { ...metadata, ...(userId === undefined ? {} : { user: userId }) },
  };
  return { backendName, body, messages: system ? [system, ...messages] : messages, tools, options, stream, notes, untranslated };
}

function toTools(value: unknown, notes: TranslationNotes): { tools: ToolSchema[]; serverTools: string[] } {
  const tools: ToolSchema[] = [];
  const serverTools: string[] = [];
  if (value === undefined || value === null) return { tools, serverTools };
  asArray(value, 'tools').forEach((item, index) => {
    const param = join('tools', index);
    const tool = asObject(item, param, '{"name":...,"input_schema":{...}}');
    const type = optionalString(tool, 'type', param);
    const name = requiredString(tool, 'name', param);
    if (tool.cache_control !== undefined && tool.cache_control !== null) notes.uncachedBlocks.push(param);
    // Server tools (web search, code execution, bash...) run at Anthropic: they have a type and no input_schema.
    if (type !== undefined && type !== 'custom') {
      serverTools.push(`${param} (${type})`);
      return;
    }
    const schema = asObject(tool.input_schema, join(param, 'input_schema'), 'a JSON Schema object, e.g. {"type":"object","properties":{}}');
    tools.push({ name, description: optionalString(tool, 'description', param) ?? '', parameters: schema });
  });
  return { tools, serverTools };
}

function toToolChoice(value: unknown): { toolChoice?: ToolChoice; parallelToolCalls?: boolean } | undefined {
  if (value === undefined || value === null) return undefined;
  const choice = asObject(value, 'tool_choice', '{"type":"auto"|"any"|"none"|"tool",...}');
  const type = requiredString(choice, 'type', 'tool_choice');
  const disable = optionalBoolean(choice, 'disable_parallel_tool_use', 'tool_choice');
  const parallel = disable === undefined ? {} : { parallelToolCalls: !disable };
  switch (type) {
    case 'auto':
      return { toolChoice: 'auto', ...parallel };
    case 'any':
      return { toolChoice: 'required', ...parallel };
    case 'none':
      return { toolChoice: 'none' };
    case 'tool':
      return { toolChoice: { name: requiredString(choice, 'name', 'tool_choice') }, ...parallel };
    default:
      throw invalidRequest(`tool_choice.type must be auto, any, none or tool, received ${JSON.stringify(type)}.`, 'tool_choice.type');
  }
}

function toStopSequences(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = asArray(value, 'stop_sequences', 'an array of strings');
  list.forEach((item, index) => {
    if (typeof item !== 'string') throw invalidRequest(`stop_sequences[${index}] must be a string, received ${describeValue(item)}.`, join('stop_sequences', index));
  });
  return list.length === 0 ? undefined : (list as string[]);
}

function toThinking(body: JsonObject): ThinkingOptions | undefined {
  const effort = body.output_config === undefined || body.output_config === null ? undefined : optionalString(asObject(body.output_config, 'output_config'), 'effort', 'output_config');
  if (effort !== undefined && !EFFORTS.has(effort)) throw invalidRequest(`output_config.effort must be low, medium or high, received ${JSON.stringify(effort)}.`, 'output_config.effort');
  if (body.thinking === undefined || body.thinking === null) return effort === undefined ? undefined : { effort: effort as ThinkingOptions['effort'] };
  const thinking = asObject(body.thinking, 'thinking', '{"type":"enabled","budget_tokens":...} or {"type":"adaptive"}');
  const type = requiredString(thinking, 'type', 'thinking');
  if (type === 'disabled') return undefined;
  if (type === 'enabled') {
    const budgetTokens = optionalNumber(thinking, 'budget_tokens', { integer: true, min: 1 }, 'thinking');
    if (budgetTokens === undefined) throw invalidRequest('thinking.budget_tokens: Field required with "type":"enabled".', 'thinking.budget_tokens');
    return { budgetTokens, ...(effort === undefined ? {} : { effort: effort as ThinkingOptions['effort'] }) };
  }
  if (type === 'adaptive') return { effort: (effort ?? 'medium') as ThinkingOptions['effort'] };
  throw invalidRequest(`thinking.type must be enabled, adaptive or disabled, received ${JSON.stringify(type)}.`, 'thinking.type');
}

function toUserId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return optionalString(asObject(value, 'metadata'), 'user_id', 'metadata');
}
