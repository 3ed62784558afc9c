import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv-loader.js';
import { invalidArgumentsStep, isInvalidToolArguments } from './agent-invalid-arguments.js';
import { uniqueToolCallIds, usedToolCallIds } from './agent-tool-call-ids.js';
import { checkTimeout, DEFAULT_TOOL_TIMEOUT_MS, ToolRunner, type AgentTool, type ToolHandler, type ToolResult } from './agent-tool-runner.js';
import { addUsage, EMPTY_USAGE } from './cost.js';
import { outputEvents } from './output-events.js';
import { AbortError, InvalidRequestError, MaxIterationsError } from './errors.js';
import type { InferOptions, InferenceOutput, LLMBackend, LLMMessage, StreamEvent, TokenUsage, ToolCall, ToolSchema } from './types.js';

export { DEFAULT_TOOL_TIMEOUT_MS, type AgentTool, type ToolContext, type ToolHandler, type ToolResult } from './agent-tool-runner.js';

export interface AgentStep {
  readonly iteration: number;
  readonly output: InferenceOutput;
  readonly toolResults: readonly ToolResult[];
}

export interface AgentResult {
  /** The final answer. */
  readonly content: string;
  readonly steps: readonly AgentStep[];
  /** Usage summed over every step. */
  readonly tokenUsage: TokenUsage;
  /** USD summed over every step; `undefined` if any step's price was unknown. */
  readonly costUsd: number | undefined;
  /** The whole conversation, ready to continue. */
  readonly messages: readonly LLMMessage[];
}

export type AgentEvent =
  | (StreamEvent & { readonly iteration: number })
  | { readonly type: 'tool-start'; readonly iteration: number; readonly toolCall: ToolCall }
  | { readonly type: 'tool-finish'; readonly iteration: number; readonly result: ToolResult }
  | { readonly type: 'step-finish'; readonly iteration: number; readonly step: AgentStep }
  | { readonly type: 'agent-finish'; readonly iteration: number; readonly result: AgentResult };

export interface AgentSettings {
  readonly name: string;
  readonly backend: LLMBackend;
  readonly tools: readonly AgentTool[];
  readonly systemPrompt: string | undefined;
  /** @default 10 */
  readonly maxIterations: number;
  readonly temperature: number | undefined;
  readonly maxTokens: number | undefined;
  /**
   * How long a tool handler may run before its call ends with a tool error the model sees; a
   * tool's own `timeoutMs` wins. `Infinity` never times out.
   * @default 60000
   */
  readonly toolTimeoutMs?: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /**
   * `runStream` only: call the model with `inferStream` and pass its events on as they come, or
   * with `infer` and pass on each step's answer as events once it is complete.
   * @default true
   */
  readonly stream?: boolean;
  /** Earlier turns to continue from (without the system prompt). */
  readonly history?: readonly LLMMessage[];
}

interface DeniedCall {
  readonly toolCall: ToolCall;
  readonly reason: string;
}

/** One model answer; `invalid` is set when its tool-call arguments were not JSON (see agent-invalid-arguments.ts). */
interface Answer {
  readonly output: InferenceOutput;
  readonly invalid?: { readonly content: string };
}

// Handed to tools when the run has no signal of its own: it never aborts.
const NEVER_ABORTED = new AbortController().signal;

/** Model → tool calls → tool results → model, until an answer or `maxIterations`. */
export class Agent {
  private readonly runner: ToolRunner;

  constructor(readonly settings: AgentSettings) {
    const ajv = createAjv({ allErrors: true, strict: false });
    const validators = new Map<string, ValidateFunction>();
    const toolTimeoutMs = checkTimeout('Agent toolTimeoutMs', settings.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS);
    for (const tool of settings.tools) {
      if (tool.timeoutMs !== undefined) checkTimeout(`Tool "${tool.name}" timeoutMs`, tool.timeoutMs);
      try {
        validators.set(tool.name, ajv.compile(tool.parameters));
      } catch (error) {
        throw new InvalidRequestError(`Tool "${tool.name}" has an invalid JSON schema for its parameters: ${(error as Error).message}. Fix the schema.`);
      }
    }
    this.runner = new ToolRunner(settings.tools, validators, toolTimeoutMs);
  }

