import { InvalidRequestError } from '../../core/errors.js';
import type { ContentPart, ImagePart, LLMMessage, ToolChoice, ToolSchema } from '../../core/types.js';
import type { GoogleContent, GooglePart, GoogleTool, GoogleToolConfig } from './google-api.js';
import { wireToolCallId } from './google-tool-call-id.js';

export interface GooglePrompt {
  readonly systemInstruction: GoogleContent | undefined;
  /** Alternating `user` / `model` turns. */
  readonly contents: GoogleContent[];
  readonly warnings: string[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
const IMAGE_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif' };

/**
 * Our messages → `systemInstruction` + `contents`. System messages are hoisted; tool results become
 * `functionResponse` parts of a user turn (named after the call they answer: Google matches them
 * by name); turns of the same role in a row are merged. An assistant turn's signed reasoning goes
 * back as Google placed it: the signature on the first function call part when the turn called
 * tools (only that one carries it, google/stream-function-call.sse), else on the text part, or on
 * an empty text part when the turn had no text (google/stream-text-gemini3-signature-on-empty-part.sse).
 */
export function convertToGoogleMessages(messages: readonly LLMMessage[], provider: string): GooglePrompt {
  const warnings: string[] = [];
  const system: GooglePart[] = [];
  const contents: { role: 'user' | 'model'; parts: GooglePart[] }[] = [];
  const callNames = new Map<string, string>();

  const push = (role: 'user' | 'model', parts: GooglePart[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts: [...parts] });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(...textParts(message.content, 'system', warnings));
        break;
      case 'user':
        push('user', userParts(message.content, provider));
        break;
      case 'assistant':
        for (const call of message.toolCalls ?? []) callNames.set(call.id, call.name);
        push('model', modelParts(message, warnings));
        break;
      case 'tool':
        push('user', toolResultParts(message, callNames, provider, warnings));
        break;
      default:
        throw new InvalidRequestError(`A message has role "${String((message as { role: unknown }).role)}"; use system, user, assistant or tool.`, { provider });
    }
  }
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents, warnings };
}

/** Our tools → one `functionDeclarations` tool; the JSON Schema goes as is in `parametersJsonSchema` (`parameters` takes only an OpenAPI subset). */
export function convertToGoogleTools(tools: readonly ToolSchema[]): GoogleTool[] | undefined {
  if (tools.length === 0) return undefined;
  return [{ functionDeclarations: tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }];
}

/** `toolChoice` → `toolConfig.functionCallingConfig`: auto → AUTO, required → ANY, none → NONE, a name → ANY limited to it. */
export function convertToGoogleToolConfig(tools: readonly ToolSchema[], toolChoice: ToolChoice | undefined, streamArguments: boolean): GoogleToolConfig | undefined {
  if (tools.length === 0) return undefined;
  const stream = streamArguments ? { streamFunctionCallArguments: true } : {};
  if (toolChoice === undefined) return streamArguments ? { functionCallingConfig: { mode: 'AUTO', ...stream } } : undefined;
  if (toolChoice === 'auto') return { functionCallingConfig: { mode: 'AUTO', ...stream } };
  if (toolChoice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (toolChoice === 'required') return { functionCallingConfig: { mode: 'ANY', ...stream } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolChoice.name], ...stream } };
}

function textParts(content: LLMMessage['content'], where: string, warnings: string[]): GooglePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const parts: GooglePart[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text !== '') parts.push({ text: part.text });
    } else warnings.push(`Google takes images in user and tool turns; an image in a ${where} message was dropped.`);
  }
  return parts;
}

function userParts(content: LLMMessage['content'], provider: string): GooglePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.filter((part) => part.type !== 'text' || part.text !== '').map((part) => contentPart(part, provider));
}

function contentPart(part: ContentPart, provider: string): GooglePart {
  return part.type === 'text' ? { text: part.text } : imagePart(part, provider);
}

function imagePart(part: ImagePart, provider: string): GooglePart {
  if (part.data !== undefined) {
    if (!part.mediaType) throw new InvalidRequestError('An image part has `data` but no `mediaType`; set it, e.g. "image/png".', { provider });
    return { inlineData: { mimeType: part.mediaType, data: part.data } };
  }
  if (part.url !== undefined) {
    const dataUrl = DATA_URL.exec(part.url);
    if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
    // A URL goes as fileData: Google fetches it (Gemini API: Files API or public URLs; Vertex: gs:// or https).
    const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(part.url)?.[1]?.toLowerCase();
    const mimeType = part.mediaType ?? (extension ? IMAGE_TYPES[extension] : undefined) ?? 'image/jpeg';
    return { fileData: { mimeType, fileUri: part.url } };
  }
  throw new InvalidRequestError('An image part has neither `url` nor `data`; set one of them.', { provider });
}

function modelParts(message: LLMMessage, warnings: string[]): GooglePart[] {
  const parts: GooglePart[] = [];
  const signatures: string[] = [];
  for (const reasoning of message.reasoning ?? []) {
    if (reasoning.text !== '') parts.push({ text: reasoning.text, thought: true });
    if (reasoning.signature !== undefined && reasoning.signature !== '') signatures.push(reasoning.signature);
  }
  const text = typeof message.content === 'string' ? message.content : textParts(message.content, 'assistant', warnings).map((part) => part.text).join('');
  const calls = message.toolCalls ?? [];
  const textPart: { text: string; thoughtSignature?: string } | undefined = text === '' ? undefined : { text };
  if (textPart) parts.push(textPart);
  calls.forEach((call, index) => {
    const id = wireToolCallId(call.id);
    const signature = signatures[index];
    parts.push({ functionCall: { ...(id ? { id } : {}), name: call.name, args: call.arguments }, ...(signature ? { thoughtSignature: signature } : {}) });
  });
  const rest = signatures.slice(calls.length);
  if (rest.length > 0) {
    const last = rest[rest.length - 1];
    if (textPart && calls.length === 0) textPart.thoughtSignature = last;
    else parts.push({ text: '', thoughtSignature: last });
  }
  return parts;
}

function toolResultParts(message: LLMMessage, callNames: ReadonlyMap<string, string>, provider: string, warnings: string[]): GooglePart[] {
  if (!message.toolCallId) throw new InvalidRequestError('A tool message has no `toolCallId`; set it to the id of the tool call it answers.', { provider });
  const name = callNames.get(message.toolCallId) ?? message.name;
  if (!name) {
    throw new InvalidRequestError(`The tool result for call "${message.toolCallId}" names no tool, and no earlier assistant message made that call: Google matches results by function name. Set \`name\` on the tool message.`, { provider });
  }
  const content = message.content;
  const text = typeof content === 'string' ? content : content.filter((part) => part.type === 'text').map((part) => part.text).join('');
  const id = wireToolCallId(message.toolCallId);
  const parts: GooglePart[] = [{ functionResponse: { ...(id ? { id } : {}), name, response: message.isError ? { error: text } : { output: text } } }];
  if (typeof content !== 'string') {
    const images = content.filter((part): part is ImagePart => part.type === 'image');
    if (images.length > 0) {
      warnings.push('Images in a tool result were sent as parts of the user turn after the function response.');
      for (const image of images) parts.push(imagePart(image, provider));
    }
  }
  return parts;
}
