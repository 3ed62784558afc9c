import type { CacheControl, ContentPart, ImagePart, LLMMessage, ReasoningPart, ToolCall } from '../core/types.js';
import { invalidRequest } from './errors.js';
import { asArray, asObject, describeValue, join, optionalBoolean, requiredString, type JsonObject } from './request-fields.js';

/** What a translation to a backend that does not speak Anthropic could not carry, for `x-hyperagent-warnings`. */
export interface TranslationNotes {
  /** Blocks dropped, by type, e.g. `document` → `messages[1].content[0]`. */
  readonly dropped: Map<string, string>;
  /** `cache_control` on something other than a text block. */
  readonly uncachedBlocks: string[];
  /** Whether any text block asked for caching. */
  cachedText: boolean;
}

export function newNotes(): TranslationNotes {
  return { dropped: new Map(), uncachedBlocks: [], cachedText: false };
}

function cacheControl(block: JsonObject, param: string): CacheControl | undefined {
  const value = block.cache_control;
  if (value === undefined || value === null) return undefined;
  const control = asObject(value, join(param, 'cache_control'), '{"type":"ephemeral"}');
  if (control.type !== 'ephemeral') throw invalidRequest(`${param}.cache_control.type must be "ephemeral", received ${describeValue(control.type)}.`, join(param, 'cache_control.type'));
  const ttl = control.ttl;
  if (ttl !== undefined && ttl !== '5m' && ttl !== '1h') throw invalidRequest(`${param}.cache_control.ttl must be "5m" or "1h", received ${describeValue(ttl)}.`, join(param, 'cache_control.ttl'));
  return ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
}

function noteCache(block: JsonObject, param: string, notes: TranslationNotes, text: boolean): void {
  if (block.cache_control === undefined || block.cache_control === null) return;
  if (text) notes.cachedText = true;
  else notes.uncachedBlocks.push(param);
}

function drop(type: string, param: string, notes: TranslationNotes): void {
  if (!notes.dropped.has(type)) notes.dropped.set(type, param);
}

function blocksOf(value: unknown, param: string): readonly JsonObject[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  const list = asArray(value, param, 'a string or an array of content blocks');
  return list.map((item, index) => asObject(item, join(param, index), 'a content block with a type'));
}

function textPart(block: JsonObject, param: string, notes: TranslationNotes): ContentPart {
  const text = requiredString(block, 'text', param);
  const control = cacheControl(block, param);
  noteCache(block, param, notes, true);
  return control ? { type: 'text', text, cacheControl: control } : { type: 'text', text };
}

function imagePart(block: JsonObject, param: string, notes: TranslationNotes): ImagePart {
  const source = asObject(block.source, join(param, 'source'), '{"type":"base64","media_type":...,"data":...} or {"type":"url","url":...}');
  const sourceParam = join(param, 'source');
  noteCache(block, param, notes, false);
  cacheControl(block, param);
  const type = requiredString(source, 'type', sourceParam);
  if (type === 'base64') return { type: 'image', data: requiredString(source, 'data', sourceParam), mediaType: requiredString(source, 'media_type', sourceParam) };
  if (type === 'url') return { type: 'image', url: requiredString(source, 'url', sourceParam) };
  throw invalidRequest(`${sourceParam}.type must be "base64" or "url", received ${JSON.stringify(type)}.`, join(sourceParam, 'type'));
}

/** The system prompt as one system message; its text blocks keep their `cache_control`. */
export function toSystemMessage(value: unknown, notes: TranslationNotes): LLMMessage | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : { role: 'system', content: value };
  const parts = blocksOf(value, 'system').map((block, index) => {
    const param = join('system', index);
    if (block.type !== 'text') throw invalidRequest(`${param}.type must be "text", received ${describeValue(block.type)}.`, join(param, 'type'));
    return textPart(block, param, notes);
  });
  return parts.length === 0 ? undefined : { role: 'system', content: parts };
}

