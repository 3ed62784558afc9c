// The ConverseStream decoding, in process: AWS event-stream frames → messages → stream events, for
// every split of the recorded bytes, and corrupt frames as typed errors.
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, RateLimitError, ServerError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/types.js';
import { BedrockConverseStreamTransform } from '../../protocols/bedrock-converse/bedrock-converse-stream.js';
import { EventStreamDecoder, loadEventStreamCodec } from '../../protocols/bedrock-converse/event-stream-decoder.js';
import type { EventStreamMessage } from '../../protocols/bedrock-converse/index.js';
import { eventFrame, exceptionFrame, frameStarts, framesFromJsonl, recorded } from './bedrock-event-stream-frames.js';

beforeAll(loadEventStreamCodec);

const RECORDED = ['converse-stream-text.eventstream', 'converse-stream-tool-use.eventstream', 'converse-stream-thinking.eventstream'] as const;

function decodeAll(chunks: readonly Uint8Array[]): EventStreamMessage[] {
  const decoder = new EventStreamDecoder('bedrock');
  const out: EventStreamMessage[] = [];
  for (const chunk of chunks) decoder.push(chunk, out);
  expect(decoder.pendingBytes).toBe(0);
  return out;
}

function transform(chunks: readonly Uint8Array[]): { events: StreamEvent[]; metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = {};
  const stream = new BedrockConverseStreamTransform({ provider: 'bedrock', metadata });
  const events: StreamEvent[] = [];
  for (const chunk of chunks) stream.push(chunk, events);
  stream.end(events);
  return { events, metadata };
}

const summary = (message: EventStreamMessage): string => `${message.headers[':event-type']}|${Buffer.from(message.body).toString('hex')}`;

describe('event-stream framing of the recorded ConverseStream bodies', () => {
  it.each(RECORDED)('%s: every frame decodes, both CRCs checked, with its :event-type', (name) => {
    const messages = decodeAll([recorded(name)]);
    expect(messages.length).toBe(frameStarts(recorded(name)).length);
    expect(messages[0].headers).toMatchObject({ ':event-type': 'messageStart', ':message-type': 'event', ':content-type': 'application/json' });
    expect(messages.at(-1)!.headers[':event-type']).toBe('metadata');
    // The "p" padding field is in every payload (SOURCES.md quirk).
    for (const message of messages) expect(JSON.parse(Buffer.from(message.body).toString('utf8'))).toHaveProperty('p');
  });

  it.each(RECORDED)('%s: split in two at every byte boundary, the same messages (within the frames around the split)', (name) => {
    const bytes = recorded(name);
    const starts = [...frameStarts(bytes), bytes.length];
    const whole = decodeAll([bytes]);
    // The decoder holds no state between frames, so a split inside frame j can change only frame j and
    // what follows it: each split point is checked on frames j and j+1 (the whole 84 KB stream at each
    // of its 84,785 points would decode 7 GB). The full-stream check at every split is the next test.
    let frame = 0;
    for (let split = 1; split < bytes.length; split += 1) {
      while (starts[frame + 1] <= split) frame += 1;
      const from = starts[frame];
      const to = starts[Math.min(frame + 2, starts.length - 1)];
      const got = decodeAll([bytes.subarray(from, split), bytes.subarray(split, to)]);
      expect(got.length, `split at byte ${split}`).toBe(Math.min(2, starts.length - 1 - frame));
      got.forEach((message, i) => {
        const expected = whole[frame + i];
        if (message.headers[':event-type'] !== expected.headers[':event-type'] || !Buffer.from(message.body).equals(Buffer.from(expected.body))) {
          expect.fail(`split at byte ${split}: frame ${frame + i} differs: ${summary(message)} vs ${summary(expected)}`);
        }
      });
    }
  });

  it.each(['converse-stream-text.eventstream', 'converse-stream-tool-use.eventstream'])('%s: the whole stream split at every byte boundary gives the same events', (name) => {
    const bytes = recorded(name);
    const whole = transform([bytes]).events;
    expect(whole.at(-1)!.type).toBe('done');
    for (let split = 1; split < bytes.length; split += 1) {
      expect(transform([bytes.subarray(0, split), bytes.subarray(split)]).events, `split at byte ${split}`).toEqual(whole);
    }
  });

  it('converse-stream-thinking.eventstream: the whole stream split at every frame boundary and every 997th byte (the framing at every byte is the test above) gives the same events', () => {
    const bytes = recorded('converse-stream-thinking.eventstream');
    const whole = JSON.stringify(transform([bytes]).events);
    const splits = new Set<number>();
    for (const start of frameStarts(bytes)) splits.add(start);
    for (let split = 1; split < bytes.length; split += 997) splits.add(split);
    for (const split of splits) {
      if (split <= 0 || split >= bytes.length) continue;
      if (JSON.stringify(transform([bytes.subarray(0, split), bytes.subarray(split)]).events) !== whole) expect.fail(`split at byte ${split} changed the events`);
    }
  });

  it('one byte at a time gives the same events as one chunk', () => {
    for (const name of RECORDED) {
      const bytes = recorded(name);
      const ones = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(transform(ones).events).toEqual(transform([bytes]).events);
    }
  });
});

