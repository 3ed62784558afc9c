import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentBuilder, DEFAULT_TOOL_TIMEOUT_MS, type AgentEvent, type ToolContext } from '../core/agent.js';
import { AbortError } from '../core/errors.js';
import { Kernel } from '../core/kernel.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { bodies, localBackend, textAnswer, toolCallsAnswer, toolCallsStream } from './agent-tools-helpers.js';
import { ReplayServer } from './replay-server.js';

const ANY = { type: 'object' };
const never = (): Promise<never> => new Promise<never>(() => {});

/** A handler that never settles and ignores its signal; `started` resolves with its context. */
function hangingTool() {
  let markStarted!: (context: ToolContext) => void;
  const started = new Promise<ToolContext>((resolve) => (markStarted = resolve));
  return { started, handler: (_args: Record<string, unknown>, context: ToolContext) => (markStarted(context), never()) };
}

describe('tool timeouts', () => {
  const server = new ReplayServer();
  beforeAll(async () => void (await server.start()));
  afterAll(async () => server.stop());
  afterEach(() => void server.requests.splice(0));

  it('a tool past its own timeoutMs ends with a tool error the model sees, and the run goes on', async () => {
    server.enqueue('/v1/chat/completions', toolCallsAnswer([{ id: 'c1', name: 'slow', arguments: '{}' }]));
    server.enqueue('/v1/chat/completions', textAnswer('The tool was too slow.'));
    const hang = hangingTool();
    const agent = new AgentBuilder().backend(localBackend(server)).tool('slow', 'never ends', ANY, hang.handler, { timeoutMs: 40 }).build();

    const result = await agent.run('go');

    expect(result.content).toBe('The tool was too slow.');
    expect(result.steps[0].toolResults[0]).toMatchObject({ isError: true, timedOut: true, content: expect.stringContaining('did not finish within 40 ms') });
    const context = await hang.started;
    expect(context.signal.aborted).toBe(true);
    expect((context.signal.reason as DOMException).name).toBe('TimeoutError');
    const toolMessage = bodies(server)[1].messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'c1', content: expect.stringContaining('did not finish within 40 ms') });
  });

  it('the agent-wide toolTimeout applies to tools without their own; a tool’s own timeoutMs wins', async () => {
    server.enqueue('/v1/chat/completions', toolCallsAnswer([{ id: 'a', name: 'slow', arguments: '{}' }, { id: 'b', name: 'patient', arguments: '{}' }]));
    server.enqueue('/v1/chat/completions', textAnswer('ok'));
    const agent = new AgentBuilder()
      .backend(localBackend(server))
      .toolTimeout(30)
      .tool('slow', 'never ends', ANY, never)
      .tool('patient', 'takes 80 ms', ANY, () => new Promise((resolve) => setTimeout(() => resolve('finished'), 80)), { timeoutMs: Infinity })
      .build();

    const [slow, patient] = (await agent.run('go')).steps[0].toolResults;

    expect(slow).toMatchObject({ isError: true, timedOut: true, content: expect.stringContaining('within 30 ms') });
    expect(patient).toMatchObject({ isError: false, content: 'finished' });
  });

  it('defaults to 60 s (fake clock): not a moment before', async () => {
    vi.useFakeTimers();
    try {
      const mock = new MockBackend({ responses: [MockResponse.toolCall('slow', {}, 'c1'), MockResponse.text('done')] });
      const agent = new AgentBuilder().backend(new Kernel().register('m', mock).backend('m')).tool('slow', 'never ends', ANY, never).build();
      expect(agent.settings.toolTimeoutMs).toBe(DEFAULT_TOOL_TIMEOUT_MS);
      expect(DEFAULT_TOOL_TIMEOUT_MS).toBe(60_000);
      let settled = false;
      const run = agent.run('go').finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(DEFAULT_TOOL_TIMEOUT_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const result = await run;
      expect(result.steps[0].toolResults[0]).toMatchObject({ timedOut: true, content: expect.stringContaining('within 60000 ms') });
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects timeouts that are not a positive number of milliseconds, naming the option', () => {
    expect(() => new AgentBuilder().toolTimeout(0)).toThrow(/AgentBuilder.toolTimeout: expected a number of milliseconds > 0/);
    expect(() => new AgentBuilder().tool('t', 't', ANY, () => 1, { timeoutMs: -5 })).toThrow(/AgentBuilder.tool\("t"\) timeoutMs/);
    expect(() => new AgentBuilder().backend(new MockBackend()).toolTimeout(Number.NaN)).toThrow(TypeError);
  });
});

describe('abort behind a tool that ignores its signal', () => {
  const server = new ReplayServer();
  beforeAll(async () => void (await server.start()));
  afterAll(async () => server.stop());

  it('run rejects with AbortError once the signal aborts, the handler’s signal aborted with the run’s reason', async () => {
    server.enqueue('/v1/chat/completions', toolCallsAnswer([{ id: 'c1', name: 'hang', arguments: '{}' }]));
    const hang = hangingTool();
    const agent = new AgentBuilder().backend(localBackend(server)).tool('hang', 'never ends', ANY, hang.handler).build();
    const controller = new AbortController();

    const run = agent.run('go', { signal: controller.signal });
    const context = await hang.started;
    controller.abort(new Error('user pressed Ctrl-C'));

    await expect(run).rejects.toBeInstanceOf(AbortError);
    await expect(run).rejects.toThrow(/aborted by its AbortSignal while the tool "hang"/);
    expect(context.signal.aborted).toBe(true);
    expect((context.signal.reason as Error).message).toBe('user pressed Ctrl-C');
  });

  it('runStream throws AbortError from the iteration, after tool-start and without a tool-finish', async () => {
    server.enqueue('/v1/chat/completions', toolCallsStream([{ id: 'c1', name: 'hang', arguments: '{}' }]));
    const hang = hangingTool();
    const agent = new AgentBuilder().backend(localBackend(server)).tool('hang', 'never ends', ANY, hang.handler).build();
    const controller = new AbortController();
    const seen: AgentEvent['type'][] = [];
    void hang.started.then(() => controller.abort());

    const consume = async () => {
      for await (const event of agent.runStream('go', { signal: controller.signal })) seen.push(event.type);
    };

    await expect(consume()).rejects.toBeInstanceOf(AbortError);
    expect(seen).toContain('tool-start');
    expect(seen).not.toContain('tool-finish');
  });

  it('a signal aborted before the run starts rejects before any request', async () => {
    const before = server.requests.length;
    const agent = new AgentBuilder().backend(localBackend(server)).build();
    await expect(agent.run('go', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests.length).toBe(before);
  });
});
