import type { Interface } from 'node:readline/promises';
import { AbortError } from '../core/errors.js';
import type { Kernel } from '../core/kernel.js';
import { formatUsd, getCostLedger } from '../plugins/cost/index.js';
import type { ChatSession } from './chat-session.js';
import { errorLine } from './error-line.js';
import type { CliIO } from './main.js';

export const INTERACTIVE_HELP = `  /reset   forget the conversation and start over
  /exit    quit (also /quit, Ctrl-D; Ctrl-C stops an answer, or quits at the prompt)
  /help    show this list`;

export interface InteractiveChatOptions {
  readonly session: ChatSession;
  /** The session reads its lines here; the approver asks its questions on it too. */
  readonly readline: Interface;
  readonly kernel: Kernel;
  /** Answered before the first line is read. */
  readonly firstPrompt?: string | undefined;
}

/**
 * A conversation at the terminal: every line is a turn that sees the turns before it. Also reads
 * lines from a pipe (`chat -i < script.txt`), answering each in order.
 */
export async function runInteractiveChat(io: CliIO, options: InteractiveChatOptions): Promise<number> {
  const { session, readline } = options;
  const style = io.errorStyle;
  let turn: AbortController | undefined;
  readline.setPrompt(style.bold('› '));
  const prompt = (): void => {
    if (io.tty.stdin) readline.prompt();
  };
  // With a listener, Ctrl-C reaches us instead of pausing the input.
  readline.on('SIGINT', () => {
    if (turn) turn.abort(new AbortError('Cancelled at the terminal.'));
    else readline.close();
  });
  const send = async (text: string): Promise<void> => {
    turn = new AbortController();
    try {
      await session.send(text, turn.signal);
    } catch (error) {
      session.pause();
      io.stderr.write(turn.signal.aborted ? `${style.dim('(answer stopped)')}\n` : `${errorLine(error, style)}\n`);
    } finally {
      turn = undefined;
    }
  };

  if (io.tty.stdin) io.stderr.write(style.dim(`Type a message. /reset starts over, /exit or Ctrl-D quits, /help lists the commands.\n`));
  if (options.firstPrompt !== undefined) await send(options.firstPrompt);
  prompt();
  let exited = false;
  for await (const raw of readline) {
    const line = raw.trim();
    if (line.startsWith('/')) {
      const command = line.slice(1).split(/\s+/, 1)[0].toLowerCase();
      if (command === 'exit' || command === 'quit') {
        exited = true;
        break;
      }
      if (command === 'reset') {
        session.reset();
        io.stderr.write(style.dim('(conversation cleared)\n'));
      } else if (command === 'help') {
        io.stderr.write(`${INTERACTIVE_HELP}\n`);
      } else {
        io.stderr.write(`unknown command "/${command}"; /help lists them\n`);
      }
    } else if (line !== '') {
      await send(line);
    }
    prompt();
  }
  readline.close();
  // Ctrl-D leaves the cursor after the prompt.
  if (io.tty.stdin && !exited) io.stderr.write('\n');
  const summary = sessionSummary(session, options.kernel);
  if (summary) io.stderr.write(`${style.dim(summary)}\n`);
  return 0;
}

/** `session: 2 turns, 3 calls · cost: $0.0012` (from the cost plugin's ledger when it is applied). */
function sessionSummary(session: ChatSession, kernel: Kernel): string | undefined {
  const totals = session.summary;
  if (totals.turns === 0) return undefined;
  const head = `session: ${totals.turns} turn${totals.turns === 1 ? '' : 's'}, ${totals.calls} call${totals.calls === 1 ? '' : 's'}`;
  const ledger = getCostLedger(kernel)?.summary();
  if (ledger) {
    const unpriced = ledger.unknownPricingCalls > 0 ? ` (+ ${ledger.unknownPricingCalls} calls of unpriced models)` : '';
    return `${head} · cost: ${formatUsd(ledger.totalUsd)}${unpriced}`;
  }
  return `${head} · ${totals.costUsd === undefined ? 'cost unknown' : `cost: ${formatUsd(totals.costUsd)}`}`;
}
