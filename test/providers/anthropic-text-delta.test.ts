// The Anthropic stream's fast path for plain text deltas must never answer differently from JSON.parse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainTextDelta } from '../../protocols/anthropic-messages/anthropic-text-delta.js';

const recorded = join(import.meta.dirname, '..', 'fixtures', 'recorded', 'anthropic');

/** What the full path reads from an event's data: the text of a text delta, else undefined. */
function viaJson(data: string): string | undefined {
  try {
    const chunk = JSON.parse(data) as { type?: unknown; delta?: { type?: unknown; text?: unknown } };
    return chunk?.type === 'content_block_delta' && chunk.delta?.type === 'text_delta' && typeof chunk.delta.text === 'string' ? chunk.delta.text : undefined;
  } catch {
    return undefined;
  }
}

function textEvent(text: string, { index = 0, padding = '' } = {}): string {
  return `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}${padding}}`;
}

/** A small deterministic generator, so a failure names a reproducible case. */
function* randomStrings(count: number): Generator<string> {
  let seed = 42;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', '}', '{', ',', ':', 'é', '日本', '🙂', '\u2028', '/', '\r'];
  for (let i = 0; i < count; i += 1) {
    let text = '';
    const length = Math.floor(next() * 12);
    for (let j = 0; j < length; j += 1) text += alphabet[Math.floor(next() * alphabet.length)];
    yield text;
  }
}

describe('plainTextDelta', () => {
  it('reads every text delta of the recorded Anthropic streams exactly as JSON.parse does', () => {
    let read = 0;
    for (const file of ['stream-text.sse', 'stream-thinking-signature-text.sse', 'stream-thinking-then-tool-use.sse', 'stream-tool-use-input-json-delta.sse']) {
      for (const line of readFileSync(join(recorded, file), 'utf8').split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice('data: '.length);
        const fast = plainTextDelta(data);
        if (fast !== undefined) read += 1;
        // Either the same text, or no answer (and the caller parses the JSON).
        expect(fast === undefined || fast === viaJson(data)).toBe(true);
      }
    }
    expect(read).toBeGreaterThan(0);
  });

  it('answers for plain texts at any index with Anthropic\'s padding, and leaves escapes to JSON.parse', () => {
    expect(plainTextDelta(textEvent('Hello'))).toBe('Hello');
    expect(plainTextDelta(textEvent('Hello', { index: 12, padding: '               ' }))).toBe('Hello');
    expect(plainTextDelta(textEvent(''))).toBe('');
    expect(plainTextDelta(textEvent('naïve 日本 🙂'))).toBe('naïve 日本 🙂');
    expect(plainTextDelta(textEvent('line\nbreak'))).toBeUndefined();
    expect(plainTextDelta(textEvent('say "hi"'))).toBeUndefined();
  });

  it('gives no answer for anything that is not exactly a plain text delta', () => {
    const cases = [
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","citations":[]}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}x',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a}}',
      '{"type":"content_block_delta","index":,"delta":{"type":"text_delta","text":"a"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":1}"}}',
      '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}}',
      '{"type":"message_stop"}',
      '{"type": "ping"}',
      '',
    ];
    for (const data of cases) expect(plainTextDelta(data)).toBeUndefined();
  });

  it('never disagrees with JSON.parse on 5,000 generated texts, paddings and cuts', () => {
    for (const text of randomStrings(5000)) {
      const whole = textEvent(text, { padding: text.length % 3 === 0 ? '   ' : '' });
      const fast = plainTextDelta(whole);
      expect(fast === undefined || fast === viaJson(whole)).toBe(true);
      if (fast === undefined) expect(/["\\\u0000-\u001f]/.test(text)).toBe(true);
      // Any cut of the data is no plain text delta, or the same one JSON.parse reads.
      const cut = whole.slice(0, whole.length - 1 - (text.length % 5));
      const fastCut = plainTextDelta(cut);
      expect(fastCut === undefined || fastCut === viaJson(cut)).toBe(true);
    }
  });
});
