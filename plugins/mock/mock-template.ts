import type { LLMMessage } from '../../core/types.js';
import { lastUserText, mockMessageText } from './mock-message-text.js';

/**
 * Placeholders a response's text and reasoning may use, filled in from the conversation when the
 * response is given:
 * - `{{lastUserMessage}}`: the text of the last user message;
 * - `{{previousUserMessage}}`: the user message before that one (empty on the first turn);
 * - `{{lastToolResult}}`: the content of the last tool result (empty when there is none).
 */
export const MOCK_TEMPLATE_NAMES = Object.freeze(['lastUserMessage', 'previousUserMessage', 'lastToolResult'] as const);

export type MockTemplateName = (typeof MOCK_TEMPLATE_NAMES)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

function isTemplateName(name: string): name is MockTemplateName {
  return (MOCK_TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** The placeholders in `text` that are not template names, e.g. a misspelt `{{lastToolResults}}`. */
export function unknownPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]).filter((name) => !isTemplateName(name)))];
}

function userTexts(messages: readonly LLMMessage[]): string[] {
  return messages.filter((message) => message.role === 'user').map(mockMessageText);
}

function lastToolResult(messages: readonly LLMMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) if (messages[index].role === 'tool') return mockMessageText(messages[index]);
  return '';
}

/** `text` with its placeholders filled in from `messages`; unknown placeholders stay as written. */
export function renderMockTemplate(text: string, messages: readonly LLMMessage[]): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (match, name: string) => {
    switch (name) {
      case 'lastUserMessage':
        return lastUserText(messages);
      case 'previousUserMessage':
        return userTexts(messages).at(-2) ?? '';
      case 'lastToolResult':
        return lastToolResult(messages);
      default:
        return match;
    }
  });
}
