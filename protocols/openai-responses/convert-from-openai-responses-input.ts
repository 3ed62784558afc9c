import type { ContentPart, ImagePart, LLMMessage, ReasoningPart, ToolCall } from '../../core/types.js';
import { FieldReader, describeValue, join, type JsonObject } from './responses-request-fields.js';

const DATA_URL = /^data:([^;,]+)(?:;[^;,=]+=[^;,]*)*;base64,(.*)$/s;
const DETAILS = new Set(['auto', 'low', 'high']);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A Responses `input` (a string, or items: messages, `function_call`, `function_call_output`,
 * `reasoning`) → our messages. Consecutive `function_call` items are one assistant turn, as the
 * model produced them; a `reasoning` item belongs to the assistant turn that follows it.
 */
export function convertFromOpenAIResponsesInput(value: unknown, fields: FieldReader): LLMMessage[] {
  if (typeof value === 'string') return [{ role: 'user', content: value }];
  const items = fields.array(value, 'input', 'a string or an array of input items, e.g. [{"role":"user","content":"Hello"}]');
  const messages: LLMMessage[] = [];
  let reasoning: ReasoningPart[] = [];
  let openAssistant: Mutable<LLMMessage> | undefined;
  const toolNames = new Map<string, string>();
  const assistant = (): Mutable<LLMMessage> => {
    if (openAssistant) return openAssistant;
    openAssistant = { role: 'assistant', content: '' };
    if (reasoning.length > 0) openAssistant.reasoning = reasoning;
    reasoning = [];
    messages.push(openAssistant);
    return openAssistant;
  };
  items.forEach((item, index) => {
    const param = join('input', index);
    const object = fields.object(item, param, 'an input item with a role, or a type');
    const type = fields.optionalString(object, 'type', param) ?? 'message';
    switch (type) {
      case 'message': {
        const role = fields.string(object, 'role', param);
        if (role === 'assistant') {
          // Text and the function calls after it are one turn; text after function calls starts another.
          if (openAssistant && (openAssistant.toolCalls !== undefined || openAssistant.content !== '')) openAssistant = undefined;
          assistant().content = assistantText(object.content, join(param, 'content'), fields);
          return;
        }
        openAssistant = undefined;
        if (role === 'user') messages.push({ role: 'user', content: userContent(object.content, join(param, 'content'), fields) });
        else if (role === 'system' || role === 'developer') messages.push({ role: 'system', content: flatten(userContent(object.content, join(param, 'content'), fields)) });
        else throw fields.invalid(`${param}.role must be user, assistant, system or developer, received ${JSON.stringify(role)}.`, join(param, 'role'));
        return;
      }
      case 'function_call': {
        const call = toolCall(object, param, fields);
        toolNames.set(call.id, call.name);
        const message = assistant();
        message.toolCalls = [...(message.toolCalls ?? []), call];
        return;
      }
      case 'function_call_output': {
        openAssistant = undefined;
        const toolCallId = fields.string(object, 'call_id', param);
        const name = toolNames.get(toolCallId);
        messages.push({ role: 'tool', toolCallId, content: outputText(object.output, join(param, 'output'), fields), ...(name ? { name } : {}) });
        return;
      }
      case 'reasoning':
        openAssistant = undefined;
        reasoning.push(...reasoningParts(object, param, fields));
        return;
      case 'item_reference':
        throw fields.invalid(`${param} is an item_reference, which this gateway cannot resolve: send the item itself, or continue with previous_response_id.`, join(param, 'type'));
      default:
        throw fields.invalid(`${param}.type ${JSON.stringify(type)} is not supported by this gateway: send message, function_call, function_call_output or reasoning items.`, join(param, 'type'));
    }
  });
  if (messages.length === 0) throw fields.invalid('input must contain at least one item.', 'input');
  return messages;
}

function flatten(content: string | readonly ContentPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function partsOf(value: unknown, param: string, fields: FieldReader): readonly JsonObject[] {
  return fields.array(value, param, 'a string or an array of content parts').map((part, index) => fields.object(part, join(param, index)));
}

function userContent(value: unknown, param: string, fields: FieldReader): string | ContentPart[] {
  if (typeof value === 'string') return value;
  return partsOf(value, param, fields).map((part, index): ContentPart => {
    const partParam = join(param, index);
    const type = fields.string(part, 'type', partParam);
    if (type === 'input_text' || type === 'output_text' || type === 'text') return { type: 'text', text: fields.string(part, 'text', partParam) };
    if (type === 'input_image') return imagePart(part, partParam, fields);
    throw fields.invalid(`${partParam}.type ${JSON.stringify(type)} is not supported by this gateway: send input_text or input_image parts.`, join(partParam, 'type'));
  });
}

function assistantText(value: unknown, param: string, fields: FieldReader): string {
  if (typeof value === 'string') return value;
  return partsOf(value, param, fields)
    .map((part, index) => {
      const partParam = join(param, index);
      const type = fields.string(part, 'type', partParam);
      if (type === 'output_text' || type === 'input_text' || type === 'text') return fields.string(part, 'text', partParam);
      if (type === 'refusal') return fields.string(part, 'refusal', partParam);
      throw fields.invalid(`${partParam}.type must be output_text or refusal, received ${JSON.stringify(type)}.`, join(partParam, 'type'));
    })
    .join('');
}

function imagePart(part: JsonObject, param: string, fields: FieldReader): ImagePart {
  const url = fields.optionalString(part, 'image_url', param);
  if (url === undefined) throw fields.invalid(`${param}.image_url is required (file_id images are not supported): send an http(s) or base64 data: URL.`, join(param, 'image_url'));
  const detail = fields.optionalString(part, 'detail', param);
  if (detail !== undefined && !DETAILS.has(detail)) throw fields.invalid(`${param}.detail must be auto, low or high, received ${JSON.stringify(detail)}.`, join(param, 'detail'));
  const hint = detail === undefined ? {} : { detail: detail as ImagePart['detail'] };
  if (/^https?:\/\//i.test(url)) return { type: 'image', url, ...hint };
  const match = DATA_URL.exec(url);
  if (!match) throw fields.invalid(`${param}.image_url must be an http(s) URL or a base64 data: URL.`, join(param, 'image_url'));
  return { type: 'image', mediaType: match[1], data: match[2], ...hint };
}

function toolCall(object: JsonObject, param: string, fields: FieldReader): ToolCall {
  const id = fields.string(object, 'call_id', param);
  const name = fields.string(object, 'name', param);
  const rawArguments = fields.optionalString(object, 'arguments', param) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawArguments);
  } catch {
    parsed = {};
  }
  // History is replayed as the model produced it: arguments that are not an object are kept raw.
  const args = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { id, name, arguments: args, rawArguments };
}

function outputText(value: unknown, param: string, fields: FieldReader): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return flatten(userContent(value, param, fields));
  throw fields.invalid(`${param} must be a string or an array of input_text parts, received ${describeValue(value)}.`, param);
}

function reasoningParts(object: JsonObject, param: string, fields: FieldReader): ReasoningPart[] {
  const summary = object.summary === undefined || object.summary === null ? [] : partsOf(object.summary, join(param, 'summary'), fields);
  const text = summary.map((part, index) => fields.string(part, 'text', join(join(param, 'summary'), index))).join('\n\n');
  const encrypted = fields.optionalString(object, 'encrypted_content', param);
  if (encrypted === undefined) return text === '' ? [] : [{ text }];
  // A block with no text and only opaque content is Anthropic's redacted_thinking (see the output side).
  return [text === '' ? { text: '', redactedData: encrypted } : { text, signature: encrypted }];
}
