import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HyperAgentError, ErrorCode, ServerError } from '../../core/errors.js';
import { type Attempt } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { Kernel } from '../../core/kernel.js';
import { registerSecret } from '../../core/redact.js';
import type { InferenceOutput, InferenceStream, InferOptions, LLMBackend, LLMMessage, ModelInfo, StreamEvent, ToolSchema } from '../../core/types.js';
import logging, { type LoggingOptions } from '../../plugins/logging/index.js';

const PRICING = { input: 1, output: 2, cachedInput: 0.5, cacheWrite: 1.25 } as const;

class FakeBackend implements LLMBackend {
  readonly provider = 'fake';
  calls = 0;
  constructor(
    private readonly answer: { content?: string; error?: Error; events?: StreamEvent[] } = {},
  ) {}
  async infer(): Promise<InferenceOutput> {
    this.calls += 1;
    if (this.answer.error) throw this.answer.error;
    return {
      content: this.answer.content ?? 'hello there',
      confidence: 1,
      tokenUsage: { promptTokens: 1000, completionTokens: 500, totalTokens: 1500 },
      finishReason: 'stop',
      metadata: { provider: this.provider, model: 'fake-model', requestId: 'req_1' },
    };
  }
  inferStream(): InferenceStream {
    this.calls += 1;
    const events = this.answer.events ?? [];
    return new ManagedInferenceStream(async function* () {
      yield* events;
    }, { provider: this.provider, model: 'fake-model' });
  }
  async embed(): Promise<never> {
    throw new Error('not used');
  }
  modelInfo(model = 'fake-model'): ModelInfo {
    const capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: true };
    return { id: model, provider: 'fake', contextWindow: 128_000, maxOutputTokens: 4096, pricing: PRICING, capabilities };
  }
  supportsFunctionCalling(): boolean {
    return true;
  }
  supportsStreaming(): boolean {
    return true;
  }
}

function setup(options: Omit<LoggingOptions, 'destination'>, backend = new FakeBackend()) {
  const chunks: string[] = [];
  const kernel = new Kernel();
  logging.apply(kernel, { ...options, destination: { write: (line: string) => void chunks.push(line) } });
  kernel.register('fake', backend);
  const lines = () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { kernel, backend, chunks, lines, api: kernel.backend('fake') };
}

const question: LLMMessage[] = [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'what is the secret plan?' }];
const tools: ToolSchema[] = [{ name: 'read_file', description: 'read', parameters: { type: 'object' } }];

describe('logging: one JSON line per step of a call', () => {
  it('logs one line per call at info, as it ends: what was asked, the usage and the cost', async () => {
    const { api, lines } = setup({});
    await api.infer(question, tools, { maxTokens: 64 });
    const [usage, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(usage).toMatchObject({
      level: 30,
      name: 'hyperagent',
      msg: 'usage',
      event: 'usage',
      callId: 'call-1',
      backend: 'fake',
      provider: 'fake',
      model: 'fake-model',
      operation: 'infer',
      messageCount: 2,
      toolCount: 1,
      maxTokens: 64,
      promptTokens: 1000,
      completionTokens: 500,
      totalTokens: 1500,
      attempts: 1,
    });
    expect(usage.costUsd).toBe(0.002);
    expect(typeof usage.durationMs).toBe('number');
  });

  it('logs the request as it starts at debug, with its options', async () => {
    const { api, lines } = setup({ level: 'debug' });
    await api.infer(question, tools, { maxTokens: 64 });
    expect(lines()[0]).toMatchObject({ level: 20, msg: 'request', event: 'request', callId: 'call-1', messageCount: 2, toolCount: 1, maxTokens: 64, options: { maxTokens: 64 } });
  });

  it('uses the configured name and leaves debug lines out at info', async () => {
    const { api, lines } = setup({ name: 'my-agent' });
    await api.infer(question);
    expect(lines().every((line) => line.name === 'my-agent')).toBe(true);
    expect(lines().map((line) => line.event)).not.toContain('attempt');
  });

  it('logs attempts, first token and the response at debug', async () => {
    const { api, lines } = setup({ level: 'debug' });
    await api.infer(question);
    expect(lines().map((line) => line.event)).toEqual(['request', 'attempt', 'usage', 'response']);
    expect(lines()[1]).toMatchObject({ level: 20, attempt: 1 });
  });

  it('writes to a file path', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hyperagent-logging-')), 'logs', 'calls.log');
    const kernel = new Kernel();
    logging.apply(kernel, { destination: file });
    kernel.register('fake', new FakeBackend());
    await kernel.backend('fake').infer(question);
    // Written once that turn of the event loop is over (not on the caller's path), not later.
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    const written = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(written.map((line) => line.event)).toEqual(['usage']);
  });

  it('batches the lines of a caller calling in a loop, and writes them once it stops', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hyperagent-logging-')), 'calls.log');
    const kernel = new Kernel();
    logging.apply(kernel, { destination: file });
    const fake = new FakeBackend();
    // An answer a turn of the event loop away, as from the wire: the write would fall between calls.
    const slow: LLMBackend = Object.assign(Object.create(fake) as LLMBackend, {
      infer: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return fake.infer();
      },
    });
    kernel.register('fake', slow);
    for (let i = 0; i < 5; i += 1) {
      await kernel.backend('fake').infer(question);
      // The next call has started by the end of this turn: nothing written between calls.
      expect(readFileSync(file, 'utf8')).toBe('');
    }
    // Idle now: within the busy flush (20 ms), every line.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
  });
});

