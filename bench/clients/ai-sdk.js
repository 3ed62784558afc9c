// The Vercel AI SDK (`ai` + `@ai-sdk/openai`) on the Chat Completions API, as its docs show it.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { API_KEY, expectText, MAX_TOKENS, OPENAI_MODEL, PROMPT } from './common.js';

// The SDK prints warnings to the console by default; they would only add noise here.
globalThis.AI_SDK_LOG_WARNINGS = false;

export async function create({ baseURL }) {
  const model = createOpenAI({ apiKey: API_KEY, baseURL }).chat(OPENAI_MODEL);
  return {
    async complete() {
      const result = await generateText({ model, prompt: PROMPT, maxOutputTokens: MAX_TOKENS });
      expectText(result.text, 'aiSdk');
    },
    async stream(onFirstDelta) {
      let failure;
      const result = streamText({ model, prompt: PROMPT, maxOutputTokens: MAX_TOKENS, onError: ({ error }) => (failure = error) });
      let deltas = 0;
      for await (const text of result.textStream) {
        if (text) {
          if (deltas === 0) onFirstDelta();
          deltas += 1;
        }
      }
      if (failure) throw failure;
      return deltas;
    },
  };
}
