import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApprovalDeniedError, ErrorCode } from '../../core/errors.js';
import type { KernelNotice } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { Kernel } from '../../core/kernel.js';
import type { InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, StreamEvent, ToolCall, ToolSchema } from '../../core/types.js';
import approval, {
  createTerminalApprover,
  deniedToolCalls,
  deniedToolResults,
  proposedToolCalls,
  setApprover,
  type ApprovalDecision,
  type ApprovalOptions,
  type ApprovalRequest,
  type Approver,
} from '../../plugins/approval/index.js';

function call(name: string, args: Record<string, unknown> = {}, id = `id_${name}`): ToolCall {
  return { id, name, arguments: args, rawArguments: JSON.stringify(args) };
}

class FakeBackend implements LLMBackend {
  readonly provider = 'fake';
  calls = 0;
  constructor(private readonly toolCalls: readonly ToolCall[]) {}
  async infer(): Promise<InferenceOutput> {
    this.calls += 1;
    return {
      content: '',
      toolCalls: this.toolCalls,
      confidence: 1,
      tokenUsage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
      finishReason: 'tool-calls',
      metadata: { provider: this.provider, model: 'fake-model' },
    };
  }
  inferStream(): InferenceStream {
    this.calls += 1;
    const toolCalls = this.toolCalls;
    return new ManagedInferenceStream(async function* (): AsyncGenerator<StreamEvent> {
      for (const [index, toolCall] of toolCalls.entries()) {
        yield { type: 'tool-call-start', id: toolCall.id, name: toolCall.name, index };
        yield { type: 'tool-call-delta', id: toolCall.id, argumentsDelta: toolCall.rawArguments };
        yield { type: 'tool-call-end', id: toolCall.id, toolCall };
      }
      yield { type: 'done', tokenUsage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 }, finishReason: 'tool-calls' };
    }, { provider: this.provider, model: 'fake-model' });
  }
  async embed(): Promise<never> {
    throw new Error('not used');
  }
  modelInfo(model = 'fake-model'): ModelInfo {
    const capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false };
    // $10 per 1M input, $30 per 1M output: big enough that request estimates are easy to push over a limit.
    return { id: model, provider: 'fake', contextWindow: 128_000, maxOutputTokens: 4096, pricing: { input: 10, output: 30 }, capabilities };
  }
  supportsFunctionCalling(): boolean {
    return true;
  }
  supportsStreaming(): boolean {
    return true;
  }
}

const tools: ToolSchema[] = [
  { name: 'read_file', description: 'read a file', parameters: { type: 'object' } },
  { name: 'delete_file', description: 'delete a file', parameters: { type: 'object' } },
  { name: 'delete_everything', description: 'wipe', parameters: { type: 'object' } },
  { name: 'run_shell', description: 'run a command', parameters: { type: 'object' }, dangerous: true },
];
const messages: LLMMessage[] = [{ role: 'user', content: 'tidy up' }];

function setup(toolCalls: readonly ToolCall[], options: ApprovalOptions = {}) {
  const kernel = new Kernel();
  approval.apply(kernel, options);
  const backend = new FakeBackend(toolCalls);
  kernel.register('fake', backend);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => {
    if (notice.type === 'approval') notices.push(notice);
  });
  return { kernel, backend, notices, api: kernel.backend('fake') };
}

/** An approver that records what it was asked and answers from a table by tool name. */
function scripted(answers: Record<string, ApprovalDecision>) {
  const asked: ApprovalRequest[] = [];
  const approver: Approver = (request) => {
    asked.push(request);
    return request.kind === 'tool-call' ? answers[request.toolCall.name] ?? { decision: 'deny' } : answers['(request)'] ?? { decision: 'deny' };
  };
  return { asked, approver };
}

const names = (output: InferenceOutput) => (output.toolCalls ?? []).map((toolCall) => toolCall.name);

afterEach(() => {
  vi.useRealTimers();
});

