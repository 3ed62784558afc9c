// Translated requests keep what they can: metadata.user_id is OpenAI's `user`, and a fallback
// group's Anthropic target gets the client's body fields as they came, whichever target answers.
import { describe, expect, it } from 'vitest';
import { registerGroup } from '../../core/routing/index.js';
import { useRig } from './anthropic-rig.js';

const rig = useRig((kernel) => void registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['gpt', 'claude'] }));
const ask = { max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('a translated request', () => {
  it('carries metadata.user_id to an OpenAI backend as user', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    await client.messages.create({ model: 'gpt', ...ask, metadata: { user_id: 'user-42' } });
    expect(received('/v1/chat/completions')[0].body).toMatchObject({ user: 'user-42' });
  });

  it('reaches a group\'s Anthropic target with the client\'s fields, after the OpenAI target failed', async () => {
    const { upstream, client, received } = rig();
    upstream.enqueue('/v1/chat/completions', { status: 503, body: '{"error":{"message":"overloaded","type":"server_error"}}', headers: { 'content-type': 'application/json' } });
    upstream.enqueue('/v1/messages', { fixture: 'anthropic/messages-text.json' });
    const body = {
      ...ask,
      system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
      tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object' as const, properties: {} }, cache_control: { type: 'ephemeral' as const } }],
      top_k: 4,
      metadata: { user_id: 'user-42' },
    };
    const { data, response } = await client.messages.create({ model: 'team', ...body }).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(response.headers.get('x-hyperagent-answered-by')).toBe('claude');
    expect(response.headers.get('x-hyperagent-warnings')).toMatch(/^unless an Anthropic target answers: /);
    const sent = received('/v1/messages')[0].body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', system: body.system, tools: body.tools, top_k: 4, metadata: body.metadata, messages: ask.messages });
  });
});
