// What every client sends, so they all do the same work.
export const PROMPT = 'Say hello.';
export const MAX_TOKENS = 1024;
export const OPENAI_MODEL = 'gpt-4o-mini';
export const ANTHROPIC_MODEL = 'claude-haiku-4-5';
export const API_KEY = 'sk-bench-not-a-real-key';

/** Throws when a client's answer is not what the fake server sent, so a broken client cannot look fast. */
export function expectText(text, where) {
  if (typeof text !== 'string' || !text.startsWith('Hello!')) throw new Error(`${where}: unexpected answer ${JSON.stringify(text)?.slice(0, 100)}`);
}