describe('approval: allow and deny by policy', () => {
  it('allows by default without asking, and says so in a notice', async () => {
    const { api, notices } = setup([call('read_file', { path: 'a' })]);
    const output = await api.infer(messages, tools);
    expect(names(output)).toEqual(['read_file']);
    expect(output.metadata.deniedToolCalls).toBeUndefined();
    expect(notices).toEqual([{ type: 'approval', toolName: 'read_file', decision: 'approve', reason: 'allowed by the default policy' }]);
  });

  it('removes denied calls and lists them with a reason', async () => {
    const { api, notices } = setup([call('read_file'), call('delete_file', { path: '/etc' })], { tools: { delete_file: 'deny' } });
    const output = await api.infer(messages, tools);
    expect(names(output)).toEqual(['read_file']);
    expect(deniedToolCalls(output)).toEqual([{ toolCall: call('delete_file', { path: '/etc' }), reason: 'denied by policy "delete_file"' }]);
    expect(notices[1]).toEqual({ type: 'approval', toolName: 'delete_file', decision: 'deny', reason: 'denied by policy "delete_file"' });
  });

  it('denies everything with default: deny and drops toolCalls when none is left', async () => {
    const { api } = setup([call('read_file')], { default: 'deny' });
    const output = await api.infer(messages, tools);
    expect(output.toolCalls).toBeUndefined();
    expect(deniedToolCalls(output)).toHaveLength(1);
  });
});

describe('approval: glob patterns', () => {
  it('applies a pattern, lets an exact name win over it, and the longest pattern win among patterns', async () => {
    const { approver, asked } = scripted({ delete_everything: { decision: 'approve' } });
    const { api } = setup([call('delete_file'), call('delete_everything'), call('delete_temp'), call('read_file')], {
      tools: { 'delete_*': 'ask', delete_file: 'allow', 'delete_t*': 'deny', 'delete_?????????': 'deny' },
      approver,
    });
    const output = await api.infer(messages, tools);
    expect(names(output)).toEqual(['delete_file', 'delete_everything', 'read_file']);
    expect(asked.map((request) => (request.kind === 'tool-call' ? request.toolCall.name : ''))).toEqual(['delete_everything']);
    expect(deniedToolCalls(output).map((denied) => denied.reason)).toEqual(['denied by policy "delete_t*"']);
  });

  it('treats other characters in a pattern literally', async () => {
    const { api } = setup([call('aXb'), call('a.b')], { tools: { 'a.b': 'deny' } });
    const output = await api.infer(messages, tools);
    expect(names(output)).toEqual(['aXb']);
  });
});

describe('approval: ask', () => {
  it('asks the approver and follows its approve and deny decisions', async () => {
    const { approver, asked } = scripted({ read_file: { decision: 'approve' }, delete_file: { decision: 'deny', reason: 'not today' } });
    const { api, notices } = setup([call('read_file'), call('delete_file')], { default: 'ask', approver });
    const output = await api.infer(messages, tools);
    expect(names(output)).toEqual(['read_file']);
    expect(deniedToolCalls(output)).toEqual([{ toolCall: call('delete_file'), reason: 'not today' }]);
    expect(asked[0]).toMatchObject({ kind: 'tool-call', backendName: 'fake', model: 'fake-model', tool: tools[0], because: { source: 'default' } });
    expect(notices.map((notice) => notice.type === 'approval' && notice.decision)).toEqual(['approve', 'deny']);
  });

  it('asks about tools marked dangerous by default, unless configured otherwise', async () => {
    const first = scripted({});
    const { api } = setup([call('run_shell', { command: 'ls' })], { approver: first.approver });
    expect(names(await api.infer(messages, tools))).toEqual([]);
    expect(first.asked[0]).toMatchObject({ kind: 'tool-call', because: { source: 'dangerous' } });

    const second = scripted({});
    const configured = setup([call('run_shell', { command: 'ls' })], { tools: { run_shell: 'allow' }, approver: second.approver });
    expect(names(await configured.api.infer(messages, tools))).toEqual(['run_shell']);
    expect(second.asked).toEqual([]);
  });

  it('denies when no approver is installed', async () => {
    const { api } = setup([call('delete_file')], { tools: { delete_file: 'ask' } });
    const output = await api.infer(messages, tools);
    expect(deniedToolCalls(output)[0]?.reason).toBe('no approver is installed to ask');
  });

  it('uses an approver installed later with setApprover', async () => {
    const { api, kernel } = setup([call('delete_file')], { tools: { delete_file: 'ask' } });
    setApprover(kernel, () => ({ decision: 'approve' }));
    expect(names(await api.infer(messages, tools))).toEqual(['delete_file']);
    setApprover(kernel, undefined);
    expect(names(await api.infer(messages, tools))).toEqual([]);
  });

  it('denies when the approver throws or answers nonsense', async () => {
    const { api, kernel } = setup([call('delete_file')], { tools: { delete_file: 'ask' } });
    setApprover(kernel, () => {
      throw new Error('tty gone');
    });
    expect(deniedToolCalls(await api.infer(messages, tools))[0]?.reason).toBe('the approver failed: tty gone');
    setApprover(kernel, () => 'yes' as never);
    expect(deniedToolCalls(await api.infer(messages, tools))[0]?.reason).toMatch(/not a decision/);
  });
});

