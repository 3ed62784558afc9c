// Streams whose content is wrong: malformed JSON in an event, a body that ends before `[DONE]` or
// `message_stop`, an error event inside an HTTP 200, and events split across TCP writes at every
// byte offset (multi-byte characters included). Every provider, through the kernel.
import { describe, expect, it } from 'vitest';
import { ErrorCode, InvalidResponseError, OverloadedError, ServerError, ToolArgumentsError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/types.js';
import { collect, useSharedRig, expectClean, expectOneTerminal, startRig, streamOf, textOf, type Rig } from './harness.js';
import {
  blockOffset,
  COMPLETION_TOKENS,
  DEFAULT_PIECES,
  DEFAULT_TEXT,
  endMarker,
  familyOf,
  firstTextBlock,
  okStream,
  OPENROUTER_REPORTED_COST,
  PROMPT_TOKENS,
  PROVIDERS,
  SSE_HEADERS,
  sseBody,
  streamBlocks,
  streamErrorEvent,
  TOOL_FRAGMENTS,
  toolStreamBlocks,
} from './wire.js';

let rig: Rig;
useSharedRig((shared) => (rig = shared));

/** A stream body whose block `index` is replaced by `replacement`. */
function withBlock(name: (typeof PROVIDERS)[number], index: number, replacement: string): string {
  const blocks = streamBlocks(name, DEFAULT_PIECES);
  blocks[index] = replacement;
  return blocks.join('');
}


describe.each(PROVIDERS)('%s: malformed JSON in an event', (name) => {
  const broken = {
    anthropic: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n',
    responses: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hel\n\n',
    chat: 'data: {"choices":[{"index":0,"delta":{"content":"Hel\n\n',
  }[familyOf(name)];

  it('after a delta: that delta, then one InvalidResponseError naming the data, no retry', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body: withBlock(name, firstTextBlock(name) + 1, broken) });
    const events = await collect(streamOf(rig, name));
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(InvalidResponseError);
    expect(terminal.type === 'error' && terminal.error.message).toMatch(/not (a )?JSON/);
    expect(textOf(events)).toBe(DEFAULT_PIECES[0]);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });

  it('as the first event: one error event, not retried (a retry would get the same bytes)', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body: withBlock(name, firstTextBlock(name), broken) });
    const events = await collect(streamOf(rig, name));
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error.code).toBe(ErrorCode.INVALID_RESPONSE);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: a body that ends early', (name) => {
  it(`cut right before ${endMarker(name)}`, async () => {
    const plan = okStream(name);
    rig.server.enqueue({ ...plan, body: (plan.body as string).slice(0, blockOffset(plan.body as string, endMarker(name))) });
    const stream = streamOf(rig, name);
    const events = await collect(stream);
    const terminal = expectOneTerminal(events);
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    const usage = { promptTokens: PROMPT_TOKENS, completionTokens: COMPLETION_TOKENS };
    if (name === 'anthropic') {
      // No message_stop: incomplete, but the usage of message_delta is kept and charged as partial.
      expect(terminal.type === 'error' && terminal.error).toMatchObject({ code: ErrorCode.INVALID_RESPONSE, retryable: true });
      expect(terminal.type === 'error' && terminal.tokenUsage).toMatchObject(usage);
      expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 1 });
    } else if (familyOf(name) === 'responses') {
      // Usage arrives only with response.completed: incomplete, and charged the estimated prompt the provider read.
      expect(terminal.type === 'error' && terminal.error).toMatchObject({ code: ErrorCode.INVALID_RESPONSE, retryable: true });
      expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 1, tokens: { output: 0 } });
      expect(rig.ledger.summary().tokens.input).toBeGreaterThan(0);
    } else {
      // finish_reason and usage arrived: servers that never send [DONE] (llama.cpp) end this way.
      expect(terminal).toMatchObject({ type: 'done', finishReason: 'stop', tokenUsage: usage });
      expect((await stream.output()).content).toBe(DEFAULT_TEXT);
      expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 0 });
    }
    await expectClean(rig);
  });

  it('cut after the first delta, cleanly (no reset): one retryable InvalidResponseError, no retry after a delta', async () => {
    const plan = okStream(name);
    const body = (plan.body as string).slice(0, blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[1])));
    rig.server.enqueue({ ...plan, body });
    const events = await collect(streamOf(rig, name));
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toMatchObject({ code: ErrorCode.INVALID_RESPONSE, retryable: true });
    expect(textOf(events)).toBe(DEFAULT_PIECES[0]);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });

  it('an empty 200 body is retried (nothing was shown), then the retry succeeds', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body: '' }, okStream(name));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(rig.server.requests).toHaveLength(2);
    await expectClean(rig);
  });
});

