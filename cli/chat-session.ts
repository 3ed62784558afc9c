import { performance } from 'node:perf_hooks';
import type { Agent, AgentResult } from '../core/agent.js';
import { addUsage, EMPTY_USAGE } from '../core/cost.js';
import type { LLMMessage, TokenUsage } from '../core/types.js';
import { ChatRenderer } from './chat-renderer.js';
import type { HeldLogLines } from './held-log-lines.js';
import type { CliIO } from './main.js';
import { usageLine } from './usage-line.js';

export interface ChatSessionOptions {
  /** Print nothing on stdout while the turn runs (`--json`). */
  readonly quiet: boolean;
  /** The backend's prices are the mock's made-up ones. */
  readonly mockPrices: boolean;
  /** Call the model streaming; else each answer is shown whole once it arrives. @default true */
  readonly stream?: boolean;
  /** The logging plugin's terminal lines, held while an answer is written. @default none */
  readonly logLines?: HeldLogLines;
}

export interface SessionTotals {
  readonly turns: number;
  readonly calls: number;
  readonly tokenUsage: TokenUsage;
  readonly costUsd: number | undefined;
}

/**
 * A conversation with the agent: each `send` runs the agent loop on the history so far, shows it
 * as it happens, prints the usage line on stderr and, if it succeeded, keeps the turn.
 */
export class ChatSession {
  private history: LLMMessage[] = [];
  private renderer: ChatRenderer | undefined;
  private totals: SessionTotals = { turns: 0, calls: 0, tokenUsage: EMPTY_USAGE, costUsd: 0 };

  constructor(
    private readonly agent: Agent,
    private readonly io: CliIO,
    private readonly options: ChatSessionOptions,
  ) {}

  /** Forget the conversation (`/reset`). */
  reset(): void {
    this.history = [];
  }

  get turns(): number {
    return this.history.filter((message) => message.role === 'user').length;
  }

  get summary(): SessionTotals {
    return this.totals;
  }

  /** Stop the spinner of the turn in flight, before something else is written to the terminal. */
  pause(): void {
    this.renderer?.pause();
  }

  async send(prompt: string, signal?: AbortSignal): Promise<AgentResult> {
    const renderer = new ChatRenderer(this.io, { quiet: this.options.quiet });
    this.renderer = renderer;
    const startedAt = performance.now();
    let result: AgentResult | undefined;
    renderer.start();
    this.options.logLines?.hold();
    try {
      for await (const event of this.agent.runStream(prompt, { history: this.history, stream: this.options.stream ?? true, ...(signal ? { signal } : {}) })) {
        renderer.handle(event);
        if (event.type === 'agent-finish') result = event.result;
      }
    } finally {
      renderer.finish();
      this.renderer = undefined;
      this.options.logLines?.release();
    }
    if (!result) throw new Error('The agent finished without a result.');
    const elapsedMs = performance.now() - startedAt;
    // The agent puts the system prompt first; the history it continues from leaves it out.
    this.history = result.messages.filter((message, index) => !(index === 0 && message.role === 'system'));
    const calls = result.steps.length;
    this.totals = {
      turns: this.totals.turns + 1,
      calls: this.totals.calls + calls,
      tokenUsage: addUsage(this.totals.tokenUsage, result.tokenUsage),
      costUsd: this.totals.costUsd === undefined || result.costUsd === undefined ? undefined : this.totals.costUsd + result.costUsd,
    };
    const line = usageLine({ tokenUsage: result.tokenUsage, costUsd: result.costUsd, calls, elapsedMs, mockPrices: this.options.mockPrices });
    this.io.stderr.write(`${this.io.errorStyle.dim(line)}\n`);
    return result;
  }
}
