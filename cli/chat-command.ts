import { createInterface, type Interface } from 'node:readline/promises';
import { AgentBuilder, type AgentResult } from '../core/agent.js';
import { didYouMean } from '../core/config-errors.js';
import type { HyperAgent } from '../core/create-hyper-agent.js';
import { AbortError, ConfigError } from '../core/errors.js';
import type { InferenceOutput, LLMBackend } from '../core/types.js';
import { createTerminalApprover, setApprover } from '../plugins/approval/index.js';
import { setLogLineSink } from '../plugins/logging/log-line-sink.js';
import { Kernel } from '../core/kernel.js';
import { HeldLogLines } from './held-log-lines.js';
import { openAgent } from './open-agent.js';
import { backendLabel } from './backend-label.js';
import { BUILT_IN_TOOLS } from './built-in-tools.js';
import { ChatSession } from './chat-session.js';
import { INTERACTIVE_HELP, runInteractiveChat } from './interactive-chat.js';
import type { CliCommand, CliIO } from './main.js';
import { UsageError } from './cli-errors.js';

const DEFAULT_MAX_ITERATIONS = 10;

/** What `chat --json` prints: the last model call's output, with the whole turn's cost and usage. */
export interface ChatJsonOutput extends InferenceOutput {
  /** USD of every model call of the turn; `null` when a model's price is unknown. */
  readonly costUsd: number | null;
  /** Usage summed over every model call of the turn. */
  readonly totalTokenUsage: AgentResult['tokenUsage'];
  /** Model calls the turn took (one more than the rounds of tool calls). */
  readonly steps: number;
}

function chatJson(result: AgentResult): ChatJsonOutput {
  const last = result.steps[result.steps.length - 1].output;
  return { ...last, costUsd: result.costUsd ?? null, totalTokenUsage: result.tokenUsage, steps: result.steps.length };
}

function maxIterations(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_ITERATIONS;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1) throw new UsageError(`--max-iterations must be a whole number of at least 1 (got "${value}").`);
  return count;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The named backend, or the default one; an unknown name is one clear error with a suggestion. */
function pickBackend(agent: HyperAgent, name: string | undefined): { readonly name: string; readonly backend: LLMBackend } {
  const chosen = name ?? agent.kernel.defaultBackend;
  if (chosen !== undefined && !agent.backendNames.includes(chosen)) {
    const suggestion = didYouMean(chosen, agent.backendNames);
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
    throw new ConfigError(`No backend is named "${chosen}".${hint} Configured: ${agent.backendNames.join(', ')}.`, [{ path: '/backends', message: `no backend "${chosen}"` }], agent.configPath);
  }
  return { name: chosen ?? '', backend: agent.backend(chosen) };
}

