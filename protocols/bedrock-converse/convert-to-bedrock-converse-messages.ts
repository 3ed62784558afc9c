import { InvalidRequestError } from '../../core/errors.js';
import type { CacheControl, ContentPart, ImagePart, LLMMessage } from '../../core/types.js';
import type {
  BedrockCachePoint,
  BedrockContentBlock,
  BedrockDocumentBlock,
  BedrockDocumentFormat,
  BedrockImageBlock,
  BedrockImageFormat,
  BedrockMessage,
  BedrockSystemBlock,
  BedrockToolResultContent,
} from './bedrock-converse-api.js';

export interface BedrockConversePrompt {
  readonly system: BedrockSystemBlock[] | undefined;
  /** Strictly alternating user/assistant turns. */
  readonly messages: BedrockMessage[];
  /** Whether any turn holds a `toolUse` or `toolResult` block: Bedrock then requires a `toolConfig`. */
  readonly usesTools: boolean;
  readonly warnings: string[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
const IMAGE_FORMATS: Readonly<Record<string, BedrockImageFormat>> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };
// Converse takes documents as their own block; `ImagePart` with one of these media types carries one.
const DOCUMENT_FORMATS: Readonly<Record<string, BedrockDocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

/**
 * Our messages → Converse `system` + alternating `messages`. System messages go to `system`; tool
 * results become `toolResult` blocks in a user turn; consecutive turns of one role are merged (the
 * API rejects two in a row). A text part with `cacheControl` is followed by a `cachePoint` block:
 * Bedrock's prompt caching caches everything before it, as Anthropic's `cache_control` does.
 */
export function convertToBedrockConverseMessages(messages: readonly LLMMessage[], provider: string, options: { readonly cachePoints?: boolean } = {}): BedrockConversePrompt {
  const warnings: string[] = [];
  const system: BedrockSystemBlock[] = [];
  const turns: BedrockMessage[] = [];
  const context: Context = { provider, documents: 0, usesTools: false, cachePoints: options.cachePoints ?? true, droppedCache: false };

  const push = (role: 'user' | 'assistant', content: BedrockContentBlock[]): void => {
    if (content.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content: [...content] });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(...systemBlocks(message.content, context, warnings));
        break;
      case 'user':
        push('user', userBlocks(message.content, context));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, context, warnings));
        break;
      case 'tool':
        context.usesTools = true;
        push('user', [toolResultBlock(message, context)]);
        break;
      default:
        throw new InvalidRequestError(`A message has role "${String((message as { role: unknown }).role)}"; use system, user, assistant or tool.`, { provider });
    }
  }
  if (context.droppedCache) warnings.push(`${provider}: this model has no prompt caching on Bedrock; the cacheControl of some parts was not sent (a cachePoint would fail the call).`);
  return { system: system.length > 0 ? system : undefined, messages: turns, usesTools: context.usesTools, warnings };
}

interface Context {
  readonly provider: string;
  documents: number;
  usesTools: boolean;
  /** The model takes `cachePoint` blocks. */
  readonly cachePoints: boolean;
  droppedCache: boolean;
}

function appendCachePoint(control: CacheControl | undefined, blocks: (BedrockContentBlock | BedrockSystemBlock)[], context: Context): void {
  if (!control) return;
  if (context.cachePoints) blocks.push(cachePoint(control));
  else context.droppedCache = true;
}

export function cachePoint(control: CacheControl): { cachePoint: BedrockCachePoint } {
  // Bedrock's default TTL is 5 minutes; a 1-hour TTL is asked for only when the part asks for it.
  return { cachePoint: control.ttl === '1h' ? { type: 'default', ttl: '1h' } : { type: 'default' } };
}

function systemBlocks(content: LLMMessage['content'], context: Context, warnings: string[]): BedrockSystemBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const blocks: BedrockSystemBlock[] = [];
  for (const part of content) {
    if (part.type !== 'text') {
      warnings.push(`${context.provider} accepts images and documents only in user and tool messages; one in a system message was dropped.`);
      continue;
    }
    if (part.text !== '') blocks.push({ text: part.text });
    appendCachePoint(part.cacheControl, blocks, context);
  }
  return blocks;
}

function userBlocks(content: LLMMessage['content'], context: Context): BedrockContentBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const blocks: BedrockContentBlock[] = [];
  for (const part of content) appendPart(part, blocks, context);
  return blocks;
}

