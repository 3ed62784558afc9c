// What Claude Code sends (system blocks with cache_control, ~20 tools with draft 2020-12 schemas,
// metadata.user_id, thinking, context_management, its anthropic-beta list, a stream) reaches an
// Anthropic backend field for field; with the approval plugin, a denied tool never reaches the stream.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import approval from '../../plugins/approval/index.js';
import { FIXTURES_DIR } from '../replay-server.js';
import { ANTHROPIC_KEY, GATEWAY_KEY, useRig } from './anthropic-rig.js';

const BETAS = 'claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,context-management-2025-06-27,fine-grained-tool-streaming-2025-05-14';
const cache = { type: 'ephemeral' };

function tool(index: number) {
  return {
    name: index === 0 ? 'fixed_version' : `Tool${index}`,
    description: `Tool number ${index}: does one thing well.`,
    input_schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { path: { type: 'string', description: 'An absolute path' }, limit: { type: 'integer', minimum: 1 }, mode: { enum: ['a', 'b'] } },
      required: ['path'],
      additionalProperties: false,
    },
    ...(index === 19 ? { cache_control: cache } : {}),
  };
}

/** The shape of a Claude Code turn (2.x), trimmed: what matters is that every field survives. */
const claudeCodeBody = {
  model: 'claude',
  max_tokens: 32000,
  stream: true,
  system: [
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: cache },
    { type: 'text', text: 'You are an interactive CLI tool that helps users with software engineering tasks.', cache_control: cache },
  ],
  messages: [
    { role: 'user', content: [{ type: 'text', text: '<system-reminder>context</system-reminder>' }, { type: 'text', text: 'What version is this?', cache_control: cache }] },
  ],
  tools: Array.from({ length: 20 }, (_, index) => tool(index)),
  metadata: { user_id: 'user_0f3c_account_7e1d_session_5a2b' },
  thinking: { type: 'enabled', budget_tokens: 31999 },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  temperature: 1,
};

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': BETAS, 'user-agent': 'claude-cli/2.0.0 (external, cli)' },
    body: JSON.stringify(body),
  });
}

describe('a Claude Code request', () => {
  const rig = useRig();

  it('reaches the Anthropic backend unchanged, field for field, with its anthropic-beta list and version', async () => {
    const { upstream, started, received } = rig();
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/stream-thinking-then-tool-use.sse' });
    const response = await post(started.url, claudeCodeBody);
    const text = await response.text();
    const [sent] = received('/v1/messages');
    expect(sent.body).toEqual({ ...claudeCodeBody, model: 'claude-sonnet-4-5' });
    expect(sent.headers['anthropic-beta']).toBe(BETAS);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    // Not a gateway key, nor anything else of the client's, went upstream.
    expect(JSON.stringify(sent.headers)).not.toContain(GATEWAY_KEY);
    const fixture = readFileSync(join(FIXTURES_DIR, 'anthropic/stream-thinking-then-tool-use.sse'), 'utf8').replace(/\r\n/g, '\n').trim();
    expect(text.trim()).toBe(fixture);
  });
});

describe('with the approval plugin', () => {
  const rig = useRig((kernel) => approval.apply(kernel, { tools: { fixed_version: 'deny', Tool1: 'allow' } }));

  it('never lets a denied tool_use into a /v1/messages stream; the rest streams as the upstream sent it', async () => {
    const { upstream, started } = rig();
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/stream-thinking-then-tool-use.sse' }).enqueue('/v1/messages', { fixture: 'anthropic/stream-thinking-then-tool-use.sse' });
    const text = await (await post(started.url, claudeCodeBody)).text();
    expect(text).not.toContain('"tool_use"');
    expect(text).not.toContain('toolu_01825dXWLSoJwCst1qTsiWdb');
    expect(text).toContain('"signature_delta"');
    expect(text).toContain('"stop_reason":"end_turn"');
    const client = new Anthropic({ apiKey: GATEWAY_KEY, baseURL: started.url, maxRetries: 0 });
    const { stream: _stream, ...body } = claudeCodeBody;
    const final = await client.messages.stream({ ...(body as unknown as Anthropic.MessageCreateParamsNonStreaming) }).finalMessage();
    expect(final.content.map((block) => block.type)).toEqual(['thinking']);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('streams an allowed tool call through the kernel\'s review, numbered after the blocks before it', async () => {
    const { upstream, client } = rig();
    const fixture = readFileSync(join(FIXTURES_DIR, 'anthropic/stream-thinking-then-tool-use.sse'), 'utf8').replaceAll('fixed_version', 'Tool1');
    upstream.enqueue('/v1/messages', { body: fixture, headers: { 'content-type': 'text/event-stream' } });
    const { stream: _stream, ...body } = claudeCodeBody;
    const final = await client.messages.stream({ ...(body as unknown as Anthropic.MessageCreateParamsNonStreaming) }).finalMessage();
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(final.content[1]).toMatchObject({ type: 'tool_use', name: 'Tool1', id: 'toolu_01825dXWLSoJwCst1qTsiWdb' });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('removes a denied tool_use from a JSON answer too', async () => {
    const { upstream, client } = rig();
    const answer = {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'tool_use', stop_sequence: null,
      content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_x', name: 'fixed_version', input: {} }],
      usage: { input_tokens: 10, output_tokens: 5 },
    };
    upstream.enqueue('/v1/messages', { body: JSON.stringify(answer), headers: { 'content-type': 'application/json' } });
    const message = await client.messages.create({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'Version?' }], tools: [tool(0) as Anthropic.Tool] });
    expect(message.content).toEqual([{ type: 'text', text: 'Let me check.' }]);
    expect(message.stop_reason).toBe('end_turn');
  });
});
