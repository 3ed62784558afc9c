// How OpenAI-style streams end: early break, abort, dropped connections, malformed lines, servers
// without `data: [DONE]`. Every stream ends with exactly one `done` or `error`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, InvalidResponseError, NetworkError, ToolArgumentsError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { LLMMessage, StreamEvent } from '../../core/types.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { OpenAICompatibleProvider } from '../../plugins/openai-compatible/index.js';
import { ReplayServer } from '../replay-server.js';
import { collect, errorOf, expectOneTerminal, FAKE_OPENAI_KEY, fixtureText, reasoningOf, textOf } from './openai-style-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const PATH = '/v1/chat/completions';
const TEXT_STREAM = 'openai/chat-stream-text-include-usage.sse';

let server: ReplayServer;
let openai: OpenAIProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  openai = new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1` });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const sse = (...chunks: readonly (object | string)[]): string =>
  chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`).join('');

describe('breaking out of the loop early', () => {
  afterEach(async () => {
    await closeAllPools();
  });

  it('closes the request: the server sees the client hang up mid-response', async () => {
    const local = await new ReplayServer().start();
    try {
      const backend = new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${local.baseURL}/v1` });
      // 5214 bytes in 100-byte writes 20 ms apart: over a second still to send when we leave.
      local.enqueue(PATH, { fixture: TEXT_STREAM, chunkSize: 100, delayMs: 20 });
      const seen: StreamEvent[] = [];
      for await (const event of backend.inferStream(HELLO)) {
        seen.push(event);
        expect(local.hangUps).toEqual([]);
        break;
      }
      expect(seen).toHaveLength(1);
      await expect.poll(() => local.hangUps, { timeout: 2000, interval: 10 }).toEqual([PATH]);
    } finally {
      await local.stop();
    }
  });

  it('output() after an early break rejects instead of returning a partial answer', async () => {
    server.enqueue(PATH, { fixture: TEXT_STREAM, chunkSize: 200, delayMs: 5 });
    const stream = openai.inferStream(HELLO);
    for await (const event of stream) {
      expect(event.type).toBe('text-delta');
      break;
    }
    await expect(stream.output()).rejects.toBeInstanceOf(AbortError);
  });
});

describe('aborting via the signal', () => {
  it('mid-stream: one AbortError event, and output() rejects with AbortError', async () => {
    server.enqueue(PATH, { fixture: TEXT_STREAM, chunkSize: 1000, delayMs: 300 });
    const controller = new AbortController();
    const stream = openai.inferStream(HELLO, [], { signal: controller.signal });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (events.length === 1) controller.abort();
    }
    expect(errorOf(events)).toBeInstanceOf(AbortError);
    await expect(stream.output()).rejects.toBeInstanceOf(AbortError);
  });

  it('infer rejects with AbortError while waiting for the answer', async () => {
    server.enqueue(PATH, { fixture: 'openai/chat-completion-text.json', chunkSize: 100, delayMs: 200 });
    const controller = new AbortController();
    const pending = openai.infer(HELLO, [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it('already aborted: one AbortError event and nothing is sent', async () => {
    const before = server.requests.length;
    const events = await collect(openai.inferStream(HELLO, [], { signal: AbortSignal.abort() }));
    expect(events).toHaveLength(1);
    expect(errorOf(events)).toBeInstanceOf(AbortError);
    await expect(openai.infer(HELLO, [], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests.length).toBe(before);
  });
});

describe('a dropped connection (ReplayServer truncateAt)', () => {
  const body = fixtureText(TEXT_STREAM);

  it('mid-answer: the text so far, then one error event', async () => {
    // Cut inside the chunk that carries "3".
    server.enqueue(PATH, { fixture: TEXT_STREAM, truncateAt: body.indexOf('"content":"3"') + 5 });
    const stream = openai.inferStream(HELLO);
    const events = await collect(stream);
    expect(textOf(events)).toBe('1, 2, ');
    const error = errorOf(events);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/stream was cut off after \d+ chunk\(s\), before it finished/);
    expect(expectOneTerminal(events)).toMatchObject({ type: 'error', tokenUsage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } });
    await expect(stream.output()).rejects.toBe(error);
  });

  it('after the usage chunk but before [DONE]: the error carries the usage seen so far', async () => {
    server.enqueue(PATH, { fixture: TEXT_STREAM, truncateAt: body.indexOf('data: [DONE]') });
    const events = await collect(openai.inferStream(HELLO));
    expect(textOf(events)).toBe('1, 2, 3, 4, 5');
    const terminal = expectOneTerminal(events);
    expect(terminal.type).toBe('error');
    expect(terminal).toMatchObject({ tokenUsage: { promptTokens: 14, completionTokens: 13, totalTokens: 27, cachedTokens: 0, reasoningTokens: 0 } });
  });

  it('a body that ends cleanly before any finish_reason is an error, not a short answer', async () => {
    server.enqueue(PATH, { body: sse({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }), headers: { 'content-type': 'text/event-stream' } });
    const events = await collect(openai.inferStream(HELLO));
    expect(textOf(events)).toBe('Hel');
    const error = errorOf(events);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/without a finish_reason or \[DONE\]/);
  });
});

describe('malformed stream data', () => {
  it('a data line that is not JSON ends the stream with one InvalidResponseError event', async () => {
    const body = sse({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] }, '{"choices": [', '[DONE]');
    server.enqueue(PATH, { body, headers: { 'content-type': 'text/event-stream' } });
    const stream = openai.inferStream(HELLO);
    const events = await collect(stream);
    expect(textOf(events)).toBe('Hi');
    const error = errorOf(events);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/not JSON: \{"choices": \[/);
    await expect(stream.output()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('tool-call arguments that never parse end the stream with a ToolArgumentsError naming the tool', async () => {
    const body = sse(
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'lookup', arguments: '{"q": ' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      '[DONE]',
    );
    server.enqueue(PATH, { body, headers: { 'content-type': 'text/event-stream' } });
    const error = errorOf(await collect(openai.inferStream(HELLO)));
    expect(error).toBeInstanceOf(ToolArgumentsError);
    expect(error.message).toMatch(/tool "lookup" \(id call_x\)/);
  });
});

describe('servers that send no data: [DONE]', () => {
  // Modelled on the GPUStack/llama-box habits SOURCES.md lists (no recording of them is in the fixtures):
  // `delta.reasoning_content`, usage attached to the finish_reason chunk plus timing extras, and no [DONE].
  const llamaBox = sse(
    { id: 'chatcmpl-lb1', object: 'chat.completion.chunk', model: 'qwen3-8b', choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Think' }, finish_reason: null }] },
    { id: 'chatcmpl-lb1', object: 'chat.completion.chunk', model: 'qwen3-8b', choices: [{ index: 0, delta: { reasoning_content: 'ing.' }, finish_reason: null }] },
    { id: 'chatcmpl-lb1', object: 'chat.completion.chunk', model: 'qwen3-8b', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] },
    {
      id: 'chatcmpl-lb1',
      object: 'chat.completion.chunk',
      model: 'qwen3-8b',
      choices: [{ index: 0, delta: { content: '!' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, draft_tokens: 0, tokens_per_second: 41.2 },
      timings: { prompt_ms: 12.5, predicted_ms: 97.1 },
    },
  );

  it('end cleanly once a finish_reason was seen, with reasoning_content and the usage of the finish chunk', async () => {
    const local = new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'qwen3-8b' });
    server.enqueue(PATH, { body: llamaBox, headers: { 'content-type': 'text/event-stream' }, chunkSize: 7 });
    const events = await collect(local.inferStream(HELLO));
    expect(reasoningOf(events)).toBe('Thinking.');
    expect(textOf(events)).toBe('Hi!');
    expect(expectOneTerminal(events)).toEqual({ type: 'done', tokenUsage: { promptTokens: 9, completionTokens: 4, totalTokens: 13 }, finishReason: 'stop' });
  });
});

describe('logprobs', () => {
  // Hand-made bodies (no recording with logprobs is among the fixtures): two tokens at p=0.5 and p=1.
  const logprobs = { content: [{ token: 'Hi', logprob: Math.log(0.5) }, { token: '!', logprob: 0 }] };

  it('confidence is the mean token probability on infer', async () => {
    const body = JSON.stringify({ id: 'x', model: 'gpt-4o', choices: [{ index: 0, message: { content: 'Hi!' }, logprobs, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    server.enqueue(PATH, { body, headers: { 'content-type': 'application/json' } });
    const output = await openai.withModel('gpt-4o').infer(HELLO, [], { logprobs: true });
    expect(output.confidence).toBeCloseTo(0.75, 12);
    expect(server.requests[server.requests.length - 1].body).toMatchObject({ logprobs: true });
  });

  it('and on a stream, from the logprobs of every chunk', async () => {
    const body = sse(
      { choices: [{ index: 0, delta: { content: 'Hi' }, logprobs: { content: [logprobs.content[0]] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '!' }, logprobs: { content: [logprobs.content[1]] }, finish_reason: 'stop' }] },
      '[DONE]',
    );
    server.enqueue(PATH, { body, headers: { 'content-type': 'text/event-stream' } });
    const output = await openai.withModel('gpt-4o').inferStream(HELLO, [], { logprobs: true }).output();
    expect(output.content).toBe('Hi!');
    expect(output.confidence).toBeCloseTo(0.75, 12);
  });

  it('is 1 when no logprobs come back', async () => {
    server.enqueue(PATH, { fixture: 'openai/chat-completion-text.json' });
    expect((await openai.infer(HELLO)).confidence).toBe(1);
  });
});
