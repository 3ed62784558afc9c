// The floor on the Anthropic Messages wire: raw undici `request` + eventsource-parser + `JSON.parse` per event.
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { ANTHROPIC_MODEL, API_KEY, expectText, MAX_TOKENS, PROMPT } from './common.js';

export async function create({ baseURL }) {
  const url = `${baseURL}/messages`;
  const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' };
  const messages = [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }];
  return {
    async complete() {
      const response = await request(url, { method: 'POST', headers, body: JSON.stringify({ model: ANTHROPIC_MODEL, messages, max_tokens: MAX_TOKENS }) });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      const body = JSON.parse(await response.body.text());
      expectText(body.content[0].text, 'floor-anthropic');
    },
    async stream(onFirstDelta) {
      const response = await request(url, { method: 'POST', headers, body: JSON.stringify({ model: ANTHROPIC_MODEL, messages, max_tokens: MAX_TOKENS, stream: true }) });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      let deltas = 0;
      let stopped = false;
      const parser = createParser({
        onEvent(event) {
          const chunk = JSON.parse(event.data);
          if (chunk.type === 'content_block_delta' && chunk.delta.type === 'text_delta' && chunk.delta.text) {
            if (deltas === 0) onFirstDelta();
            deltas += 1;
          } else if (chunk.type === 'message_stop') stopped = true;
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
      if (!stopped) throw new Error('floor-anthropic: no message_stop');
      return deltas;
    },
  };
}