/** `hyperagent chat`: the agent loop with built-in tools, streamed to the terminal. */
export const chatCommand: CliCommand = {
  name: 'chat',
  summary: 'Chat with a model: stream an answer, with real built-in tools (clock, calculator).',
  usage: 'hyperagent chat [PROMPT] [options]',
  help: [
    '  -b, --backend NAME        the backend to use (default: the config\'s defaultBackend)',
    '  -m, --model NAME          provider/model of a built-in provider, no backend needed in a config',
    '                            (e.g. anthropic/claude-sonnet-4-6, its key from ANTHROPIC_API_KEY)',
    '  -c, --config PATH         the config file (default: searched from here up)',
    '  -s, --system TEXT         a system prompt',
    '  -i, --interactive         a conversation, also when stdin is not a terminal (one turn per line)',
    '      --no-stream           wait for each whole answer (the model is called with infer)',
    '      --json                print the final output as JSON on stdout, nothing else',
    `      --max-iterations N    model calls per turn, tool rounds included (default ${DEFAULT_MAX_ITERATIONS})`,
    '      --no-tools            offer the model no tools',
  ].join('\n'),
  details: [
    'Without PROMPT, a terminal gets a conversation and a pipe is read as the prompt.',
    'The answer goes to stdout; tool calls, the backend in use and a usage line',
    '(tokens, cost, time) go to stderr. Tools: get_current_time (IANA time zone),',
    'calculate (arithmetic). In a conversation:',
    INTERACTIVE_HELP,
    '',
    'Examples:',
    '  hyperagent chat "What time is it in Tokyo?"',
    '  echo "What is 2^10 - 24?" | hyperagent chat --backend gpt --json',
    '  hyperagent chat --model anthropic/claude-sonnet-4-6 "Hello"   (no config needed)',
  ].join('\n'),
  options: {
    backend: { type: 'string', short: 'b' },
    model: { type: 'string', short: 'm' },
    config: { type: 'string', short: 'c' },
    system: { type: 'string', short: 's' },
    interactive: { type: 'boolean', short: 'i' },
    'no-stream': { type: 'boolean' },
    json: { type: 'boolean' },
    'max-iterations': { type: 'string' },
    'no-tools': { type: 'boolean' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const json = values.json === true;
    const iterations = maxIterations(values['max-iterations'] as string | undefined);
    let prompt: string | undefined = positionals.join(' ').trim() || undefined;
    const interactive = values.interactive === true || (prompt === undefined && io.tty.stdin);
    if (json && interactive) throw new UsageError('--json prints one answer: give a prompt (or pipe one) instead of starting a conversation.');
    if (!interactive && prompt === undefined) {
      prompt = (await readAll(io.stdin)).trim();
      if (prompt === '') throw new UsageError('No prompt: give one as an argument, pipe one on stdin, or run in a terminal for a conversation.');
    }

    const model = values.model as string | undefined;
    if (model !== undefined && values.backend !== undefined) throw new UsageError('Give --backend (a backend of the config) or --model (provider/model), not both.');
    // On a terminal the logging plugin's lines wait until the answer is written (see HeldLogLines).
    const logLines = io.tty.stdout || io.tty.stderr ? new HeldLogLines(io.stderr) : undefined;
    const kernel = new Kernel();
    if (logLines) setLogLineSink(kernel, logLines);
    const agent = await openAgent({ config: values.config as string | undefined, model, io, kernel });
    const { name, backend } = pickBackend(agent, model ?? (values.backend as string | undefined));
    io.stderr.write(`${io.errorStyle.dim(`using ${backendLabel(agent, name, backend, io.env, values.backend !== undefined || model !== undefined)}`)}\n`);

    const streaming = values['no-stream'] !== true && backend.supportsStreaming();
    const builder = new AgentBuilder()
      .name('hyperagent chat')
      .backend(backend)
      .maxIterations(iterations);
    if (typeof values.system === 'string' && values.system !== '') builder.systemPrompt(values.system);
    if (values['no-tools'] !== true && backend.supportsFunctionCalling()) {
      for (const tool of BUILT_IN_TOOLS) builder.tool(tool.name, tool.description, tool.parameters, tool.handler);
    }
    const session = new ChatSession(builder.build(), io, { quiet: json, mockPrices: backend.provider === 'mock', stream: streaming, ...(logLines ? { logLines } : {}) });

    const readline: Interface | undefined = interactive
      ? createInterface({ input: io.stdin, output: io.stderr, terminal: io.tty.stdin && io.tty.stderr, historySize: 200 })
      : undefined;
    if (agent.kernel.hasPlugin('approval') && io.tty.stdin) {
      const ask = createTerminalApprover(readline ? { readline } : { input: io.stdin, output: io.stderr });
      setApprover(agent.kernel, (request, signal) => {
        session.pause();
        return ask(request, signal);
      });
    }
    if (readline) return runInteractiveChat(io, { session, readline, kernel: agent.kernel, firstPrompt: prompt });
    return sendOnce(session, prompt as string, io, json);
  },
};

/** One turn; Ctrl-C stops it (exit 130). */
async function sendOnce(session: ChatSession, prompt: string, io: CliIO, json: boolean): Promise<number> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort(new AbortError('Cancelled at the terminal.'));
  process.once('SIGINT', cancel);
  try {
    const result = await session.send(prompt, controller.signal);
    if (json) io.stdout.write(`${JSON.stringify(chatJson(result), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    io.stderr.write(`${io.errorStyle.dim('(answer stopped)')}\n`);
    return 130;
  } finally {
    process.off('SIGINT', cancel);
  }
}
