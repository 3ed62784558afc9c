// The three client APIs the gateway serves, as the load client speaks them: the request body, and
// how to read the answer's text and a stream's text deltas. Shared by the load client and the report.

export const PROMPT = 'Say hello in one word.';
export const MAX_TOKENS = 16;
/** The fake upstream's words, in order (bench/fake-server.js). */
const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', ' Then', ' it', ' naps', ',', ' again', '!'];

/** The text of a stream of `deltas` deltas, as the upstream sent it: what every target must deliver byte for byte. */
export function expectedText(deltas) {
  let text = '';
  for (let i = 0; i < deltas; i += 1) text += WORDS[i % WORDS.length];
  return text;
}

export const APIS = {
  chat: {
    label: 'Chat Completions',
    path: '/v1/chat/completions',
    upstream: 'openai',
    body: (model, stream) => ({ model, messages: [{ role: 'user', content: PROMPT }], max_tokens: MAX_TOKENS, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) }),
    answerText: (json) => json.choices?.[0]?.message?.content,
    /** The delta text of one SSE event, `undefined` when it carries none; `done` when the stream is over. */
    delta(event, data) {
      if (data === '[DONE]') return DONE;
      return JSON.parse(data).choices?.[0]?.delta?.content || undefined;
    },
  },
  messages: {
    label: 'Messages (/v1/messages)',
    path: '/v1/messages',
    upstream: 'anthropic',
    headers: { 'anthropic-version': '2023-06-01' },
    body: (model, stream) => ({ model, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: PROMPT }], ...(stream ? { stream: true } : {}) }),
    answerText: (json) => json.content?.[0]?.text,
    delta(event, data) {
      if (event === 'message_stop') return DONE;
      if (event !== 'content_block_delta') return undefined;
      const parsed = JSON.parse(data);
      return parsed.delta?.type === 'text_delta' ? parsed.delta.text : undefined;
    },
  },
  responses: {
    label: 'Responses (/v1/responses)',
    path: '/v1/responses',
    // A Chat Completions backend answers it: the upstream call is the same as the chat one.
    upstream: 'openai',
    body: (model, stream) => ({ model, input: PROMPT, max_output_tokens: MAX_TOKENS, store: false, ...(stream ? { stream: true } : {}) }),
    answerText: (json) => json.output?.find((item) => item.type === 'message')?.content?.[0]?.text,
    delta(event, data) {
      const type = event ?? JSON.parse(data).type;
      if (type === 'response.completed') return DONE;
      return type === 'response.output_text.delta' ? JSON.parse(data).delta : undefined;
    },
  },
};

export const DONE = Symbol('done');
