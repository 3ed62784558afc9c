import type { LLMMessage } from '../../core/types.js';

/** The text of a message; image parts have none. */
export function mockMessageText(message: LLMMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export function lastUserText(messages: readonly LLMMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index].role === 'user') return mockMessageText(messages[index]);
  }
  return '';
}

/** A deterministic stand-in for a tokenizer: about four characters per token, as for English text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