function appendPart(part: ContentPart, blocks: BedrockContentBlock[], context: Context): void {
  if (part.type === 'text') {
    if (part.text !== '') blocks.push({ text: part.text });
    appendCachePoint(part.cacheControl, blocks, context);
    return;
  }
  blocks.push(mediaBlock(part, context));
}

function mediaBlock(part: ImagePart, context: Context): { image: BedrockImageBlock } | { document: BedrockDocumentBlock } {
  const { provider } = context;
  let mediaType = part.mediaType;
  let data = part.data;
  if (data === undefined && part.url !== undefined) {
    const dataUrl = DATA_URL.exec(part.url);
    if (dataUrl) {
      mediaType = dataUrl[1];
      data = dataUrl[2];
    } else if (part.url.startsWith('s3://')) {
      const format = IMAGE_FORMATS[(mediaType ?? guessImageType(part.url) ?? '').toLowerCase()];
      if (!format) throw new InvalidRequestError(`An image at ${part.url} has no recognisable format; set \`mediaType\` (image/png, image/jpeg, image/gif or image/webp).`, { provider });
      return { image: { format, source: { s3Location: { uri: part.url } } } };
    } else {
      throw new InvalidRequestError(`${provider} does not fetch images from URLs (${part.url.slice(0, 80)}); pass the bytes as \`data\` with \`mediaType\`, a data: URL, or an s3:// URI.`, { provider });
    }
  }
  if (data === undefined) throw new InvalidRequestError('An image part has neither `url` nor `data`; set one of them.', { provider });
  if (!mediaType) throw new InvalidRequestError('An image part has `data` but no `mediaType`; set it, e.g. "image/png".', { provider });
  const type = mediaType.toLowerCase();
  const image = IMAGE_FORMATS[type];
  if (image) return { image: { format: image, source: { bytes: data } } };
  const document = DOCUMENT_FORMATS[type];
  if (document) {
    context.documents += 1;
    // Bedrock requires a name (letters, digits, spaces, hyphens, parentheses, brackets) unique in the request.
    return { document: { format: document, name: `document-${context.documents}`, source: { bytes: data } } };
  }
  throw new InvalidRequestError(
    `${provider} cannot take a part of media type "${mediaType}": images are png, jpeg, gif or webp; documents are ${Object.keys(DOCUMENT_FORMATS).join(', ')}.`,
    { provider },
  );
}

function guessImageType(url: string): string | undefined {
  const extension = /\.([a-z]+)$/i.exec(url)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : `image/${extension === 'jpg' ? 'jpeg' : extension}`;
}

/** Signed reasoning first (Claude requires it before tool use when thinking is on), then text, then tool calls. */
function assistantBlocks(message: LLMMessage, context: Context, warnings: string[]): BedrockContentBlock[] {
  const blocks: BedrockContentBlock[] = [];
  for (const part of message.reasoning ?? []) {
    if (part.redactedData !== undefined) blocks.push({ reasoningContent: { redactedContent: part.redactedData } });
    else if (part.signature !== undefined) blocks.push({ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } });
    else warnings.push(`A reasoning part without a signature was not sent back: ${context.provider} accepts only signed reasoning blocks.`);
  }
  if (typeof message.content === 'string') {
    if (message.content !== '') blocks.push({ text: message.content });
  } else {
    for (const part of message.content) {
      if (part.type === 'text') appendPart(part, blocks, context);
      else warnings.push(`${context.provider} accepts images and documents only in user and tool messages; one in an assistant message was dropped.`);
    }
  }
  for (const call of message.toolCalls ?? []) {
    context.usesTools = true;
    blocks.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments } });
  }
  return blocks;
}

function toolResultBlock(message: LLMMessage, context: Context): BedrockContentBlock {
  if (!message.toolCallId) {
    throw new InvalidRequestError('A tool message has no `toolCallId`; set it to the id of the tool call it answers.', { provider: context.provider });
  }
  const content: BedrockToolResultContent[] = [];
  if (typeof message.content === 'string') content.push({ text: message.content });
  else {
    for (const part of message.content) {
      if (part.type === 'text') content.push({ text: part.text });
      else content.push(mediaBlock(part, context));
    }
  }
  // An empty result is rejected: a tool that printed nothing still answered.
  if (content.length === 0) content.push({ text: '' });
  return { toolResult: { toolUseId: message.toolCallId, content, status: message.isError ? 'error' : 'success' } };
}