describe('corrupt frames are a typed InvalidResponseError, after the good frames before them', () => {
  it('a flipped payload byte fails the message CRC', () => {
    const bytes = Buffer.from(recorded('converse-stream-text.eventstream'));
    const second = frameStarts(bytes)[1];
    bytes[second + 40] ^= 0x01;
    const { events } = transform([bytes]);
    const error = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(error.type).toBe('error');
    expect(error.error).toBeInstanceOf(InvalidResponseError);
    expect(error.error.message).toMatch(/message checksum does not match.*Retry the request/);
    expect(error.error.retryable).toBe(true);
    // The first frame (messageStart) was good and nothing after the bad one was used.
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
  });

  it('a flipped length byte fails the prelude CRC at once, without waiting for the bytes it claims', () => {
    const bytes = Buffer.from(recorded('converse-stream-text.eventstream'));
    const third = frameStarts(bytes)[2];
    bytes[third + 1] ^= 0x40;
    const decoder = new EventStreamDecoder('bedrock');
    const out: EventStreamMessage[] = [];
    expect(() => decoder.push(bytes.subarray(0, third + 12), out)).toThrow(/prelude checksum does not match/);
    expect(out).toHaveLength(2);
    const { events } = transform([bytes]);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'Sure' }]);
    expect((events.at(-1) as Extract<StreamEvent, { type: 'error' }>).error).toBeInstanceOf(InvalidResponseError);
  });

  it('a prelude with a valid CRC but impossible lengths', () => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(8, 0);
    prelude.writeUInt32BE(0, 4);
    prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
    expect(() => new EventStreamDecoder('bedrock').push(prelude, [])).toThrow(/impossible lengths \(8 bytes/);
  });

  it('a wire cut inside a frame, and one cut before messageStop, end in a retryable error naming it', () => {
    const bytes = recorded('converse-stream-text.eventstream');
    const cut = transform([bytes.subarray(0, frameStarts(bytes)[3] + 5)]).events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(cut.error.message).toMatch(/in the middle of a frame \(5 bytes of it arrived\)/);
    expect(cut.error.retryable).toBe(true);
    const early = transform([bytes.subarray(0, frameStarts(bytes)[3])]).events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(early.error.message).toMatch(/before messageStop/);
  });
});

