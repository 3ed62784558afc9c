// Bodies that are unusual rather than broken: gzip-compressed although we did not ask for it, and
// huge (10 MB) answers, streamed and not. Every provider, through the kernel.
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, ServerError } from '../../core/errors.js';
import { collect, useSharedRig, expectClean, expectOneTerminal, HELLO, startRig, streamOf, textOf, type Rig } from './harness.js';
import { DEFAULT_TEXT, errorStatus, okJson, okStream, PROVIDERS } from './wire.js';

let rig: Rig;
useSharedRig((shared) => (rig = shared));

const MB = 1024 * 1024;

describe.each(PROVIDERS)('%s: gzip', (name) => {
  it('asks for an uncompressed body (accept-encoding: identity), so an SSE stream is never buffered by compression', async () => {
    rig.server.enqueue(okJson(name), okStream(name));
    await rig.backend(name).infer(HELLO);
    await collect(streamOf(rig, name));
    expect(rig.server.requests.map((request) => request.headers['accept-encoding'])).toEqual(['identity', 'identity']);
    await expectClean(rig);
  });

  it('still reads a gzip JSON body from a server that compresses anyway', async () => {
    rig.server.enqueue(okJson(name, DEFAULT_TEXT, { gzip: true }));
    expect((await rig.backend(name).infer(HELLO)).content).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });

  it('still reads a gzip SSE stream, split across writes', async () => {
    rig.server.enqueue(okStream(name, undefined, { gzip: true, writes: [10, 50, 100] }));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });

  it('a body labelled gzip that is not: an InvalidResponseError, not a network error', async () => {
    const plan = okJson(name);
    rig.server.enqueue({ ...plan, headers: { ...plan.headers, 'content-encoding': 'gzip' } });
    const error = await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/does not decompress/);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });

  it('reads the message of a gzip error body', async () => {
    const plan = errorStatus(name, 500);
    rig.server.enqueue(...Array.from({ length: 3 }, () => ({ ...plan, gzip: true })));
    const error = await rig.backend(name).infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toContain('Fault 500');
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: a 10 MB answer', (name) => {
  it('as one JSON body', async () => {
    const text = 'x'.repeat(10 * MB);
    rig.server.enqueue(okJson(name, text));
    const output = await rig.backend(name).infer(HELLO);
    expect(output.content.length).toBe(text.length);
    expect(rig.ledger.summary().calls).toBe(1);
    await expectClean(rig);
  });

  it('as a stream of 10,240 deltas of 1 KB', async () => {
    const pieces = Array.from({ length: 10_240 }, (_unused, index) => String(index % 10).repeat(1024));
    rig.server.enqueue(okStream(name, pieces));
    const stream = streamOf(rig, name);
    const events = await collect(stream);
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events).length).toBe(10 * MB);
    expect((await stream.output()).content.length).toBe(10 * MB);
    await expectClean(rig);
  });

  it('as one 10 MB event', async () => {
    rig.server.enqueue(okStream(name, ['y'.repeat(10 * MB)]));
    const started = performance.now();
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events).length).toBe(10 * MB);
    // A parser that rescans its buffer for every chunk would take minutes here.
    expect(performance.now() - started).toBeLessThan(10_000);
    await expectClean(rig);
  });
});