describe.each(PROVIDERS)('%s: an HTTP 200 carrying an error event', (name) => {
  const ErrorClass = name === 'anthropic' ? OverloadedError : ServerError;

  it('after deltas: those deltas, then the typed error, no retry', async () => {
    rig.server.enqueue(streamErrorEvent(name, DEFAULT_PIECES.slice(0, 2)));
    const stream = streamOf(rig, name);
    const events = await collect(stream);
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(ErrorClass);
    expect(textOf(events)).toBe(DEFAULT_PIECES.slice(0, 2).join(''));
    await expect(stream.output()).rejects.toBeInstanceOf(ErrorClass);
    expect(rig.server.requests).toHaveLength(1);
    await expectClean(rig);
  });

  it('as the first event: retried like the HTTP status it stands for, then the retry succeeds', async () => {
    rig.server.enqueue(streamErrorEvent(name), okStream(name));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    expect(rig.server.requests).toHaveLength(2);
    await expectClean(rig);
  });

  if (name === 'openrouter') {
    it('with usage and cost in the same chunk (recorded OpenRouter quirk): the reported cost is charged as partial', async () => {
      rig.server.enqueue(streamErrorEvent(name, DEFAULT_PIECES.slice(0, 1), true));
      const events = await collect(streamOf(rig, name));
      const terminal = expectOneTerminal(events);
      expect(terminal.type === 'error' && terminal.tokenUsage).toMatchObject({ promptTokens: PROMPT_TOKENS, reportedCostUsd: OPENROUTER_REPORTED_COST });
      expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 1, totalUsd: OPENROUTER_REPORTED_COST });
      await expectClean(rig);
    });
  }
});

describe.each(PROVIDERS)('%s: events split across TCP writes', (name) => {
  it('at every byte offset of the event holding a multi-byte character', async () => {
    const plan = okStream(name);
    const body = plan.body as string;
    const start = blockOffset(body, JSON.stringify(DEFAULT_PIECES[1]));
    const end = blockOffset(body, JSON.stringify(DEFAULT_PIECES[2]));
    expect(end - start).toBeGreaterThan(40);
    for (let offset = start + 1; offset < end; offset += 1) {
      rig.server.enqueue({ ...plan, writes: [offset] });
      const events = await collect(streamOf(rig, name));
      expect(expectOneTerminal(events).type, `split at byte ${offset}`).toBe('done');
      expect(textOf(events), `split at byte ${offset}`).toBe(DEFAULT_TEXT);
    }
    expect(rig.server.requests).toHaveLength(end - start - 1);
    await expectClean(rig);
  });

  it('one byte per write for the whole body', async () => {
    rig.server.enqueue(okStream(name, DEFAULT_PIECES, { writes: 'each-byte' }));
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });

  it('with CRLF line endings and comment lines, split at every block boundary', async () => {
    const blocks = streamBlocks(name, DEFAULT_PIECES).map((block) => `: keep-alive\r\n${block.replace(/\n/g, '\r\n')}`);
    const offsets = blocks.map((_block, index) => Buffer.byteLength(blocks.slice(0, index).join('')));
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body: blocks.join(''), writes: offsets });
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('done');
    expect(textOf(events)).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });
});

describe('the SSE body helper', () => {
  it('writes event/data pairs and bare data lines', () => {
    expect(sseBody([{ event: 'ping', data: { type: 'ping' } }, '[DONE]'])).toBe('event: ping\ndata: {"type":"ping"}\n\ndata: [DONE]\n\n');
  });
});

describe.each(PROVIDERS)('%s: a streamed tool call under faults', (name) => {
  const body = toolStreamBlocks(name, TOOL_FRAGMENTS).join('');
  const toolCalls = (events: readonly StreamEvent[]) => events.flatMap((event) => (event.type === 'tool-call-end' ? [event.toolCall] : []));

  it('written one byte at a time: the call assembles with its parsed arguments', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body, writes: 'each-byte' });
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
    expect(toolCalls(events)).toEqual([expect.objectContaining({ name: 'get_weather', arguments: { city: 'Paris', unit: '°C' } })]);
    await expectClean(rig);
  });

  it('cut after the first argument fragment: one error event and no half-made call', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body, cut: { at: blockOffset(body, JSON.stringify(TOOL_FRAGMENTS[1]).slice(1, -1)) } });
    const events = await collect(streamOf(rig, name));
    expect(expectOneTerminal(events).type).toBe('error');
    expect(toolCalls(events)).toEqual([]);
    await expectClean(rig);
  });

  it('arguments that are not JSON: a ToolArgumentsError with the raw text, not a crash', async () => {
    rig.server.enqueue({ status: 200, headers: SSE_HEADERS, body: toolStreamBlocks(name, ['{"city": Par', 'is}']).join('') });
    const events = await collect(streamOf(rig, name));
    const terminal = expectOneTerminal(events);
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(ToolArgumentsError);
    expect(terminal.type === 'error' && (terminal.error as ToolArgumentsError).rawArguments).toBe('{"city": Paris}');
    expect(toolCalls(events)).toEqual([]);
    await expectClean(rig);
  });
});
