import type { CacheControl, ContentPart, ImagePart, LLMMessage, ReasoningPart, TextPart, ToolCall } from '../core/types.js';
import { invalidRequest } from './errors.js';
import { asArray, asObject, describeValue, join, optionalString, requiredString, type JsonObject } from './request-fields.js';

const DATA_URL = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*)(;base64)?,(.*)$/s;
const DETAILS = new Set(['auto', 'low', 'high']);

/** OpenAI `messages` → ours. `developer` is OpenAI's new name for `system`. */
export function toLLMMessages(value: unknown): LLMMessage[] {
  const list = asArray(value, 'messages', 'an array of messages, e.g. [{"role":"user","content":"Hello"}]');
  if (list.length === 0) throw invalidRequest('messages must contain at least one message.', 'messages');
  // Tool results carry only the call id; providers that want the tool's name get it from the call.
  const toolNames = new Map<string, string>();
  return list.map((item, index) => {
    const param = join('messages', index);
    const message = asObject(item, param, 'a message object with a role and content');
    const role = requiredString(message, 'role', param);
    switch (role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textContent(message.content, join(param, 'content'), false) };
      case 'user':
        return { role: 'user', content: userContent(message.content, join(param, 'content')) };
      case 'assistant':
        return assistantMessage(message, param, toolNames);
      case 'tool': {
        const toolCallId = requiredString(message, 'tool_call_id', param);
        const name = toolNames.get(toolCallId);
        return { role: 'tool', toolCallId, content: flattenText(textContent(message.content, join(param, 'content'), false)), ...(name ? { name } : {}) };
      }
      case 'function':
        throw invalidRequest(`${param}.role "function" is deprecated and not supported: send tool results as role "tool" with a tool_call_id.`, join(param, 'role'));
      default:
        throw invalidRequest(`${param}.role must be one of system, developer, user, assistant, tool; received ${JSON.stringify(role)}.`, join(param, 'role'));
    }
  });
}

function flattenText(content: string | readonly ContentPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function textPart(part: JsonObject, param: string): TextPart {
  const text = requiredString(part, 'text', param);
  const cache = part.cache_control;
  if (cache === undefined || cache === null) return { type: 'text', text };
  const cacheObject = asObject(cache, join(param, 'cache_control'));
  const ttl = optionalString(cacheObject, 'ttl', join(param, 'cache_control'));
  const cacheControl: CacheControl = { type: 'ephemeral', ...(ttl === '5m' || ttl === '1h' ? { ttl } : {}) };
  return { type: 'text', text, cacheControl };
}

/** A string, `null` (as empty) when allowed, or an array of text parts. */
function textContent(value: unknown, param: string, nullable: boolean): string | readonly ContentPart[] {
  if (typeof value === 'string') return value;
  if ((value === null || value === undefined) && nullable) return '';
  if (value === undefined || value === null) throw invalidRequest(`${param} is required: send a string or an array of text parts.`, param);
  if (!Array.isArray(value)) throw invalidRequest(`${param} must be a string or an array of text parts, received ${describeValue(value)}.`, param);
  return value.map((item, index) => {
    const partParam = join(param, index);
    const part = asObject(item, partParam);
    const type = requiredString(part, 'type', partParam);
    if (type === 'text') return textPart(part, partParam);
    // An assistant's refusal sent back as history: it is what the assistant said.
    if (type === 'refusal') return { type: 'text', text: requiredString(part, 'refusal', partParam) } satisfies TextPart;
    throw invalidRequest(`${partParam}.type must be "text" here, received ${JSON.stringify(type)}.`, join(partParam, 'type'));
  });
}

function userContent(value: unknown, param: string): string | readonly ContentPart[] {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) throw invalidRequest(`${param} is required: send a string or an array of content parts.`, param);
  if (!Array.isArray(value)) throw invalidRequest(`${param} must be a string or an array of content parts, received ${describeValue(value)}.`, param);
  return value.map((item, index): ContentPart => {
    const partParam = join(param, index);
    const part = asObject(item, partParam);
    const type = requiredString(part, 'type', partParam);
    if (type === 'text') return textPart(part, partParam);
    if (type === 'image_url') return imagePart(part.image_url, join(partParam, 'image_url'));
    throw invalidRequest(`${partParam}.type ${JSON.stringify(type)} is not supported by this gateway: send "text" or "image_url" parts.`, join(partParam, 'type'));
  });
}

