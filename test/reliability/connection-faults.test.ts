// Connections that break: reset (RST) or closed (FIN) before the headers, right after them and in
// the middle of the body; servers that stall before the first byte or between two events. Every
// provider, through the kernel with retry, rate-limit and cost.
import { describe, expect, it } from 'vitest';
import { ErrorCode, NetworkError, TimeoutError } from '../../core/errors.js';
import { collect, useSharedRig, expectClean, expectOneTerminal, HELLO, startRig, streamOf, textOf, type Rig } from './harness.js';
import { blockOffset, DEFAULT_PIECES, DEFAULT_TEXT, okJson, okStream, PROMPT_TOKENS, PROVIDERS, streamBlocks } from './wire.js';

let rig: Rig;
useSharedRig((shared) => (rig = shared));

const attempts = (): number => rig.notices.filter((notice) => notice.type === 'attempt-start').length;

describe.each(PROVIDERS)('%s: the connection breaks before the answer starts', (name) => {
  it.each(['reset', 'close'] as const)('before the headers (%s): retried, then the call succeeds', async (how) => {
    rig.server.enqueue({ cut: { at: 'before-headers', how } }, okJson(name));
    expect((await rig.backend(name).infer(HELLO)).content).toBe(DEFAULT_TEXT);
    expect(attempts()).toBe(2);
    rig.server.enqueue({ cut: { at: 'before-headers', how } }, okStream(name));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    expect(rig.ledger.summary().calls).toBe(2);
    await expectClean(rig);
  });

  it('before the headers every time: a retryable NetworkError after maxRetries', async () => {
    rig.server.enqueue(...Array.from({ length: 3 }, () => ({ cut: { at: 'before-headers' as const } })));
    const error = await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ retryable: true });
    expect(rig.server.requests).toHaveLength(3);
    // Each attempt reached the upstream and was cut off before any usage: one call, charged its estimated prompts.
    expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 1, tokens: { output: 0 } });
    expect(rig.ledger.summary().tokens.input).toBeGreaterThan(0);
    await expectClean(rig);
  });

  it('right after the headers: a stream that has shown nothing yet is retried', async () => {
    rig.server.enqueue({ ...okStream(name), cut: { at: 'after-headers' } }, okStream(name));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    expect(rig.server.requests).toHaveLength(2);
    await expectClean(rig);
  });

  it('in the middle of a JSON body: retried, then the call succeeds', async () => {
    rig.server.enqueue({ ...okJson(name), cut: { at: 40 } }, okJson(name));
    expect((await rig.backend(name).infer(HELLO)).content).toBe(DEFAULT_TEXT);
    expect(rig.server.requests).toHaveLength(2);
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: the connection breaks mid-stream', (name) => {
  it.each(['reset', 'close'] as const)('(%s) after two deltas: those deltas, then one NetworkError, no retry', async (how) => {
    const plan = okStream(name);
    const cutAt = blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[2]));
    rig.server.enqueue({ ...plan, cut: { at: cutAt, how } });
    const stream = streamOf(rig, name);
    const events = await collect(stream);
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(NetworkError);
    expect(textOf(events)).toBe(DEFAULT_PIECES.slice(0, 2).join(''));
    await expect(stream.output()).rejects.toBeInstanceOf(NetworkError);
    expect(rig.server.requests).toHaveLength(1);
    const summary = rig.ledger.summary();
    if (name === 'anthropic') {
      // message_start had already reported the input tokens: they are charged, marked partial.
      expect(summary).toMatchObject({ calls: 1, partialCalls: 1, tokens: { input: PROMPT_TOKENS } });
      expect(summary.totalUsd).toBeGreaterThan(0);
    } else {
      // Chat Completions and Responses report usage only at the end: the prompt the upstream read is estimated.
      expect(summary).toMatchObject({ calls: 1, partialCalls: 1, tokens: { output: 0 } });
      expect(summary.tokens.input).toBeGreaterThan(0);
    }
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: a server that stalls', (name) => {
  it('before the first byte: the attempt times out, is retried, and the retry succeeds', async () => {
    rig.server.enqueue({ stallBeforeHeaders: 'forever' }, okJson(name));
    const started = performance.now();
    expect((await rig.backend(name).infer(HELLO, [], { timeoutMs: 150 })).content).toBe(DEFAULT_TEXT);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(rig.notices.find((notice) => notice.type === 'retry')).toMatchObject({ error: { code: ErrorCode.TIMEOUT } });
    rig.server.enqueue({ stallBeforeHeaders: 'forever' }, okStream(name));
    const events = await collect(streamOf(rig, name, { timeoutMs: 150 }));
    expect(expectOneTerminal(events).type).toBe('done');
    await expectClean(rig);
  });

  it('before the first byte every time: a TimeoutError after maxRetries', async () => {
    rig.server.enqueue(...Array.from({ length: 3 }, () => ({ stallBeforeHeaders: 'forever' as const })));
    const error = await rig.backend(name).infer(HELLO, [], { timeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(rig.server.requests).toHaveLength(3);
    await expectClean(rig);
  });

  it('between two events: the deltas so far, then one TimeoutError', async () => {
    const plan = okStream(name);
    const stallAt = blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[1]));
    rig.server.enqueue({ ...plan, stall: { afterBytes: stallAt, ms: 'forever' } });
    const events = await collect(streamOf(rig, name, { timeoutMs: 300 }));
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(TimeoutError);
    expect(textOf(events)).toBe(DEFAULT_PIECES[0]);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });

  it('between two events for less than the timeout: the stream just continues', async () => {
    const blocks = streamBlocks(name, DEFAULT_PIECES);
    const plan = okStream(name);
    rig.server.enqueue({ ...plan, stall: { afterBytes: Buffer.byteLength(blocks.slice(0, 2).join('')), ms: 50 } });
    const events = await collect(streamOf(rig, name, { timeoutMs: 5_000 }));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });
});