describe('approval: modify arguments', () => {
  it('replaces the arguments and re-serialises rawArguments', async () => {
    const { approver } = scripted({ delete_file: { decision: 'modify', arguments: { path: '/tmp/safe', dryRun: true } } });
    const { api, notices } = setup([call('delete_file', { path: '/' })], { tools: { delete_file: 'ask' }, approver });
    const output = await api.infer(messages, tools);
    expect(output.toolCalls).toEqual([{ id: 'id_delete_file', name: 'delete_file', arguments: { path: '/tmp/safe', dryRun: true }, rawArguments: '{"path":"/tmp/safe","dryRun":true}' }]);
    expect(notices[0]).toMatchObject({ toolName: 'delete_file', decision: 'modify' });
  });

  it('denies a modification that is not an object', async () => {
    const { approver } = scripted({ delete_file: { decision: 'modify', arguments: ['x'] as never } });
    const { api } = setup([call('delete_file')], { tools: { delete_file: 'ask' }, approver });
    expect(names(await api.infer(messages, tools))).toEqual([]);
  });
});

describe('approval: nothing waits forever', () => {
  it('denies with "timed out" after the default 60 s', async () => {
    vi.useFakeTimers();
    let approverSignal: AbortSignal | undefined;
    const { api } = setup([call('delete_file')], {
      tools: { delete_file: 'ask' },
      approver: (_request, signal) => {
        approverSignal = signal;
        return new Promise<never>(() => undefined);
      },
    });
    const pending = api.infer(messages, tools);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(approverSignal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const output = await pending;
    expect(deniedToolCalls(output)).toEqual([{ toolCall: call('delete_file'), reason: 'timed out' }]);
    expect(approverSignal?.aborted).toBe(true);
  });

  it('honours a shorter timeoutMs', async () => {
    vi.useFakeTimers();
    const { api } = setup([call('delete_file')], { tools: { delete_file: 'ask' }, timeoutMs: 500, approver: () => new Promise<never>(() => undefined) });
    const pending = api.infer(messages, tools);
    await vi.advanceTimersByTimeAsync(500);
    expect(deniedToolCalls(await pending)[0]?.reason).toBe('timed out');
  });

  it('ends the wait when the call is aborted', async () => {
    const controller = new AbortController();
    let approverSignal: AbortSignal | undefined;
    const { api } = setup([call('delete_file')], {
      tools: { delete_file: 'ask' },
      approver: (_request, signal) => {
        approverSignal = signal;
        queueMicrotask(() => controller.abort());
        return new Promise<never>(() => undefined);
      },
    });
    const output = await api.infer(messages, tools, { signal: controller.signal });
    expect(deniedToolCalls(output)[0]?.reason).toBe('aborted');
    expect(approverSignal?.aborted).toBe(true);
  });
});

describe('approval: denied calls reach the model as denied tool results', () => {
  it('builds error tool results and the full assistant turn', async () => {
    const { api } = setup([call('read_file'), call('delete_file', { path: '/' })], { tools: { delete_file: 'deny' } });
    const output = await api.infer(messages, tools);
    expect(deniedToolResults(output)).toEqual([
      { role: 'tool', toolCallId: 'id_delete_file', name: 'delete_file', content: 'Tool call denied by approval policy: denied by policy "delete_file"', isError: true },
    ]);
    expect(proposedToolCalls(output).map((toolCall) => toolCall.name)).toEqual(['read_file', 'delete_file']);
  });

  it('gives no results when nothing was denied', async () => {
    const { api } = setup([call('read_file')]);
    expect(deniedToolResults(await api.infer(messages, tools))).toEqual([]);
  });
});

describe('approval: streams', () => {
  it('shows the denial in stream.output()', async () => {
    const { approver } = scripted({ delete_file: { decision: 'deny', reason: 'nope' } });
    const { api } = setup([call('read_file'), call('delete_file')], { tools: { delete_file: 'ask' }, approver });
    const stream = api.inferStream(messages, tools);
    const seen: string[] = [];
    for await (const event of stream) seen.push(event.type);
    expect(seen.at(-1)).toBe('done');
    const output = await stream.output();
    expect(names(output)).toEqual(['read_file']);
    expect(deniedToolResults(output)).toMatchObject([{ toolCallId: 'id_delete_file', content: 'Tool call denied by approval policy: nope', isError: true }]);
  });

  it('fails closed when deciding throws, so a stream never hands out unapproved calls', async () => {
    const { api, kernel } = setup([call('read_file'), call('delete_file')]);
    kernel.hooks.onNotice.tap('broken-observer', (notice) => {
      if (notice.type === 'approval') throw new Error('observer broke');
    });
    const output = await api.inferStream(messages, tools).output();
    expect(output.toolCalls).toBeUndefined();
    expect(deniedToolCalls(output).map((denied) => denied.reason)).toEqual(['approval failed: observer broke', 'approval failed: observer broke']);
  });

  it('applies modifications to the stream output', async () => {
    const { approver } = scripted({ delete_file: { decision: 'modify', arguments: { path: '/tmp' } } });
    const { api } = setup([call('delete_file', { path: '/' })], { tools: { delete_file: 'ask' }, approver });
    const output = await api.inferStream(messages, tools).output();
    expect(output.toolCalls?.[0]).toMatchObject({ arguments: { path: '/tmp' }, rawArguments: '{"path":"/tmp"}' });
  });
});

describe('approval: request cost', () => {
  // 4,096 output tokens at $30 per 1M is about $0.12, over a $0.05 limit.
  it('asks before a costly request and throws ApprovalDeniedError on denial, before the backend is called', async () => {
    const { approver, asked } = scripted({ '(request)': { decision: 'deny', reason: 'too pricey' } });
    const { api, backend, notices } = setup([], { maxEstimatedCostUsd: 0.05, approver });
    const failure = await api.infer(messages, tools).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApprovalDeniedError);
    expect(failure).toMatchObject({ code: ErrorCode.APPROVAL_DENIED, reason: 'too pricey' });
    expect(backend.calls).toBe(0);
    expect(asked[0]).toMatchObject({ kind: 'request', maxEstimatedCostUsd: 0.05, estimatedOutputTokens: 4096 });
    expect((asked[0] as { estimatedCostUsd: number }).estimatedCostUsd).toBeGreaterThan(0.12);
    expect(notices).toEqual([{ type: 'approval', toolName: '(request)', decision: 'deny', reason: 'too pricey' }]);
  });

  it('lets an approved costly request through', async () => {
    const { approver } = scripted({ '(request)': { decision: 'approve' } });
    const { api, backend } = setup([], { maxEstimatedCostUsd: 0.05, approver });
    await api.infer(messages, tools);
    expect(backend.calls).toBe(1);
  });

  it('does not ask about a request under the limit', async () => {
    const { approver, asked } = scripted({});
    const { api, backend } = setup([], { maxEstimatedCostUsd: 0.05, approver });
    await api.infer(messages, tools, { maxTokens: 100 });
    expect(asked).toEqual([]);
    expect(backend.calls).toBe(1);
  });

  it('ends a denied stream with the error', async () => {
    const { api, backend } = setup([], { maxEstimatedCostUsd: 0.05 });
    await expect(api.inferStream(messages, tools).output()).rejects.toBeInstanceOf(ApprovalDeniedError);
    expect(backend.calls).toBe(0);
  });
});