describe('logging: streams', () => {
  const events: StreamEvent[] = [
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: 'lo' },
    { type: 'done', tokenUsage: { promptTokens: 10, completionTokens: 20, totalTokens: 30 }, finishReason: 'stop' },
  ];

  it('logs time to first token and tokens per second without tapping stream events at info', async () => {
    const { api, kernel, lines } = setup({}, new FakeBackend({ events }));
    expect(kernel.hooks.onStreamEvent.isUsed()).toBe(false);
    await api.inferStream(question).output();
    const usage = lines().find((line) => line.event === 'usage');
    expect(usage).toMatchObject({ operation: 'stream', completionTokens: 20 });
    expect(typeof usage?.ttftMs).toBe('number');
    expect(usage?.tokensPerSecond === undefined || typeof usage.tokensPerSecond === 'number').toBe(true);
    expect(usage?.textDeltas).toBeUndefined();
  });

  it('counts text deltas at debug', async () => {
    const { api, kernel, lines } = setup({ level: 'debug' }, new FakeBackend({ events }));
    expect(kernel.hooks.onStreamEvent.isUsed()).toBe(true);
    await api.inferStream(question).output();
    expect(lines().find((line) => line.event === 'usage')?.textDeltas).toBe(2);
    expect(lines().some((line) => line.event === 'first-token')).toBe(true);
  });
});

describe('logging: retries and rate-limit waits', () => {
  it('logs a retry with its delay and error code, and a rate-limit wait', async () => {
    const { api, kernel, lines } = setup({});
    // A stand-in for the retry and rate-limit plugins: fail once, announce the retry, try again.
    kernel.hooks.wrapAttempt.tap({ name: 'test-retry', stage: 200 }, (attempt: Attempt, context) => async () => {
      kernel.hooks.onNotice.call({ type: 'rate-limit-wait', waitedMs: 12.4, reason: 'rpm' }, context);
      kernel.hooks.onNotice.call({ type: 'retry', attempt: 1, delayMs: 250, error: new ServerError('upstream 503', { status: 503, requestId: 'req_9' }) }, context);
      return attempt(context);
    });
    await api.infer(question);
    expect(lines().find((line) => line.event === 'rate-limit-wait')).toMatchObject({ level: 30, waitedMs: 12, reason: 'rpm', callId: 'call-1' });
    expect(lines().find((line) => line.event === 'retry')).toMatchObject({ level: 40, attempt: 1, delayMs: 250, code: ErrorCode.SERVER, status: 503, requestId: 'req_9', retryable: true });
  });
});

describe('logging: errors', () => {
  const failing = () => new FakeBackend({ error: new HyperAgentError(ErrorCode.RATE_LIMITED, 'slow down', { status: 429, requestId: 'req_429', retryable: true }) });

  it('logs code, status, request id and retryability, never the stack at info', async () => {
    const { api, lines } = setup({}, failing());
    await expect(api.infer(question)).rejects.toThrow('slow down');
    const error = lines().find((line) => line.event === 'error');
    expect(error).toMatchObject({ level: 50, code: ErrorCode.RATE_LIMITED, status: 429, requestId: 'req_429', retryable: true, backend: 'fake', message: 'slow down' });
    expect(error).not.toHaveProperty('stack');
    expect(JSON.stringify(lines())).not.toContain('at FakeBackend');
  });

  it('adds the stack at debug', async () => {
    const { api, lines } = setup({ level: 'debug' }, failing());
    await expect(api.infer(question)).rejects.toThrow();
    expect(lines().find((line) => line.event === 'error')?.stack).toContain('slow down');
  });

  it('logs only errors at level error, and taps nothing else', async () => {
    const { api, kernel, lines } = setup({ level: 'error' }, failing());
    expect(kernel.hooks.beforeInfer.isUsed()).toBe(false);
    expect(kernel.hooks.onCost.isUsed()).toBe(false);
    expect(kernel.hooks.onNotice.isUsed()).toBe(false);
    await expect(api.infer(question)).rejects.toThrow();
    expect(lines().map((line) => line.event)).toEqual(['error']);
  });
});

