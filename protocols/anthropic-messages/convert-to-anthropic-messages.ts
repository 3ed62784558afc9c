import { InvalidRequestError } from '../../core/errors.js';
import type { CacheControl, ContentPart, ImagePart, LLMMessage, TextPart } from '../../core/types.js';
import type {
  AnthropicCacheControl,
  AnthropicContentBlockParam,
  AnthropicImageBlockParam,
  AnthropicMessageParam,
  AnthropicTextBlockParam,
} from './anthropic-api.js';
import { ANTHROPIC_PROVIDER } from './anthropic-errors.js';

export interface AnthropicPrompt {
  /** Top-level `system`: a string, or text blocks when there are several or one carries `cache_control`. */
  readonly system: string | AnthropicTextBlockParam[] | undefined;
  /** Strictly alternating user/assistant turns. */
  readonly messages: AnthropicMessageParam[];
  readonly warnings: string[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Our messages → the Messages API's `system` + alternating `messages`. System messages are
 * hoisted to `system`; tool results become `tool_result` blocks in a user turn; consecutive turns
 * of the same role are merged, because the API rejects two user or two assistant turns in a row.
 */
export function convertToAnthropicMessages(messages: readonly LLMMessage[]): AnthropicPrompt {
  const warnings: string[] = [];
  const systemBlocks: AnthropicTextBlockParam[] = [];
  const turns: { role: 'user' | 'assistant'; content: AnthropicContentBlockParam[] }[] = [];

  const push = (role: 'user' | 'assistant', content: AnthropicContentBlockParam[]): void => {
    if (content.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content: [...content] });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemBlocks.push(...textBlocks(message.content, 'system', warnings));
        break;
      case 'user':
        push('user', userBlocks(message.content));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, warnings));
        break;
      case 'tool':
        push('user', [toolResultBlock(message)]);
        break;
      default:
        throw new InvalidRequestError(`A message has role "${String((message as { role: unknown }).role)}"; use system, user, assistant or tool.`, {
          provider: ANTHROPIC_PROVIDER,
        });
    }
  }

  return { system: systemValue(systemBlocks), messages: turns, warnings };
}

function systemValue(blocks: AnthropicTextBlockParam[]): string | AnthropicTextBlockParam[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.length === 1 && blocks[0].cache_control === undefined) return blocks[0].text;
  return blocks;
}

function cacheControl(control: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  if (!control) return {};
  return { cache_control: control.ttl ? { type: 'ephemeral', ttl: control.ttl } : { type: 'ephemeral' } };
}

function textBlock(part: TextPart): AnthropicTextBlockParam {
  return { type: 'text', text: part.text, ...cacheControl(part.cacheControl) };
}

/** Text of a system or assistant message; images there are dropped with a warning. Empty text is skipped: the API rejects empty text blocks. */
function textBlocks(content: LLMMessage['content'], where: string, warnings: string[]): AnthropicTextBlockParam[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicTextBlockParam[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push(textBlock(part));
    } else {
      warnings.push(`Anthropic accepts images only in user and tool messages; an image in a ${where} message was dropped.`);
    }
  }
  return blocks;
}

function userBlocks(content: LLMMessage['content']): (AnthropicTextBlockParam | AnthropicImageBlockParam)[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.filter((part) => part.type !== 'text' || part.text !== '').map(contentBlock);
}

function contentBlock(part: ContentPart): AnthropicTextBlockParam | AnthropicImageBlockParam {
  return part.type === 'text' ? textBlock(part) : imageBlock(part);
}

function imageBlock(part: ImagePart): AnthropicImageBlockParam {
  if (part.data !== undefined) {
    if (!part.mediaType) {
      throw new InvalidRequestError('An image part has `data` but no `mediaType`; set it, e.g. "image/png".', { provider: ANTHROPIC_PROVIDER });
    }
    return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
  }
  if (part.url !== undefined) {
    const dataUrl = DATA_URL.exec(part.url);
    if (dataUrl) return { type: 'image', source: { type: 'base64', media_type: dataUrl[1], data: dataUrl[2] } };
    return { type: 'image', source: { type: 'url', url: part.url } };
  }
  throw new InvalidRequestError('An image part has neither `url` nor `data`; set one of them.', { provider: ANTHROPIC_PROVIDER });
}

/** Signed thinking first (the API requires it before tool use when thinking is on), then text, then tool calls. */
function assistantBlocks(message: LLMMessage, warnings: string[]): AnthropicContentBlockParam[] {
  const blocks: AnthropicContentBlockParam[] = [];
  for (const part of message.reasoning ?? []) {
    if (part.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: part.redactedData });
    else if (part.signature !== undefined) blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    else warnings.push('A reasoning part without a signature was not sent back: Anthropic accepts only signed thinking blocks.');
  }
  blocks.push(...textBlocks(message.content, 'assistant', warnings));
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  }
  return blocks;
}

function toolResultBlock(message: LLMMessage): AnthropicContentBlockParam {
  if (!message.toolCallId) {
    throw new InvalidRequestError('A tool message has no `toolCallId`; set it to the id of the tool call it answers.', { provider: ANTHROPIC_PROVIDER });
  }
  const content = typeof message.content === 'string' ? message.content : message.content.map(contentBlock);
  return { type: 'tool_result', tool_use_id: message.toolCallId, content, ...(message.isError ? { is_error: true } : {}) };
}