function imagePart(value: unknown, param: string): ImagePart {
  const image = typeof value === 'string' ? { url: value } : asObject(value, param);
  const url = requiredString(image, 'url', param);
  const detailValue = optionalString(image, 'detail', param);
  if (detailValue !== undefined && !DETAILS.has(detailValue)) {
    throw invalidRequest(`${param}.detail must be auto, low or high, received ${JSON.stringify(detailValue)}.`, join(param, 'detail'));
  }
  const detail = detailValue === undefined ? {} : { detail: detailValue as ImagePart['detail'] };
  if (/^https?:\/\//i.test(url)) return { type: 'image', url, ...detail };
  const match = DATA_URL.exec(url);
  if (!match) throw invalidRequest(`${param}.url must be an http(s) URL or a base64 data: URL.`, join(param, 'url'));
  const [, mediaType, , base64, payload] = match;
  const data = base64 ? payload : percentDecodedBase64(payload, join(param, 'url'));
  return { type: 'image', data, mediaType, ...detail };
}

function percentDecodedBase64(payload: string, param: string): string {
  try {
    return Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    throw invalidRequest(`${param} is a data: URL whose percent-encoding is malformed: send the image base64-encoded (data:<type>;base64,...).`, param);
  }
}

/**
 * `reasoning_details` (OpenRouter's shape, which the gateway returns) → reasoning parts, signatures
 * kept: Anthropic refuses a thinking tool loop whose signed blocks are not sent back. Entries that
 * share an `index` are the streamed pieces of one block, joined in order.
 */
function reasoningDetails(value: unknown, param: string): ReasoningPart[] | undefined {
  if (value === undefined || value === null) return undefined;
  const blocks = new Map<number, { text: string; signature?: string; redactedData?: string }>();
  asArray(value, param).forEach((item, position) => {
    const itemParam = join(param, position);
    const detail = asObject(item, itemParam);
    const type = requiredString(detail, 'type', itemParam);
    const index = typeof detail.index === 'number' ? detail.index : position;
    const block = blocks.get(index) ?? { text: '' };
    blocks.set(index, block);
    if (type === 'reasoning.text') {
      block.text += optionalString(detail, 'text', itemParam) ?? '';
      const signature = optionalString(detail, 'signature', itemParam);
      if (signature !== undefined) block.signature = (block.signature ?? '') + signature;
    } else if (type === 'reasoning.encrypted') block.redactedData = (block.redactedData ?? '') + requiredString(detail, 'data', itemParam);
    else if (type === 'reasoning.summary') block.text += optionalString(detail, 'summary', itemParam) ?? '';
    else throw invalidRequest(`${itemParam}.type must be reasoning.text, reasoning.encrypted or reasoning.summary, received ${JSON.stringify(type)}.`, join(itemParam, 'type'));
  });
  const parts = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
  return parts.length > 0 ? parts : undefined;
}

function assistantMessage(message: JsonObject, param: string, toolNames: Map<string, string>): LLMMessage {
  const content = textContent(message.content, join(param, 'content'), true);
  const reasoning = reasoningDetails(message.reasoning_details, join(param, 'reasoning_details'));
  const withReasoning = reasoning ? { reasoning } : {};
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return { role: 'assistant', content, ...withReasoning };
  const toolCalls = asArray(calls, join(param, 'tool_calls')).map((item, index): ToolCall => {
    const callParam = join(join(param, 'tool_calls'), index);
    const call = asObject(item, callParam);
    const id = requiredString(call, 'id', callParam);
    const fn = asObject(call.function, join(callParam, 'function'), 'a JSON object with name and arguments');
    const name = requiredString(fn, 'name', join(callParam, 'function'));
    const rawArguments = optionalString(fn, 'arguments', join(callParam, 'function')) ?? '';
    toolNames.set(id, name);
    return { id, name, arguments: parseArguments(rawArguments), rawArguments };
  });
  return { role: 'assistant', content, ...withReasoning, ...(toolCalls.length > 0 ? { toolCalls } : {}) };
}

// History is replayed as the model produced it, so arguments that are not a JSON object are kept raw, not refused.
function parseArguments(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