describe('logging: secrets are redacted everywhere', () => {
  const registeredKey = 'zq-fake-key-7f3a9c2e41b8';
  const shapedKey = 'sk-proj-' + 'FAKEabcdefghijklmnopqrstuvwxyz012345';
  registerSecret(registeredKey);

  it('never writes an API key from options headers, messages, tool arguments or errors', async () => {
    const backend = new FakeBackend({ error: new Error(`401 from upstream: invalid key ${registeredKey}, x-api-key: ${shapedKey}`) });
    const { api, kernel, chunks, lines } = setup({ level: 'trace', logContent: true }, backend);
    const options: InferOptions = {
      providerOptions: { headers: { Authorization: `Bearer ${shapedKey}`, 'x-api-key': registeredKey, 'X-Other': 'fine' } },
      metadata: { apiKey: registeredKey },
    };
    const messages: LLMMessage[] = [
      { role: 'user', content: `my key is ${registeredKey} and ${shapedKey}` },
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'login', arguments: { token: 'plain-token-value', note: registeredKey }, rawArguments: '{}' }] },
    ];
    kernel.hooks.onNotice.tap('test', () => undefined);
    await expect(api.infer(messages, [], options)).rejects.toThrow();
    kernel.hooks.onNotice.call({ type: 'custom', name: 'probe', data: { authorization: `Bearer ${shapedKey}` } }, { callId: 'x', backendName: 'fake', provider: 'fake', model: 'm', operation: 'infer' } as never);
    const output = chunks.join('');
    expect(output).not.toContain(registeredKey);
    expect(output).not.toContain(shapedKey);
    expect(output).not.toContain('plain-token-value');
    expect(output).toContain('[REDACTED]');
    const request = lines().find((line) => line.event === 'request');
    expect(request?.options).toMatchObject({ providerOptions: { headers: { 'X-Other': 'fine' } } });
  });

  it('redacts streamed output content when content logging is on', async () => {
    const events: StreamEvent[] = [
      { type: 'text-delta', text: `the key is ${registeredKey}` },
      { type: 'done', tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' },
    ];
    const { api, chunks, lines } = setup({ logContent: true }, new FakeBackend({ events }));
    await api.inferStream(question).output();
    expect(lines().find((line) => line.event === 'response')?.content).toBe('the key is [REDACTED]');
    expect(chunks.join('')).not.toContain(registeredKey);
  });
});

describe('logging: message contents', () => {
  it('leaves contents out by default', async () => {
    const { api, chunks, lines } = setup({}, new FakeBackend({ content: 'the plan is tea' }));
    await api.infer(question, tools);
    expect(chunks.join('')).not.toContain('secret plan');
    expect(chunks.join('')).not.toContain('the plan is tea');
    expect(lines().map((line) => line.event)).toEqual(['usage']);
  });

  it('logs them with logContent: true', async () => {
    const { api, lines } = setup({ logContent: true }, new FakeBackend({ content: 'the plan is tea' }));
    await api.infer(question, tools);
    expect(lines().find((line) => line.event === 'request')).toMatchObject({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'what is the secret plan?' },
      ],
      tools: ['read_file'],
    });
    expect(lines().find((line) => line.event === 'response')).toMatchObject({ content: 'the plan is tea', finishReason: 'stop' });
  });
});

describe('logging: options', () => {
  it('throws a TypeError naming a bad option', () => {
    expect(() => logging.apply(new Kernel(), { level: 'verbose' as never })).toThrow(TypeError);
    expect(() => logging.apply(new Kernel(), { level: 'verbose' as never })).toThrow(/"level"/);
    expect(() => logging.apply(new Kernel(), { colour: true } as never)).toThrow(/unknown option "colour"/);
    expect(() => logging.apply(new Kernel(), { logContent: 'yes' as never })).toThrow(/"logContent" must be boolean/);
  });

  it('declares a closed JSON schema', () => {
    expect(logging.optionsSchema).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