function toolResult(block: JsonObject, param: string, notes: TranslationNotes): LLMMessage {
  const toolCallId = requiredString(block, 'tool_use_id', param);
  noteCache(block, param, notes, false);
  cacheControl(block, param);
  const isError = optionalBoolean(block, 'is_error', param) ?? false;
  const raw = block.content;
  let content: string | ContentPart[] = '';
  if (typeof raw === 'string') content = raw;
  else if (raw !== undefined && raw !== null) {
    content = blocksOf(raw, join(param, 'content')).flatMap((inner, index): ContentPart[] => {
      const innerParam = join(join(param, 'content'), index);
      if (inner.type === 'text') return [textPart(inner, innerParam, notes)];
      if (inner.type === 'image') return [imagePart(inner, innerParam, notes)];
      drop(String(inner.type), innerParam, notes);
      return [];
    });
  }
  return { role: 'tool', toolCallId, content, ...(isError ? { isError } : {}) };
}

function userMessages(content: readonly JsonObject[], param: string, notes: TranslationNotes): LLMMessage[] {
  const out: LLMMessage[] = [];
  let parts: ContentPart[] = [];
  const flush = (): void => {
    // One plain text block is a string: what every OpenAI-compatible server takes.
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.type === 'text' && only.cacheControl === undefined) out.push({ role: 'user', content: only.text });
    else if (parts.length > 0) out.push({ role: 'user', content: parts });
    parts = [];
  };
  content.forEach((block, index) => {
    const blockParam = join(join(param, 'content'), index);
    const type = requiredString(block, 'type', blockParam);
    if (type === 'text') parts.push(textPart(block, blockParam, notes));
    else if (type === 'image') parts.push(imagePart(block, blockParam, notes));
    else if (type === 'tool_result') {
      flush();
      out.push(toolResult(block, blockParam, notes));
    } else drop(type, blockParam, notes);
  });
  flush();
  return out;
}

function assistantMessage(content: readonly JsonObject[], param: string, notes: TranslationNotes): LLMMessage {
  const text: ContentPart[] = [];
  const reasoning: ReasoningPart[] = [];
  const toolCalls: ToolCall[] = [];
  content.forEach((block, index) => {
    const blockParam = join(join(param, 'content'), index);
    const type = requiredString(block, 'type', blockParam);
    switch (type) {
      case 'text':
        text.push(textPart(block, blockParam, notes));
        break;
      case 'thinking': {
        const signature = typeof block.signature === 'string' ? block.signature : undefined;
        reasoning.push({ text: requiredString(block, 'thinking', blockParam), ...(signature === undefined ? {} : { signature }) });
        // Kept for Anthropic targets (a group's); Chat Completions takes no reasoning back.
        drop('thinking', blockParam, notes);
        break;
      }
      case 'redacted_thinking':
        reasoning.push({ text: '', redactedData: requiredString(block, 'data', blockParam) });
        drop('redacted_thinking', blockParam, notes);
        break;
      case 'tool_use': {
        const input = asObject(block.input, join(blockParam, 'input'), 'the tool arguments as a JSON object');
        noteCache(block, blockParam, notes, false);
        toolCalls.push({ id: requiredString(block, 'id', blockParam), name: requiredString(block, 'name', blockParam), arguments: input, rawArguments: JSON.stringify(input) });
        break;
      }
      default:
        drop(type, blockParam, notes);
    }
  });
  const onlyText = text.every((part) => part.type === 'text' && part.cacheControl === undefined);
  return {
    role: 'assistant',
    content: onlyText ? text.map((part) => (part as { text: string }).text).join('') : text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
  };
}

/** Anthropic `messages` → ours: `tool_result` blocks become tool messages, thinking blocks reasoning with their signatures. */
export function toLLMMessagesFromAnthropic(value: unknown, notes: TranslationNotes): LLMMessage[] {
  const list = asArray(value, 'messages', 'an array of messages, e.g. [{"role":"user","content":"Hello"}]');
  if (list.length === 0) throw invalidRequest('messages: at least one message is required.', 'messages');
  return list.flatMap((item, index) => {
    const param = join('messages', index);
    const message = asObject(item, param, 'a message object with a role and content');
    const role = requiredString(message, 'role', param);
    if (message.content === undefined) throw invalidRequest(`${param}.content is required: send a string or an array of content blocks.`, join(param, 'content'));
    const content = blocksOf(message.content, join(param, 'content'));
    if (role === 'user') return userMessages(content, param, notes);
    if (role === 'assistant') return [assistantMessage(content, param, notes)];
    throw invalidRequest(`${param}.role must be "user" or "assistant", received ${JSON.stringify(role)}.`, join(param, 'role'));
  });
}
