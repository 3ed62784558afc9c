import { InvalidRequestError } from '../../core/errors.js';
import type { ContentPart, ImagePart, LLMMessage, ResponseFormat, ToolCall, ToolChoice, ToolSchema } from '../../core/types.js';
import type {
  OpenAIChatContentPart,
  OpenAIChatMessage,
  OpenAIChatResponseFormat,
  OpenAIChatTool,
  OpenAIChatToolChoice,
  OpenAIChatWireToolCall,
} from './openai-chat-api.js';

export interface ConvertMessagesOptions {
  /** Provider name, for error messages. */
  readonly provider: string;
  /**
   * Send `cache_control` on text parts that ask for it (OpenRouter passes it on to Anthropic and
   * Gemini). OpenAI caches on its own and rejects unknown part fields, so it is off by default.
   * @default false
   */
  readonly cacheControl?: boolean;
}

/** Our messages → Chat Completions `messages`. */
export function convertToOpenAIChatMessages(messages: readonly LLMMessage[], options: ConvertMessagesOptions): OpenAIChatMessage[] {
  return messages.map((message, position) => convertMessage(message, position, options));
}

function convertMessage(message: LLMMessage, position: number, options: ConvertMessagesOptions): OpenAIChatMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: textContent(message.content, options, position) };
    case 'user':
      return { role: 'user', content: userContent(message.content, options, position) };
    case 'assistant': {
      const text = plainText(message.content, options, position);
      const toolCalls = message.toolCalls?.map(toWireToolCall);
      return toolCalls && toolCalls.length > 0
        ? { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls }
        : { role: 'assistant', content: text };
    }
    case 'tool': {
      if (!message.toolCallId) {
        throw new InvalidRequestError(`Message ${position} has role "tool" but no "toolCallId": ${options.provider} needs the id of the call it answers.`, {
          provider: options.provider,
        });
      }
      return { role: 'tool', tool_call_id: message.toolCallId, content: plainText(message.content, options, position) };
    }
    default:
      throw new InvalidRequestError(`Message ${position} has an unknown role "${String((message as LLMMessage).role)}".`, { provider: options.provider });
  }
}

function toWireToolCall(call: ToolCall): OpenAIChatWireToolCall {
  // Send the model's own bytes back when we have them; re-serialising could reorder keys.
  const args = call.rawArguments !== undefined && call.rawArguments !== '' ? call.rawArguments : JSON.stringify(call.arguments ?? {});
  return { id: call.id, type: 'function', function: { name: call.name, arguments: args } };
}

/** System messages: a string, or text parts when one of them asks to be cached. */
function textContent(content: LLMMessage['content'], options: ConvertMessagesOptions, position: number): string | OpenAIChatContentPart[] {
  if (typeof content === 'string') return content;
  if (options.cacheControl && content.some((part) => part.type === 'text' && part.cacheControl)) {
    return content.map((part) => convertPart(part, options, position));
  }
  return plainText(content, options, position);
}

function userContent(content: LLMMessage['content'], options: ConvertMessagesOptions, position: number): string | OpenAIChatContentPart[] {
  if (typeof content === 'string') return content;
  return content.map((part) => convertPart(part, options, position));
}

/** Assistant and tool messages carry plain text on this protocol. */
function plainText(content: LLMMessage['content'], options: ConvertMessagesOptions, position: number): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      if (part.type === 'text') return part.text;
      throw new InvalidRequestError(`Message ${position} has an image part, but ${options.provider} accepts images only in user messages.`, {
        provider: options.provider,
      });
    })
    .join('');
}

function convertPart(part: ContentPart, options: ConvertMessagesOptions, position: number): OpenAIChatContentPart {
  if (part.type === 'text') {
    return options.cacheControl && part.cacheControl
      ? { type: 'text', text: part.text, cache_control: { type: 'ephemeral', ...(part.cacheControl.ttl ? { ttl: part.cacheControl.ttl } : {}) } }
      : { type: 'text', text: part.text };
  }
  return { type: 'image_url', image_url: { url: imageUrl(part, options, position), ...(part.detail ? { detail: part.detail } : {}) } };
}

function imageUrl(part: ImagePart, options: ConvertMessagesOptions, position: number): string {
  if (part.url) return part.url;
  if (part.data) {
    if (!part.mediaType) {
      throw new InvalidRequestError(`Message ${position} has a base64 image without "mediaType" (e.g. "image/png"); ${options.provider} needs it for the data URL.`, {
        provider: options.provider,
      });
    }
    return `data:${part.mediaType};base64,${part.data}`;
  }
  throw new InvalidRequestError(`Message ${position} has an image part with neither "url" nor "data".`, { provider: options.provider });
}

/** Our tool schemas → `tools`. */
export function convertToOpenAIChatTools(tools: readonly ToolSchema[]): OpenAIChatTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
    },
  }));
}

export function convertToOpenAIChatToolChoice(choice: ToolChoice): OpenAIChatToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** `json` → JSON mode; `json_schema` → structured output; `text` is the default and is not sent. */
export function convertToOpenAIChatResponseFormat(format: ResponseFormat): OpenAIChatResponseFormat | undefined {
  switch (format.type) {
    case 'json':
      return { type: 'json_object' };
    case 'json_schema':
      return { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) } };
    default:
      return undefined;
  }
}