describe('ConverseStream events → stream events', () => {
  it('text: deltas, done at metadata (after messageStop) with its usage', () => {
    const { events, metadata } = transform([recorded('converse-stream-text.eventstream')]);
    expect(events.filter((event) => event.type === 'text-delta').map((event) => (event as { text: string }).text).join('')).toMatch(/^Sure! Here is/);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop', tokenUsage: { promptTokens: 53, completionTokens: 21, totalTokens: 74 } });
    expect(metadata).toMatchObject({ rawFinishReason: 'end_turn', latencyMs: 481 });
  });

  it('tool use: start with id and name, the input as one string fragment, end with parsed arguments', () => {
    const { events } = transform([recorded('converse-stream-tool-use.eventstream')]);
    expect(events.slice(0, 3)).toEqual([
      { type: 'tool-call-start', id: 'tooluse_hsyz7O0QqkhdTHrpQhVYXj', name: 'weather', index: 0 },
      { type: 'tool-call-delta', id: 'tooluse_hsyz7O0QqkhdTHrpQhVYXj', argumentsDelta: '{"latitude":"52.5200","longitude":"13.4050"}' },
      {
        type: 'tool-call-end',
        id: 'tooluse_hsyz7O0QqkhdTHrpQhVYXj',
        toolCall: { id: 'tooluse_hsyz7O0QqkhdTHrpQhVYXj', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool-calls', tokenUsage: { promptTokens: 986, completionTokens: 42 } });
  });

  it('thinking: reasoning deltas, then one signature, then text', () => {
    const { events } = transform([recorded('converse-stream-thinking.eventstream')]);
    const types = events.map((event) => event.type);
    const signatures = events.filter((event) => event.type === 'reasoning-signature');
    expect(signatures).toHaveLength(1);
    expect(types.lastIndexOf('reasoning-delta')).toBeLessThan(types.indexOf('reasoning-signature'));
    expect(types.indexOf('reasoning-signature')).toBeLessThan(types.indexOf('text-delta'));
    expect(events.at(-1)).toMatchObject({ type: 'done', tokenUsage: { promptTokens: 80, completionTokens: 1113 } });
  });

  it('hand-made: the vercel/ai decoded Claude stream framed again, stopReason end_turn and additionalModelResponseFields kept', () => {
    const { events, metadata } = transform([framesFromJsonl('converse-stream-text.events.jsonl')]);
    expect(events.filter((event) => event.type === 'text-delta').map((event) => (event as { text: string }).text).join('')).toContain('There are **3** r');
    expect(metadata.additionalModelResponseFields).toEqual({ delta: { stop_sequence: null } });
    expect(events.at(-1)).toMatchObject({ type: 'done', tokenUsage: { promptTokens: 22, completionTokens: 55 } });
  });

  it('hand-made: cache reads and writes in metadata are parts of promptTokens, counted once', () => {
    const bytes = Buffer.concat([
      eventFrame('messageStart', { role: 'assistant' }),
      eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'ok' } }),
      eventFrame('messageStop', { stopReason: 'end_turn' }),
      eventFrame('metadata', { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 2015, cacheReadInputTokens: 1500, cacheReadInputTokenCount: 1500, cacheWriteInputTokens: 500, cacheWriteInputTokenCount: 500 } }),
    ]);
    expect(transform([bytes]).events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'stop',
      tokenUsage: { promptTokens: 2010, completionTokens: 5, totalTokens: 2015, cachedTokens: 1500, cacheWriteTokens: 500 },
    });
  });

  it('hand-made: a guardrail stop is content-filter, with the trace in metadata', () => {
    const { events, metadata } = transform([
      Buffer.concat([
        eventFrame('messageStart', { role: 'assistant' }),
        eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Sorry, the model cannot answer this question.' } }),
        eventFrame('messageStop', { stopReason: 'guardrail_intervened' }),
        eventFrame('metadata', { usage: { inputTokens: 9, outputTokens: 0, totalTokens: 9 }, trace: { guardrail: { inputAssessment: { g1: { contentPolicy: { filters: [{ type: 'VIOLENCE', action: 'BLOCKED' }] } } } } } }),
      ]),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'content-filter' });
    expect(metadata.rawFinishReason).toBe('guardrail_intervened');
    expect(metadata.trace).toHaveProperty('guardrail.inputAssessment');
  });

  it('hand-made: an exception frame mid-stream is the error it names (throttlingException → RateLimitError)', () => {
    const { events } = transform([
      Buffer.concat([eventFrame('messageStart', { role: 'assistant' }), eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }), exceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.')]),
    ]);
    const error = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(error.error).toBeInstanceOf(RateLimitError);
    expect(error.error.providerCode).toBe('throttlingException');
    expect(error.error.message).toMatch(/sent an exception mid-stream \(throttlingException\): Too many tokens/);
    const model = transform([exceptionFrame('modelStreamErrorException', 'The model failed.')]).events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(model.error).toBeInstanceOf(ServerError);
    expect(model.error.retryable).toBe(true);
  });

  it('hand-made: redacted reasoning arrives as reasoning-redacted and goes back as redactedContent', async () => {
    const { events } = transform([
      Buffer.concat([
        eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'RVFBQkFBQQ==' } } }),
        eventFrame('contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'ok' } }),
        eventFrame('messageStop', { stopReason: 'end_turn' }),
        eventFrame('metadata', { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }),
      ]),
    ]);
    expect(events[0]).toEqual({ type: 'reasoning-redacted', data: 'RVFBQkFBQQ==' });
    const { convertToBedrockConverseMessages } = await import('../../protocols/bedrock-converse/index.js');
    const prompt = convertToBedrockConverseMessages([{ role: 'assistant', content: 'ok', reasoning: [{ text: '', redactedData: 'RVFBQkFBQQ==' }, { text: 'unsigned' }] }], 'bedrock');
    expect(prompt.messages[0].content).toEqual([{ reasoningContent: { redactedContent: 'RVFBQkFBQQ==' } }, { text: 'ok' }]);
    expect(prompt.warnings).toEqual([expect.stringMatching(/without a signature was not sent back/)]);
  });

  it('hand-made: messageStop without metadata finishes with unknown usage and a warning', () => {
    const { events, metadata } = transform([Buffer.concat([eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'a' } }), eventFrame('messageStop', { stopReason: 'max_tokens' })])]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'length', tokenUsage: { promptTokens: 0, completionTokens: 0 } });
    expect(String(metadata.warnings)).toMatch(/without its metadata event/);
  });
});