describe('approval: terminal approver', () => {
  function terminal() {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    const answers: string[] = [];
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      // Answer each prompt as it appears, like a person would.
      if (/(\(default no\)|JSON): $/.test(printed) && answers.length > 0) input.write(`${answers.shift()}\n`);
    });
    return { approver: createTerminalApprover({ input, output }), answers, printed: () => printed };
  }
  const request = (name: string, args: Record<string, unknown>): ApprovalRequest => ({
    kind: 'tool-call',
    callId: 'call-1',
    backendName: 'fake',
    model: 'fake-model',
    toolCall: call(name, args),
    tool: tools.find((tool) => tool.name === name),
    because: { source: 'dangerous' },
  });

  it('prints the tool and its arguments and reads y', async () => {
    const { approver, answers, printed } = terminal();
    answers.push('y');
    expect(await approver(request('run_shell', { command: 'ls -la' }), new AbortController().signal)).toEqual({ decision: 'approve' });
    expect(printed()).toContain('run_shell (marked dangerous)');
    expect(printed()).toContain('"command": "ls -la"');
  });

  it('reads n with a reason, and an empty answer as no', async () => {
    const first = terminal();
    first.answers.push('n use git clean instead');
    expect(await first.approver(request('run_shell', {}), new AbortController().signal)).toEqual({ decision: 'deny', reason: 'use git clean instead' });
    const second = terminal();
    second.answers.push('');
    expect(await second.approver(request('run_shell', {}), new AbortController().signal)).toMatchObject({ decision: 'deny' });
  });

  it('edits the arguments as JSON, asking again after bad JSON', async () => {
    const { approver, answers, printed } = terminal();
    answers.push('e', '[1, 2]', 'e', '{"command":"ls"}');
    expect(await approver(request('run_shell', { command: 'rm -rf /' }), new AbortController().signal)).toEqual({ decision: 'modify', arguments: { command: 'ls' } });
    expect(printed()).toContain('not a JSON object');
  });

  it('redacts secrets in the printed arguments', async () => {
    const { approver, answers, printed } = terminal();
    answers.push('n');
    await approver(request('run_shell', { command: 'curl -H "Authorization: Bearer sk-proj-' + 'FAKEabcdefghijklmnop123456"' }), new AbortController().signal);
    expect(printed()).not.toContain('sk-proj-' + 'FAKEabcdefghijklmnop123456');
  });

  it('drives the plugin end to end, and stops asking when the wait is over', async () => {
    const { approver, answers } = terminal();
    answers.push('y');
    const { api } = setup([call('run_shell', { command: 'ls' })], { approver });
    expect(names(await api.infer(messages, tools))).toEqual(['run_shell']);

    const silent = terminal();
    const controller = new AbortController();
    const pending = silent.approver(request('run_shell', {}), controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });
});

describe('approval: options', () => {
  it('throws a TypeError naming a bad option', () => {
    expect(() => approval.apply(new Kernel(), { default: 'maybe' as never })).toThrow(/option "default"/);
    expect(() => approval.apply(new Kernel(), { tools: { delete_file: 'never' as never } })).toThrow(/option "tools.delete_file"/);
    expect(() => approval.apply(new Kernel(), { timeoutMs: -1 })).toThrow(/option "timeoutMs"/);
    expect(() => approval.apply(new Kernel(), { approver: 'yes' as never })).toThrow(/option "approver" must be a function/);
    expect(() => approval.apply(new Kernel(), { tool: {} } as never)).toThrow(TypeError);
  });
});
