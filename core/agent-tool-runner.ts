import type { ValidateFunction } from 'ajv';
import { AbortError, toHyperAgentError } from './errors.js';
import type { ToolCall, ToolSchema } from './types.js';

/** What a tool handler is given besides its arguments. */
export interface ToolContext {
  /**
   * Aborts when the run is aborted, when its `runStream` consumer stops, or when the tool's
   * `timeoutMs` passes (reason: a `TimeoutError` DOMException). Pass it on to `fetch` and the like;
   * a handler that ignores it is left behind, but the agent does not wait for it.
   */
  readonly signal: AbortSignal;
  readonly toolCall: ToolCall;
}

export type ToolHandler = (args: Record<string, unknown>, context: ToolContext) => unknown;

export interface AgentTool extends ToolSchema {
  readonly handler: ToolHandler;
  /**
   * How long the handler may run before its call ends with a tool error the model sees.
   * `Infinity` never times out. @default the agent's `toolTimeoutMs` (60 000 ms)
   */
  readonly timeoutMs?: number;
}

export interface ToolResult {
  readonly toolCall: ToolCall;
  /** What the model is told: the handler's return value (strings as they are, the rest as JSON) or the error. */
  readonly content: string;
  readonly isError: boolean;
  /** The approval policy denied this call; it was never executed. */
  readonly denied: boolean;
  /** The handler did not finish within its `timeoutMs`. */
  readonly timedOut?: boolean;
}

/** Agent-wide tool timeout when neither the agent nor the tool sets one. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

// setTimeout fires at once for delays past 2^31 - 1 ms (about 24.8 days): longer means never.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A `TypeError` naming `option` unless `value` is a timeout: a number > 0, `Infinity` included. */
export function checkTimeout(option: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`${option}: expected a number of milliseconds > 0 (or Infinity for none), got ${String(value)}.`);
  }
  return value;
}

interface Settled {
  readonly kind: 'value' | 'error' | 'timeout' | 'aborted';
  readonly value?: unknown;
}

/**
 * Runs one tool call: unknown tools and arguments that fail the tool's schema become tool errors;
 * the handler is raced against its timeout and the run's signal, so neither a slow handler nor one
 * that ignores its signal can hold the run.
 */
export class ToolRunner {
  constructor(
    private readonly tools: readonly AgentTool[],
    private readonly validators: ReadonlyMap<string, ValidateFunction>,
    private readonly defaultTimeoutMs: number,
  ) {}

  async run(toolCall: ToolCall, signal: AbortSignal): Promise<ToolResult> {
    if (signal.aborted) throw abortError(toolCall);
    const tool = this.tools.find((candidate) => candidate.name === toolCall.name);
    const fail = (content: string): ToolResult => ({ toolCall, content, isError: true, denied: false });
    if (!tool) return fail(`Error: there is no tool named "${toolCall.name}". Available tools: ${this.tools.map((t) => t.name).join(', ') || 'none'}.`);
    const validate = this.validators.get(tool.name);
    if (validate && !validate(toolCall.arguments)) {
      const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ');
      return fail(`Error: invalid arguments for "${tool.name}": ${problems}. Call it again with arguments that match its schema.`);
    }
    const timeoutMs = tool.timeoutMs ?? this.defaultTimeoutMs;
    const settled = await this.race(tool, toolCall, signal, timeoutMs);
    if (settled.kind === 'aborted') throw abortError(toolCall);
    if (settled.kind === 'timeout') {
      return {
        ...fail(`Error: the tool "${tool.name}" did not finish within ${timeoutMs} ms, so it was stopped and gave no result. Try a smaller request, or answer without it.`),
        timedOut: true,
      };
    }
    if (settled.kind === 'error') return fail(`Error: ${toHyperAgentError(settled.value).message}`);
    const value = settled.value;
    return { toolCall, content: typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'), isError: false, denied: false };
  }

  private race(tool: AgentTool, toolCall: ToolCall, runSignal: AbortSignal, timeoutMs: number): Promise<Settled> {
    const controller = new AbortController();
    return new Promise<Settled>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (settled: Settled): void => {
        if (timer !== undefined) clearTimeout(timer);
        runSignal.removeEventListener('abort', onAbort);
        resolve(settled);
      };
      const onAbort = (): void => {
        controller.abort(runSignal.reason);
        finish({ kind: 'aborted' });
      };
      runSignal.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          controller.abort(new DOMException(`The tool "${tool.name}" did not finish within ${timeoutMs} ms.`, 'TimeoutError'));
          finish({ kind: 'timeout' });
        }, timeoutMs);
      }
      // The executor catches a handler that throws synchronously; a late settle after a timeout or an abort is ignored.
      new Promise<unknown>((settle) => settle(tool.handler(toolCall.arguments, { signal: controller.signal, toolCall }))).then(
        (value) => finish({ kind: 'value', value }),
        (error: unknown) => finish(runSignal.aborted ? { kind: 'aborted' } : controller.signal.aborted ? { kind: 'timeout' } : { kind: 'error', value: error }),
      );
    });
  }
}

function abortError(toolCall: ToolCall): AbortError {
  return new AbortError(`The agent run was aborted by its AbortSignal while the tool "${toolCall.name}" (call ${toolCall.id}) was due or running; its result was discarded.`);
}
