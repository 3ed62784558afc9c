import type { AgentEvent, ToolResult } from '../core/agent.js';
import type { ToolCall } from '../core/types.js';
import type { CliIO } from './main.js';
import { Spinner } from './spinner.js';

export interface ChatRendererOptions {
  /** Leave stdout alone (the caller prints JSON at the end). */
  readonly quiet: boolean;
}

const MAX_SHOWN = 240;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN - 1)}…` : flat;
}

/** `get_current_time({"timezone":"Asia/Tokyo"})` */
export function formatToolCall(call: ToolCall): string {
  return `${call.name}(${oneLine(JSON.stringify(call.arguments))})`;
}

/**
 * Shows one turn of the agent as it happens: the answer on stdout, token by token; reasoning
 * dimmed (on stdout only when it is a terminal, else on stderr); tool calls and their results on
 * stderr; a spinner on stderr (terminals only) while waiting for the model.
 */
export class ChatRenderer {
  private readonly spinner: Spinner;
  /** The stream that has a line without its newline yet. */
  private open: 'stdout' | 'stderr' | undefined;
  private reasoningOn: 'stdout' | 'stderr' | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly options: ChatRendererOptions,
  ) {
    this.spinner = new Spinner(io.stderr, io.tty.stderr, io.errorStyle.dim);
  }

  start(): void {
    this.spinner.start('thinking');
  }

  /** Stop the spinner, e.g. before asking the user something. */
  pause(): void {
    this.spinner.stop();
    this.endLine();
  }

  handle(event: AgentEvent): void {
    switch (event.type) {
      case 'text-delta':
        this.spinner.stop();
        if (this.options.quiet || event.text === '') return;
        if (this.reasoningOn) this.endReasoning();
        this.write('stdout', event.text);
        return;
      case 'reasoning-delta':
        this.spinner.stop();
        if (event.text === '') return;
        this.reasoning(event.text);
        return;
      case 'tool-call-start':
        this.spinner.stop();
        return;
      case 'tool-start':
        this.spinner.stop();
        this.endLine();
        this.io.stderr.write(`${this.io.errorStyle.bold('→')} ${formatToolCall(event.toolCall)}\n`);
        return;
      case 'tool-finish':
        this.io.stderr.write(`${this.toolResultLine(event.result)}\n`);
        return;
      case 'step-finish':
        if (event.step.toolResults.length > 0) this.spinner.start('thinking');
        return;
      case 'agent-finish':
        this.finish();
        return;
      default:
        return;
    }
  }

  /** End the turn's output: stop the spinner, end the last line. Safe to call twice. */
  finish(): void {
    this.spinner.stop();
    this.endLine();
  }

  private toolResultLine(result: ToolResult): string {
    const style = this.io.errorStyle;
    if (result.denied) return style.yellow(`  ⊘ ${oneLine(result.content)}`);
    if (result.isError) return style.red(`  ✖ ${oneLine(result.content)}`);
    return style.dim(`  ← ${oneLine(result.content)}`);
  }

  private reasoning(text: string): void {
    // Dimmed reasoning belongs on stdout only where a person reads it; piped stdout keeps just the answer.
    const target = this.io.tty.stdout && !this.options.quiet ? 'stdout' : 'stderr';
    const style = target === 'stdout' ? this.io.style : this.io.errorStyle;
    if (this.reasoningOn !== target) {
      this.endLine();
      this.reasoningOn = target;
    }
    this.write(target, style.dim(text));
  }

  private endReasoning(): void {
    const target = this.reasoningOn;
    this.reasoningOn = undefined;
    this.endLine();
    if (target === 'stdout') this.io.stdout.write('\n');
  }

  private write(target: 'stdout' | 'stderr', text: string): void {
    if (this.open && this.open !== target) this.endLine();
    this.io[target].write(text);
    this.open = text.endsWith('\n') ? undefined : target;
  }

  private endLine(): void {
    if (this.open) this.io[this.open].write('\n');
    this.open = undefined;
  }
}
