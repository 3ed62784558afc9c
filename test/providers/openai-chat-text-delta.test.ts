// The Chat Completions stream's fast path for plain text deltas (protocols/openai-chat/openai-chat-text-delta.ts)
// must never answer differently from JSON.parse, and the stream it is part of must give the same
// events as the full parse on every recorded stream.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../core/http.js';
import type { StreamEvent } from '../../core/types.js';
import type { OpenAIChatChunk } from '../../protocols/openai-chat/openai-chat-api.js';
import { OpenAIChatStreamTransform } from '../../protocols/openai-chat/openai-chat-stream.js';
import { OpenAIChatTextDeltaShape } from '../../protocols/openai-chat/openai-chat-text-delta.js';

const recorded = join(import.meta.dirname, '..', 'fixtures', 'recorded');

/** Every recorded Chat Completions stream (OpenAI, Azure, Mistral, the OpenAI-compatible servers). */
function chatStreams(): { name: string; data: string[] }[] {
  const out: { name: string; data: string[] }[] = [];
  for (const entry of readdirSync(recorded, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = entry.name;
    for (const file of readdirSync(join(recorded, dir))) {
      if (!file.endsWith('.sse') || file.includes('responses')) continue;
      const text = readFileSync(join(recorded, dir, file), 'utf8');
      if (!text.includes('chat.completion.chunk')) continue;
      const data = text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trim());
      out.push({ name: `${dir}/${file}`, data });
    }
  }
  return out;
}

const HEAD = '{"id":"chatcmpl-C6bj","object":"chat.completion.chunk","created":1755691077,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":null,"choices":[';
const chunk = (text: string, tail = ',"usage":null,"obfuscation":"bZuWwpMP"}'): string => `${HEAD}{"index":0,"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]${tail}`;

function learned(data = chunk('Hello')): OpenAIChatTextDeltaShape {
  const shape = new OpenAIChatTextDeltaShape();
  shape.learn(data, JSON.parse(data) as OpenAIChatChunk);
  return shape;
}

/** The chunk `data` parses to, with the text and the padding (never read) set aside. */
function rest(data: string): unknown {
  const parsed = JSON.parse(data) as { choices: { delta: { content?: unknown } }[]; obfuscation?: unknown };
  delete parsed.obfuscation;
  delete parsed.choices[0].delta.content;
  return parsed;
}

function run(data: readonly string[], readEveryChunk: boolean): StreamEvent[] {
  const out: StreamEvent[] = [];
  const transform = new OpenAIChatStreamTransform({ provider: 'openai', metadata: {}, ...(readEveryChunk ? { onChunk: () => {} } : {}) });
  for (const line of data) transform.push({ data: line } as SseEvent, out);
  transform.end(out);
  return out;
}