  private get toolSchemas(): ToolSchema[] {
    return this.settings.tools.map(({ handler: _handler, timeoutMs: _timeoutMs, ...schema }) => schema);
  }

  private initialMessages(prompt: string | readonly LLMMessage[], history: readonly LLMMessage[]): LLMMessage[] {
    const messages: LLMMessage[] = [];
    if (this.settings.systemPrompt) messages.push({ role: 'system', content: this.settings.systemPrompt });
    messages.push(...history);
    if (typeof prompt === 'string') messages.push({ role: 'user', content: prompt });
    else messages.push(...prompt);
    return messages;
  }

  private inferOptions(signal: AbortSignal | undefined): InferOptions {
    return { temperature: this.settings.temperature, maxTokens: this.settings.maxTokens, signal };
  }

  async run(prompt: string | readonly LLMMessage[], options: RunOptions = {}): Promise<AgentResult> {
    let result: AgentResult | undefined;
    for await (const event of this.loop(prompt, options, 'silent')) if (event.type === 'agent-finish') result = event.result;
    return result as AgentResult;
  }

  /** Every step's stream events, plus tool start/finish, step and agent completion events. */
  runStream(prompt: string | readonly LLMMessage[], options: RunOptions = {}): AsyncIterable<AgentEvent> {
    return this.loop(prompt, options, options.stream === false ? 'replay' : 'stream');
  }

  /** `stream`: inferStream, events as they come; `replay`: infer, then its events; `silent`: infer, no model events. */
  private async *loop(prompt: string | readonly LLMMessage[], options: RunOptions, mode: 'stream' | 'replay' | 'silent'): AsyncGenerator<AgentEvent> {
    const { maxIterations } = this.settings;
    const messages = this.initialMessages(prompt, options.history ?? []);
    const usedIds = usedToolCallIds(messages);
    const signal = options.signal ?? NEVER_ABORTED;
    const steps: AgentStep[] = [];
    let usage = EMPTY_USAGE;
    let cost: number | undefined = 0;
    for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
      if (signal.aborted) throw new AbortError('The agent run was aborted by its AbortSignal before its next model call.');
      const answer = yield* this.ask(messages, options, mode, iteration);
      let output = answer.output;
      usage = addUsage(usage, output.tokenUsage);
      cost = cost === undefined || output.metadata.costUsd === undefined ? undefined : cost + output.metadata.costUsd;
      const denied = (output.metadata.deniedToolCalls as readonly DeniedCall[] | undefined) ?? [];
      const asked = output.toolCalls ?? [];
      if (asked.length === 0 && denied.length === 0) {
        messages.push({ role: 'assistant', content: output.content, ...(output.reasoningParts ? { reasoning: output.reasoningParts } : {}) });
        const step: AgentStep = { iteration, output, toolResults: [] };
        steps.push(step);
        yield { type: 'step-finish', iteration, step };
        const result: AgentResult = { content: output.content, steps, tokenUsage: usage, costUsd: cost, messages };
        yield { type: 'agent-finish', iteration, result };
        return;
      }
      // Before any tool runs: the next request must pass validation, and each result must answer one call.
      const unique = uniqueToolCallIds([...asked, ...denied.map((entry) => entry.toolCall)], usedIds);
      const calls = unique.slice(0, asked.length);
      if (calls.some((call, index) => call !== asked[index])) output = { ...output, toolCalls: calls };
      messages.push({ role: 'assistant', content: output.content, toolCalls: unique, ...(output.reasoningParts ? { reasoning: output.reasoningParts } : {}) });
      for (const call of calls) yield { type: 'tool-start', iteration, toolCall: call };
      // Independent tool calls run concurrently; results go back in the order the model asked.
      const invalid = answer.invalid;
      const executed = invalid
        ? calls.map((toolCall): ToolResult => ({ toolCall, content: invalid.content, isError: true, denied: false }))
        : await Promise.all(calls.map((call) => this.runner.run(call, signal)));
      const refused: ToolResult[] = denied.map((entry, index) => ({
        toolCall: unique[asked.length + index],
        content: `Tool call denied by approval policy: ${entry.reason}`,
        isError: true,
        denied: true,
      }));
      const results = [...executed, ...refused];
      for (const result of results) {
        yield { type: 'tool-finish', iteration, result };
        messages.push({ role: 'tool', toolCallId: result.toolCall.id, name: result.toolCall.name, content: result.content, ...(result.isError ? { isError: true } : {}) });
      }
      const step: AgentStep = { iteration, output, toolResults: results };
      steps.push(step);
      yield { type: 'step-finish', iteration, step };
    }
    throw new MaxIterationsError(maxIterations);
  }

  /** One model call, its events passed on; tool-call arguments that are not JSON become a step of their own. */
  private async *ask(messages: readonly LLMMessage[], options: RunOptions, mode: 'stream' | 'replay' | 'silent', iteration: number): AsyncGenerator<AgentEvent, Answer> {
    const { backend } = this.settings;
    const tools = this.toolSchemas;
    if (mode === 'stream') {
      const stream = backend.inferStream([...messages], tools, this.inferOptions(options.signal));
      for await (const event of stream) {
        if (event.type === 'error' && isInvalidToolArguments(event.error) && !options.signal?.aborted) {
          const step = invalidArgumentsStep(event.error, event.tokenUsage);
          return { output: step.output, invalid: step };
        }
        yield { ...event, iteration };
      }
      return { output: await stream.output() };
    }
    let output: InferenceOutput;
    try {
      output = await backend.infer([...messages], tools, this.inferOptions(options.signal));
    } catch (error) {
      if (!isInvalidToolArguments(error) || options.signal?.aborted) throw error;
      const step = invalidArgumentsStep(error, undefined);
      if (mode === 'replay') for (const event of outputEvents(step.output)) yield { ...event, iteration };
      return { output: step.output, invalid: step };
    }
    if (mode === 'replay') for (const event of outputEvents(output)) yield { ...event, iteration };
    return { output };
  }
}

