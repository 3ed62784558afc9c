// The official `openai` package, as its README shows it.
import OpenAI from 'openai';
import { API_KEY, expectText, MAX_TOKENS, OPENAI_MODEL, PROMPT } from './common.js';

export async function create({ baseURL }) {
  const client = new OpenAI({ apiKey: API_KEY, baseURL });
  const messages = [{ role: 'user', content: PROMPT }];
  return {
    async complete() {
      const completion = await client.chat.completions.create({ model: OPENAI_MODEL, messages, max_tokens: MAX_TOKENS });
      expectText(completion.choices[0].message.content, 'openai');
    },
    async stream(onFirstDelta) {
      const stream = await client.chat.completions.create({ model: OPENAI_MODEL, messages, max_tokens: MAX_TOKENS, stream: true, stream_options: { include_usage: true } });
      let deltas = 0;
      let usage;
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta?.content;
        if (content) {
          if (deltas === 0) onFirstDelta();
          deltas += 1;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      if (usage === undefined) throw new Error('openai: no usage');
      return deltas;
    },
  };
}
