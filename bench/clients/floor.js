// The floor: raw undici `request` + eventsource-parser + `JSON.parse` per event, on the Chat
// Completions wire. Nothing a client library could skip.
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { API_KEY, expectText, MAX_TOKENS, OPENAI_MODEL, PROMPT } from './common.js';

export async function create({ baseURL }) {
  const url = `${baseURL}/chat/completions`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const messages = [{ role: 'user', content: PROMPT }];
  return {
    async complete() {
      const response = await request(url, { method: 'POST', headers, body: JSON.stringify({ model: OPENAI_MODEL, messages, max_tokens: MAX_TOKENS }) });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      const body = JSON.parse(await response.body.text());
      expectText(body.choices[0].message.content, 'floor');
    },
    async stream(onFirstDelta) {
      const body = JSON.stringify({ model: OPENAI_MODEL, messages, max_tokens: MAX_TOKENS, stream: true, stream_options: { include_usage: true } });
      const response = await request(url, { method: 'POST', headers, body });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      let deltas = 0;
      let usage;
      const parser = createParser({
        onEvent(event) {
          if (event.data === '[DONE]') return;
          const chunk = JSON.parse(event.data);
          const content = chunk.choices[0]?.delta?.content;
          if (content) {
            if (deltas === 0) onFirstDelta();
            deltas += 1;
          }
          if (chunk.usage) usage = chunk.usage;
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
      if (usage === undefined) throw new Error('floor: no usage');
      return deltas;
    },
  };
}