export interface ToolOptions {
  /** Marks the tool for the approval plugin. @default false */
  readonly dangerous?: boolean;
  /** How long this tool may run before its call ends with a tool error. @default the agent's toolTimeoutMs (60000) */
  readonly timeoutMs?: number;
}

/** Builds an `Agent`: `new AgentBuilder().backend(b).tool(...).build()`. */
export class AgentBuilder {
  private settings: { -readonly [K in keyof AgentSettings]?: AgentSettings[K] } = { tools: [], maxIterations: 10 };

  name(name: string): this {
    this.settings.name = name;
    return this;
  }

  backend(backend: LLMBackend): this {
    this.settings.backend = backend;
    return this;
  }

  tool(name: string, description: string, parameters: Record<string, unknown>, handler: ToolHandler, options: ToolOptions = {}): this {
    if (this.settings.tools!.some((tool) => tool.name === name)) throw new TypeError(`AgentBuilder.tool: a tool named "${name}" was already added.`);
    if (options.timeoutMs !== undefined) checkTimeout(`AgentBuilder.tool("${name}") timeoutMs`, options.timeoutMs);
    const tool: AgentTool = {
      name,
      description,
      parameters,
      handler,
      ...(options.dangerous ? { dangerous: true } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    this.settings.tools = [...this.settings.tools!, tool];
    return this;
  }

  /** The agent-wide tool timeout, for tools that set none. `Infinity` never times out. @default 60000 */
  toolTimeout(timeoutMs: number): this {
    this.settings.toolTimeoutMs = checkTimeout('AgentBuilder.toolTimeout', timeoutMs);
    return this;
  }

  systemPrompt(prompt: string): this {
    this.settings.systemPrompt = prompt;
    return this;
  }

  maxIterations(count: number): this {
    if (!Number.isInteger(count) || count < 1) throw new TypeError(`AgentBuilder.maxIterations: expected an integer >= 1, got ${count}.`);
    this.settings.maxIterations = count;
    return this;
  }

  temperature(value: number): this {
    this.settings.temperature = value;
    return this;
  }

  maxTokens(value: number): this {
    this.settings.maxTokens = value;
    return this;
  }

  build(): Agent {
    if (!this.settings.backend) throw new TypeError('AgentBuilder.build: call .backend(...) first.');
    return new Agent({
      name: this.settings.name ?? 'agent',
      backend: this.settings.backend,
      tools: this.settings.tools ?? [],
      systemPrompt: this.settings.systemPrompt,
      maxIterations: this.settings.maxIterations ?? 10,
      temperature: this.settings.temperature,
      maxTokens: this.settings.maxTokens,
      toolTimeoutMs: this.settings.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    });
  }
}
