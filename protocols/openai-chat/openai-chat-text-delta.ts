import type { OpenAIChatChunk } from './openai-chat-api.js';

/**
 * Nearly every chunk of a Chat Completions stream is a text delta that repeats the chunk before it
 * byte for byte except for its text (and OpenAI's `obfuscation` padding):
 *
 *   {"id":"chatcmpl-…","object":"chat.completion.chunk","created":…,"model":"…",…,"choices":[{"index":0,
 *    "delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"bZuW"}
 *
 * `JSON.parse` of such a chunk builds a dozen objects and strings to hand back one string, and was
 * most of the work per event. So the shape is learned from a chunk that was parsed in full and found
 * to be a plain text delta (one choice, index 0, a delta holding only `content`, no logprobs, no
 * finish reason, no usage), and a later chunk with the same bytes before and after its text is
 * read without parsing. Its text must have no escape sequence; the `obfuscation` value may differ
 * (it is never read) but must be a plain string too. Anything else is `undefined` and the caller
 * parses the chunk as JSON: this only answers when `JSON.parse` would give the same chunk apart
 * from the text, and the full parse of the learned chunk already did everything else that chunk
 * asks for (its id, its model), the same for every chunk of that shape.
 */
const DELTA = '"delta":{"content":"';
const OBFUSCATION = ',"obfuscation":"';
const OBFUSCATION_TAIL = /^,"obfuscation":"[^"\\\u0000-\u001f]*"\}$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;

/** Where a plain JSON string body that starts at `from` ends (its closing quote), or -1 at an escape or the end of `data`. */
function plainStringEnd(data: string, from: number): number {
  for (let at = from; at < data.length; at += 1) {
    const code = data.charCodeAt(at);
    if (code === QUOTE) return at;
    // An escape (or a raw control character, which JSON forbids): leave it to JSON.parse.
    if (code === BACKSLASH || code < 0x20) return -1;
  }
  return -1;
}

function count(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) n += 1;
  return n;
}

/** The learned shape of one stream's plain text-delta chunks. One per stream: not shared. */
export class OpenAIChatTextDeltaShape {
  /** Everything before the text, up to its opening quote. */
  #prefix: string | undefined;
  /** Everything after the text's closing quote, up to `,"obfuscation":"` when the chunk has it. */
  #suffix = '';
  #obfuscated = false;

  /** The text of `data` when it is a chunk of the learned shape, else `undefined`. */
  text(data: string): string | undefined {
    const prefix = this.#prefix;
    // indexOf at 0 rather than startsWith: V8's startsWith with a long argument is several times slower.
    if (prefix === undefined || data.indexOf(prefix) !== 0) return undefined;
    const end = plainStringEnd(data, prefix.length);
    if (end === -1) return undefined;
    const suffix = this.#suffix;
    const after = end + 1;
    if (data.indexOf(suffix, after) !== after) return undefined;
    const rest = after + suffix.length;
    if (!this.#obfuscated) return rest === data.length ? data.slice(prefix.length, end) : undefined;
    if (data.indexOf(OBFUSCATION, rest) !== rest) return undefined;
    const padEnd = plainStringEnd(data, rest + OBFUSCATION.length);
    if (padEnd === -1 || padEnd + 2 !== data.length || data.charCodeAt(padEnd + 1) !== CLOSE_BRACE) return undefined;
    return data.slice(prefix.length, end);
  }

  /** Learns the shape from `data`, which parsed to `chunk`, when it is a plain text delta; else keeps the one it has. */
  learn(data: string, chunk: OpenAIChatChunk): void {
    if (chunk.error !== undefined || chunk.usage != null || !Array.isArray(chunk.choices) || chunk.choices.length !== 1) return;
    const choice = chunk.choices[0];
    if ((choice.index ?? 0) !== 0 || choice.logprobs != null || choice.finish_reason != null) return;
    for (const key in choice) if (key !== 'index' && key !== 'delta' && key !== 'logprobs' && key !== 'finish_reason') return;
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (delta === undefined || delta === null) return;
    const content = delta.content;
    if (typeof content !== 'string' || content === '') return;
    for (const key in delta) if (key !== 'content') return;
    // One "delta" holding content, one "choices": no duplicate key whose later value JSON.parse would keep.
    const at = data.indexOf(DELTA);
    if (at === -1 || data.indexOf(DELTA, at + 1) !== -1) return;
    const start = at + DELTA.length;
    const prefix = data.slice(0, start);
    if (count(prefix, '"delta"') !== 1 || count(prefix, '"choices"') !== 1) return;
    // The text as it stands between its quotes is the parsed text: it has no escape.
    const end = start + content.length;
    if (data.slice(start, end) !== content || data.charCodeAt(end) !== QUOTE) return;
    let suffix = data.slice(end + 1);
    // The delta object closes right after its text; no other delta or choices follows.
    if (suffix.charCodeAt(0) !== CLOSE_BRACE || suffix.includes('"delta"') || suffix.includes('"choices"')) return;
    let obfuscated = false;
    const pad = suffix.indexOf(OBFUSCATION);
    if (pad !== -1) {
      if (!OBFUSCATION_TAIL.test(suffix.slice(pad))) return;
      suffix = suffix.slice(0, pad);
      obfuscated = true;
    }
    this.#prefix = prefix;
    this.#suffix = suffix;
    this.#obfuscated = obfuscated;
  }
}
