// The two writers of Anthropic SSE: the encoder (our events → Anthropic's, for translated backends
// and reviewed tool calls) and the raw relay (the upstream's own events, renumbered around the
// tool_use blocks the kernel's review replaced).
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/types.js';
import { AnthropicEventEncoder } from '../../protocols/anthropic-messages/index.js';
import { AnthropicRawRelay } from '../../server/anthropic-raw-relay.js';
import { weatherCall } from './helpers.js';

const identity = { id: 'msg_1', model: 'gpt' };

function encodeAll(events: StreamEvent[]): { event: string; data: Record<string, unknown> }[] {
  const encoder = new AnthropicEventEncoder(identity);
  return [encoder.start(), ...events.flatMap((event) => (event.type === 'done' ? encoder.finish(event.finishReason, event.tokenUsage) : encoder.encode(event)))];
}

describe('AnthropicEventEncoder', () => {
  it('opens a block per kind, in order, numbered from 0, with the signature on its thinking block', () => {
    const out = encodeAll([
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'reasoning-signature', signature: 'sig' },
      { type: 'reasoning-delta', text: 'Again' },
      { type: 'text-delta', text: 'Hi' },
      { type: 'tool-call-start', id: weatherCall.id, name: weatherCall.name, index: 7 },
      { type: 'tool-call-delta', id: weatherCall.id, argumentsDelta: '{"city": "Paris"}' },
      { type: 'tool-call-end', id: weatherCall.id, toolCall: weatherCall },
      { type: 'done', finishReason: 'tool-calls', tokenUsage: { promptTokens: 100, completionTokens: 5, totalTokens: 105, cachedTokens: 60 } },
    ]);
    expect(out.map((item) => `${item.event}${'index' in item.data ? `#${String(item.data.index)}` : ''}`)).toEqual([
      'message_start',
      'content_block_start#0', 'content_block_delta#0', 'content_block_delta#0', 'content_block_stop#0',
      'content_block_start#1', 'content_block_delta#1', 'content_block_stop#1',
      'content_block_start#2', 'content_block_delta#2', 'content_block_stop#2',
      'content_block_start#3', 'content_block_delta#3', 'content_block_stop#3',
      'message_delta', 'message_stop',
    ]);
    expect(out[3].data.delta).toEqual({ type: 'signature_delta', signature: 'sig' });
    expect(out[12].data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"city": "Paris"}' });
    expect(out[14].data).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 5 } });
  });

  it('sends a call announced only at its end whole, never as input: {}', () => {
    const out = encodeAll([{ type: 'tool-call-end', id: weatherCall.id, toolCall: weatherCall }]);
    expect(out.map((item) => item.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop']);
    expect(out[2].data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"city":"Paris"}' });
  });
});

describe('AnthropicRawRelay', () => {
  const sse = (data: Record<string, unknown>) => ({ event: String(data.type), data: JSON.stringify(data) });
  const upstream = [
    sse({ type: 'message_start', message: { id: 'msg_u' } }),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'rm', input: {} } }),
    sse({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } }),
    sse({ type: 'content_block_stop', index: 0 }),
    sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
    sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'after' } }),
    sse({ type: 'content_block_stop', index: 1 }),
    sse({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } }),
    sse({ type: 'message_stop' }),
  ];

  it('relays every byte when no plugin reviews tool calls, holding the closing events for done', () => {
    const relay = new AnthropicRawRelay(false, new AnthropicEventEncoder(identity));
    const now = relay.relay(upstream);
    expect(now.map((item) => item.data)).toEqual(upstream.slice(0, 7).map((item) => item.data));
    expect(relay.finish('tool-calls').map((item) => item.data)).toEqual(upstream.slice(7).map((item) => item.data));
  });

  it('leaves out a tool_use block the review denied and renumbers the blocks after it', () => {
    const relay = new AnthropicRawRelay(true, new AnthropicEventEncoder(identity));
    const now = relay.relay(upstream);
    expect(now.map((item) => item.name)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop']);
    expect(now.slice(1).map((item) => JSON.parse(item.data).index)).toEqual([0, 0, 0]);
    const closing = relay.finish('stop');
    expect(JSON.parse(closing[0].data).delta.stop_reason).toBe('end_turn');
  });

  it('writes an allowed call from the kernel at the next index', () => {
    const relay = new AnthropicRawRelay(true, new AnthropicEventEncoder(identity));
    relay.relay(upstream.slice(0, 7));
    const call = { ...weatherCall, id: 'toolu_1' };
    const out = [...relay.tool({ type: 'tool-call-start', id: call.id, name: call.name, index: 0 }), ...relay.tool({ type: 'tool-call-end', id: call.id, toolCall: call })];
    expect(out.map((item) => JSON.parse(item.data).index)).toEqual([1, 1, 1]);
  });
});
