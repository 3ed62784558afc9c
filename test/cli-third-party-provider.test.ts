// Writing a provider of one's own: what the CLI says when it is incomplete, or when its stream sends
// an event that is not a StreamEvent. The providers here are plain modules beside the config.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../core/kernel.js';
import { streamEventProblem } from '../core/validate-stream-event.js';
import type { LLMBackend, StreamEvent } from '../core/types.js';
import { ensureBuilt, runCli, tempConfig } from './cli-helpers.js';

beforeAll(ensureBuilt);

const COMPLETE = `
  provider: 'homemade',
  async infer() { throw new Error('not used'); },
  async embed() { throw new Error('not used'); },
  modelInfo: () => ({ id: 'home-1', provider: 'homemade', contextWindow: 8000, maxOutputTokens: 1000, pricing: 'unknown', capabilities: { streaming: true, functionCalling: false, vision: false, jsonMode: false, promptCaching: false, thinking: false } }),
  supportsFunctionCalling: () => false,
  supportsStreaming: () => true,`;

async function chatWith(provider: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const config = await tempConfig({ backends: { home: { provider: './homemade.js' } } });
  try {
    await writeFile(join(config.dir, 'homemade.js'), provider);
    return await runCli(['chat', '--no-tools', 'hi'], { cwd: config.dir });
  } finally {
    await config.cleanup();
  }
}

describe('a third-party provider', () => {
  it('that returns an incomplete backend is told which methods it lacks', async () => {
    const { status, stderr } = await chatWith(`export default { name: 'homemade', create: () => ({ provider: 'homemade', infer() {}, modelInfo() {} }) };`);
    expect(status).toBe(1);
    expect(stderr).toContain('The provider "homemade" returned an incomplete LLMBackend from create() for backend "home": it lacks inferStream() (a method), embed() (a method), supportsFunctionCalling() (a method), supportsStreaming() (a method).');
    expect(stderr).toContain('[HA_PLUGIN_LOAD]');
  });

  it('whose module exports something else is told what the definition lacks', async () => {
    const { status, stderr } = await chatWith(`export default { name: 'homemade', craete() {} };`);
    expect(status).toBe(1);
    expect(stderr).toMatch(/has a default export that is an object with keys name, craete, lacking create\(\) \(a function\), not a provider made with defineProvider/);
  });

  it('whose stream ends with a malformed done event fails with HA_INVALID_RESPONSE naming it and the event', async () => {
    const { status, stdout, stderr } = await chatWith(`export default { name: 'homemade', create: () => ({${COMPLETE}
      inferStream() {
        return (async function* () {
          yield { type: 'text-delta', text: 'Hello' };
          yield { type: 'done', finishReason: 'stop' };
        })();
      },
    }) };`);
    expect(status, stderr).toBe(1);
    expect(stdout).toBe('Hello\n');
    expect(stderr).toContain('The provider "homemade" sent a malformed "done" stream event: `tokenUsage` must be an object (got nothing).');
    expect(stderr).toContain('[HA_INVALID_RESPONSE]');
    expect(stderr).not.toContain('HA_INTERNAL');
  });
});

describe('stream events from any provider', () => {
  it.each([
    [null, '(none)', 'an event must be an object with a `type` (got null)'],
    [{ type: 'text' }, 'text', '`type` must be one of'],
    [{ type: 'text-delta', text: 3 }, 'text-delta', '`text` must be a string (got number 3)'],
    [{ type: 'tool-call-end', id: 'a', toolCall: { id: 'a', name: 'f', arguments: '{}' } }, 'tool-call-end', '`toolCall.arguments` must be an object (got "{}")'],
    [{ type: 'done', tokenUsage: {}, finishReason: 'finished' }, 'done', '`finishReason` must be one of stop, length'],
    [{ type: 'error', error: 'boom' }, 'error', '`error` must be an Error (got "boom")'],
  ])('%j is malformed', (event, type, problem) => {
    const found = streamEventProblem(event);
    expect(found?.type).toBe(type);
    expect(found?.problem).toContain(problem);
  });

  it('pass when well-formed, usage counts left to the kernel to sanitise', () => {
    const events: StreamEvent[] = [
      { type: 'text-delta', text: '' },
      { type: 'tool-call-start', id: 'a', name: 'f', index: 0 },
      { type: 'tool-call-end', id: 'a', toolCall: { id: 'a', name: 'f', arguments: {} } },
      { type: 'usage', tokenUsage: { promptTokens: -1, completionTokens: 0, totalTokens: 0 } },
      { type: 'done', tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' },
    ];
    for (const event of events) expect(streamEventProblem(event)).toBeUndefined();
  });

  it('a malformed event mid-stream ends a kernel stream with the typed error, as its one terminal event', async () => {
    const backend = {
      provider: 'homemade',
      infer: () => Promise.reject(new Error('not used')),
      embed: () => Promise.reject(new Error('not used')),
      modelInfo: () => ({ id: 'home-1', provider: 'homemade', contextWindow: 8000, maxOutputTokens: 1000, pricing: 'unknown' as const, capabilities: { streaming: true, functionCalling: false, vision: false, jsonMode: false, promptCaching: false, thinking: false } }),
      supportsFunctionCalling: () => false,
      supportsStreaming: () => true,
      inferStream: () => (async function* () {
        yield { type: 'text-delta', text: 'a' };
        yield { type: 'tool-call-delta', id: 'x' };
        yield { type: 'done', tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' };
      })(),
    } as unknown as LLMBackend;
    const events: StreamEvent[] = [];
    for await (const event of new Kernel().register('home', backend).backend('home').inferStream([{ role: 'user', content: 'hi' }])) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    const error = (events[1] as Extract<StreamEvent, { type: 'error' }>).error;
    expect([error.code, error.provider]).toEqual(['HA_INVALID_RESPONSE', 'homemade']);
    expect(error.message).toContain('"tool-call-delta" stream event: `argumentsDelta` must be a string (got nothing)');
  });
});
