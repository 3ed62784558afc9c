import type { OpenAIChatWireContent } from './openai-chat-api.js';

/** The answer and the reasoning in a message's `content`. */
export interface OpenAIChatContentText {
  readonly text: string;
  readonly reasoning: string;
}

const NONE: OpenAIChatContentText = Object.freeze({ text: '', reasoning: '' });

/**
 * `content` as a string (most servers) or an array of typed parts (Mistral's reasoning models:
 * `{type:"thinking",thinking:[{type:"text",text}]}` then `{type:"text",text}`, and streamed deltas
 * of the same shape before going back to strings). Unknown part types are skipped.
 */
export function splitOpenAIChatContent(content: OpenAIChatWireContent | undefined): OpenAIChatContentText {
  if (typeof content === 'string') return content === '' ? NONE : { text: content, reasoning: '' };
  if (!Array.isArray(content)) return NONE;
  let text = '';
  let reasoning = '';
  for (const part of content) {
    if (typeof part !== 'object' || part === null) continue;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'thinking') {
      const thinking = part.thinking;
      if (typeof thinking === 'string') reasoning += thinking;
      else if (Array.isArray(thinking)) for (const inner of thinking) if (typeof inner?.text === 'string') reasoning += inner.text;
    }
  }
  return { text, reasoning };
}