describe('OpenAIChatTextDeltaShape', () => {
  it('reads the text deltas of the recorded streams as JSON.parse does, once it has seen one', () => {
    let read = 0;
    for (const { data } of chatStreams()) {
      const shape = new OpenAIChatTextDeltaShape();
      for (const line of data) {
        if (line === '[DONE]' || line === '') continue;
        const fast = shape.text(line);
        const parsed = JSON.parse(line) as OpenAIChatChunk;
        if (fast !== undefined) {
          read += 1;
          expect(parsed.choices?.[0]?.delta?.content).toBe(fast);
        }
        shape.learn(line, parsed);
      }
    }
    expect(read).toBeGreaterThan(10);
  });

  it('the stream gives the same events with it as with a full parse of every chunk, on every recording', () => {
    const streams = chatStreams();
    expect(streams.length).toBeGreaterThan(5);
    for (const { name, data } of streams) {
      const fast = run(data, false);
      const full = run(data, true);
      expect(JSON.stringify(fast), name).toBe(JSON.stringify(full));
    }
  });

  it('answers for a chunk of the learned shape, with or without the padding, and leaves escapes to JSON.parse', () => {
    expect(learned().text(chunk('world'))).toBe('world');
    expect(learned().text(chunk(''))).toBe('');
    expect(learned().text(chunk('naïve 日本 🙂'))).toBe('naïve 日本 🙂');
    expect(learned().text(chunk('x', ',"usage":null,"obfuscation":"other-pad-value"}'))).toBe('x');
    expect(learned(chunk('a', ',"usage":null}')).text(chunk('b', ',"usage":null}'))).toBe('b');
    expect(learned().text(chunk('line\nbreak'))).toBeUndefined();
    expect(learned().text(chunk('say "hi"'))).toBeUndefined();
  });

  it('gives no answer for anything but a chunk of exactly the learned shape', () => {
    const shape = learned();
    const cases = [
      chunk('a').replace('"id":"chatcmpl-C6bj"', '"id":"chatcmpl-other"'),
      chunk('a').replace('"model":"gpt-4o-mini"', '"model":"gpt-4o"'),
      chunk('a').replace('"finish_reason":null', '"finish_reason":"stop"'),
      chunk('a').replace('"logprobs":null', '"logprobs":{"content":[]}'),
      chunk('a').replace('"usage":null', '"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}'),
      chunk('a').replace('{"content":"a"}', '{"content":"a","tool_calls":[]}'),
      chunk('a', ',"usage":null,"obfuscation":"pad\\"x"}'),
      chunk('a', ',"usage":null,"obfuscation":"pad"}x'),
      chunk('a', ',"usage":null,"obfuscation":"pad"'),
      chunk('a', ',"usage":null,"obfuscation":"pad","extra":1}'),
      chunk('a', ',"usage":null}'),
      chunk('a').slice(0, -1),
      `${HEAD}{"index":0,"delta":{"content":"a}`,
      '{"error":{"message":"boom"}}',
      '',
    ];
    for (const data of cases) expect(shape.text(data), data).toBeUndefined();
  });

  it('learns only from a plain text delta', () => {
    const notPlain = [
      `${HEAD}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
      `${HEAD}{"index":0,"delta":{"content":"a","reasoning":"r"},"logprobs":null,"finish_reason":null}],"usage":null}`,
      `${HEAD}{"index":1,"delta":{"content":"a"},"logprobs":null,"finish_reason":null}],"usage":null}`,
      `${HEAD}{"index":0,"delta":{"content":"a"},"logprobs":null,"finish_reason":"stop"}],"usage":null}`,
      `${HEAD}{"index":0,"delta":{"content":"say \\"a\\""},"logprobs":null,"finish_reason":null}],"usage":null}`,
      // A repeated key: JSON.parse keeps the last one, so the bytes before it say nothing.
      `${HEAD}{"index":0,"delta":{"content":"a"},"delta":{"content":"b"},"logprobs":null,"finish_reason":null}],"usage":null}`,
      `${HEAD}{"index":0,"delta":{"content":"a"},"logprobs":null,"finish_reason":null}],"usage":null,"choices":[]}`,
    ];
    for (const data of notPlain) {
      const shape = new OpenAIChatTextDeltaShape();
      shape.learn(data, JSON.parse(data) as OpenAIChatChunk);
      expect(shape.text(data), data).toBeUndefined();
    }
  });

  it('never disagrees with JSON.parse on 5,000 generated texts, paddings and cuts', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', '}', '{', ',', ':', 'é', '日本', '🙂', '\u2028', '/', '\r', ']'];
    const pick = (): string => {
      let text = '';
      const length = Math.floor(next() * 10);
      for (let j = 0; j < length; j += 1) text += alphabet[Math.floor(next() * alphabet.length)];
      return text;
    };
    const shape = learned();
    const expected = rest(chunk('Hello'));
    for (let i = 0; i < 5000; i += 1) {
      let data = chunk(pick(), `,"usage":null,"obfuscation":${JSON.stringify(pick())}}`);
      if (i % 4 === 1) data = data.slice(0, Math.floor(next() * data.length));
      if (i % 4 === 2) data = data.replace(/"[^"]*"\}$/, `${JSON.stringify(pick()).slice(0, -1)}}`);
      const fast = shape.text(data);
      if (fast === undefined) continue;
      // It answered: the data is JSON, its text is the answer, and the rest is the learned chunk's.
      const parsed = JSON.parse(data) as { choices: { delta: { content: string } }[] };
      expect(parsed.choices[0].delta.content).toBe(fast);
      expect(rest(data)).toEqual(expected);
    }
  });
});
