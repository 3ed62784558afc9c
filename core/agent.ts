import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv-loader.js';
import { addUsage, EMPTY_USAGE } from './cost.js';
import { outputEvents } from './output-events.js';
import { AbortError, InvalidRequestError, MaxIterationsError, toHyperAgentError } from './errors.js';
import type { InferOptions, InferenceOutput, LLMBackend, LLMMessage, StreamEvent, TokenUsage, ToolCall, ToolSchema } from './types.js';


export interface ToolContext {
  readonly signal: AbortSignal | undefined;
  readonly toolCall: ToolCall;
}

export type ToolHandler = (args: Record<string, unknown>, context: ToolContext) => unknown;

export interface AgentTool extends ToolSchema {
  readonly handler: ToolHandler;
}

export interface ToolResult {
  readonly toolCall: ToolCall;
  /** What the model is told: the handler's return value (strings as they are, the rest as JSON) or the error. */
  readonly content: string;
  readonly isError: boolean;
  /** The approval policy denied this call; it was never executed. */
  readonly denied: boolean;
}

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

/** Model → tool calls → tool results → model, until an answer or `maxIterations`. */
export class Agent {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly settings: AgentSettings) {
    const ajv = createAjv({ allErrors: true, strict: false });
    for (const tool of settings.tools) {
      try {
        this.validators.set(tool.name, ajv.compile(tool.parameters));
      } catch (error) {
        throw new InvalidRequestError(`Tool "${tool.name}" has an invalid JSON schema for its parameters: ${(error as Error).message}. Fix the schema.`);
      }
    }
  }

  private get toolSchemas(): ToolSchema[] {
    return this.settings.tools.map(({ handler: _handler, ...schema }) => schema);
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
    const { backend, maxIterations } = this.settings;
    const messages = this.initialMessages(prompt, options.history ?? []);
    const steps: AgentStep[] = [];
    const tools = this.toolSchemas;
    let usage = EMPTY_USAGE;
    let cost: number | undefined = 0;
    for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
      let output: InferenceOutput;
      if (mode === 'stream') {
        const stream = backend.inferStream([...messages], tools, this.inferOptions(options.signal));
        for await (const event of stream) yield { ...event, iteration };
        output = await stream.output();
      } else {
        output = await backend.infer([...messages], tools, this.inferOptions(options.signal));
        if (mode === 'replay') for (const event of outputEvents(output)) yield { ...event, iteration };
      }
      usage = addUsage(usage, output.tokenUsage);
      cost = cost === undefined || output.metadata.costUsd === undefined ? undefined : cost + output.metadata.costUsd;
      const denied = (output.metadata.deniedToolCalls as readonly DeniedCall[] | undefined) ?? [];
      const calls = output.toolCalls ?? [];
      if (calls.length === 0 && denied.length === 0) {
        messages.push({ role: 'assistant', content: output.content, ...(output.reasoningParts ? { reasoning: output.reasoningParts } : {}) });
        const step: AgentStep = { iteration, output, toolResults: [] };
        steps.push(step);
        yield { type: 'step-finish', iteration, step };
        const result: AgentResult = { content: output.content, steps, tokenUsage: usage, costUsd: cost, messages };
        yield { type: 'agent-finish', iteration, result };
        return;
      }
      messages.push({
        role: 'assistant',
        content: output.content,
        toolCalls: [...calls, ...denied.map((entry) => entry.toolCall)],
        ...(output.reasoningParts ? { reasoning: output.reasoningParts } : {}),
      });
      for (const call of calls) yield { type: 'tool-start', iteration, toolCall: call };
      // Independent tool calls run concurrently; results go back in the order the model asked.
      const executed = await Promise.all(calls.map((call) => this.execute(call, options.signal)));
      const refused: ToolResult[] = denied.map((entry) => ({
        toolCall: entry.toolCall,
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

  private async execute(toolCall: ToolCall, signal: AbortSignal | undefined): Promise<ToolResult> {
    if (signal?.aborted) throw new AbortError();
    const tool = this.settings.tools.find((candidate) => candidate.name === toolCall.name);
    const fail = (content: string): ToolResult => ({ toolCall, content, isError: true, denied: false });
    if (!tool) return fail(`Error: there is no tool named "${toolCall.name}". Available tools: ${this.settings.tools.map((t) => t.name).join(', ') || 'none'}.`);
    const validate = this.validators.get(tool.name);
    if (validate && !validate(toolCall.arguments)) {
      const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ');
      return fail(`Error: invalid arguments for "${tool.name}": ${problems}. Call it again with arguments that match its schema.`);
    }
    try {
      const value = await tool.handler(toolCall.arguments, { signal, toolCall });
      return { toolCall, content: typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'), isError: false, denied: false };
    } catch (error) {
      if (signal?.aborted) throw new AbortError();
      return fail(`Error: ${toHyperAgentError(error).message}`);
    }
  }
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

  tool(name: string, description: string, parameters: Record<string, unknown>, handler: ToolHandler, options: { dangerous?: boolean } = {}): this {
    if (this.settings.tools!.some((tool) => tool.name === name)) throw new TypeError(`AgentBuilder.tool: a tool named "${name}" was already added.`);
    this.settings.tools = [...this.settings.tools!, { name, description, parameters, handler, ...(options.dangerous ? { dangerous: true } : {}) }];
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
    });
  }
}
