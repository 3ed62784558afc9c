// Issue 5, "Must show": the built CLI's `chat --json` against the replay server for a TOOL-CALL
// recording. (`chat --json` on a text recording, `models --json`, `--help` and `chat --help` are
// covered by cli-chat, cli-models and cli-validate.) The recorded tools are not CLI built-ins, so
// the agent sends "no tool named ..." back as the tool result and the second recording answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempConfig } from './cli-helpers.js';
import { fixtureJson, fixtureText, naiveChatStream } from './providers/openai-style-helpers.js';
import { ReplayServer } from './replay-server.js';

const KEY = 'sk-test-must-show-cli-0123456789';

interface ChatRequest {
  stream?: boolean;
  messages: { role: string; content?: string | null; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
  tools?: { function: { name: string } }[];
}

/** The id and name of the first tool call in a Chat Completions SSE recording. */
function streamedCall(name: string): { id: string; name: string } {
  for (const line of fixtureText(name).split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const call = JSON.parse(line.slice(6)).choices?.[0]?.delta?.tool_calls?.[0];
    if (call?.id) return { id: call.id, name: call.function.name };
  }
  throw new Error(`no tool call in ${name}`);
}

describe('hyperagent chat --json with a tool-call recording (OpenAI, served by the replay server)', () => {
  const replay = new ReplayServer();
  let config: Awaited<ReturnType<typeof tempConfig>>;

  beforeAll(async () => {
    ensureBuilt();
    await replay.start();
    config = await tempConfig({
      defaultBackend: 'gpt',
      backends: { gpt: { provider: 'openai', model: 'gpt-4o-mini', apiKey: '${OPENAI_API_KEY}', baseURL: `${replay.baseURL}/v1` } },
      plugins: [['retry', { maxRetries: 0 }], ['cost', {}]],
    });
  });
  afterAll(async () => {
    await replay.stop();
    await config.cleanup();
  });
  afterEach(() => {
    replay.requests.length = 0;
  });

  it('streaming: the recorded call to an unknown tool goes back as a tool error, and the second recording is the JSON answer', async () => {
    const call = streamedCall('openai/chat-stream-tool-call-argument-deltas.sse');
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse', chunkSize: 200 });
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 200 });

    const { status, stdout, stderr } = await runCli(['chat', '--json', '--config', config.file, 'What is 1231 times 2331?'], { env: { OPENAI_API_KEY: KEY } });

    expect(status, stderr).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ content: '1, 2, 3, 4, 5', finishReason: 'stop', steps: 2, metadata: { provider: 'openai', backend: 'gpt' } });
    expect(output).toHaveProperty('costUsd');
    expect(output.totalTokenUsage).toMatchObject({ promptTokens: 54 + 14, completionTokens: 20 + 13 });
    expect(stdout + stderr).not.toContain(KEY);

    expect(replay.requests).toHaveLength(2);
    const [first, second] = replay.requests.map((request) => request.body as ChatRequest);
    expect(first.stream).toBe(true);
    expect(first.tools!.map((tool) => tool.function.name)).toEqual(['get_current_time', 'calculate']);
    expect(second.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: call.id, function: { name: call.name } }],
    });
    expect(JSON.parse(second.messages.at(-2)!.tool_calls![0].function.arguments)).toEqual(JSON.parse(naiveChatStream('openai/chat-stream-tool-call-argument-deltas.sse').arguments[0]));
    const toolResult = second.messages.at(-1)!;
    expect(toolResult).toMatchObject({ role: 'tool', tool_call_id: call.id });
    expect(toolResult.content).toContain(`there is no tool named "${call.name}"`);
    expect(toolResult.content).toContain('get_current_time, calculate');
  });

  it('--no-stream: the same loop over the non-streaming tool-call and text recordings', async () => {
    const recorded = fixtureJson('openai/chat-completion-tool-calls.json').choices[0].message.tool_calls[0];
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-tool-calls.json' });
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });

    const { status, stdout, stderr } = await runCli(['chat', '--json', '--no-stream', '--config', config.file, 'Weather in Boston?'], { env: { OPENAI_API_KEY: KEY } });

    expect(status, stderr).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({
      content: fixtureJson('openai/chat-completion-text.json').choices[0].message.content,
      finishReason: 'stop',
      steps: 2,
      tokenUsage: { promptTokens: 13, completionTokens: 31 },
      totalTokenUsage: { promptTokens: 81 + 13, completionTokens: 14 + 31 },
    });
    expect(replay.requests).toHaveLength(2);
    const [first, second] = replay.requests.map((request) => request.body as ChatRequest);
    expect(first.stream).not.toBe(true);
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: recorded.id });
    expect(second.messages.at(-1)!.content).toContain(`there is no tool named "${recorded.function.name}"`);
  });
});
