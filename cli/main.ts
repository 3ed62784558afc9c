#!/usr/bin/env node
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../core/config-errors.js';
import { chatCommand } from './chat-command.js';
import { modelsCommand } from './models-command.js';
import { pricesCommand } from './prices-command.js';
import { serveCommand } from './serve-command.js';
import { configFolder, loadEnvFile } from './env-file.js';
import { errorLine } from './error-line.js';
import { UsageError } from './cli-errors.js';
import { validateCommand } from './validate-command.js';

export interface CliStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
}

export interface CliIO {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Which of the three streams is a terminal. */
  readonly tty: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
  /** Colours for stdout; plain text unless stdout is a TTY and NO_COLOR is unset. */
  readonly style: CliStyle;
  /** Colours for stderr; plain text unless stderr is a TTY and NO_COLOR is unset. */
  readonly errorStyle: CliStyle;
}

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface CliArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** A subcommand. Add one to `commands` below; `--help` is added to its options for it. */
export interface CliCommand {
  readonly name: string;
  /** One line for the program's help. */
  readonly summary: string;
  /** e.g. `hyperagent validate [--config PATH]` */
  readonly usage: string;
  /** The options block of `hyperagent <command> --help`. */
  readonly help: string;
  readonly options: CliOptions;
  /** More text for `hyperagent <command> --help`, after the options. */
  readonly details?: string;
  readonly allowPositionals?: boolean;
  /** Resolves to the exit code. Throwing prints one line on stderr and exits 1. */
  run(args: CliArgs, io: CliIO): Promise<number>;
}

/** The subcommands, by name. */
export const commands: Readonly<Record<string, CliCommand>> = {
  chat: chatCommand,
  models: modelsCommand,
  prices: pricesCommand,
  serve: serveCommand,
  validate: validateCommand,
};

export function makeStyle(enabled: boolean): CliStyle {
  const paint = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: paint(1, 22), dim: paint(2, 22), red: paint(31, 39), green: paint(32, 39), yellow: paint(33, 39) };
}

/**
 * Whether a stream gets colours: `FORCE_COLOR` decides when set (`0` or `false`: never, anything
 * else: always, a pipe included, as Node and most tools read it); else none with `NO_COLOR` set;
 * else only on a terminal.
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTerminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return env.NO_COLOR === undefined && isTerminal;
}

export function defaultIO(): CliIO {
  const tty = { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true };
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    tty,
    style: makeStyle(colorEnabled(process.env, tty.stdout)),
    errorStyle: makeStyle(colorEnabled(process.env, tty.stderr)),
  };
}

function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hyperagent' && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function programHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.values(commands)
    .map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `hyperagent ${version()}: one interface over many LLM providers.

Usage: hyperagent <command> [options]

Commands:
${list}

Options:
  -h, --help     show help (also: hyperagent <command> --help)
  -v, --version  print the version

Examples:
  hyperagent chat "What time is it in Tokyo?"
  hyperagent models
  hyperagent serve --port 8787

Environment: a .env file in the config's folder (or here, without a config) is loaded first, with
Node's process.loadEnvFile; it never overrides a variable already set. Colours only on a terminal
and never with NO_COLOR set; FORCE_COLOR=1 forces them (a pipe included), FORCE_COLOR=0 turns them
off. Set HYPERAGENT_DEBUG=1 to see stack traces.
`;
}

function commandHelp(command: CliCommand): string {
  const details = command.details ? `\n${command.details}\n` : '';
  // Line up with the descriptions of the command's own options.
  const width = /^( +-\S.*? {2,})\S/.exec(command.help)?.[1].length ?? 21;
  return `Usage: ${command.usage}\n\n${command.summary}\n\nOptions:\n${command.help}\n${'  -h, --help'.padEnd(width)}show this help\n${details}`;
}

/** Run the CLI with `argv` (without `node` and the script). Resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(programHelp());
      return 1;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      const command = rest[0] !== undefined ? commands[rest[0]] : undefined;
      io.stdout.write(command ? commandHelp(command) : programHelp());
      return 0;
    }
    if (first === '-v' || first === '--version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option "${first}". Options go after the command; run "hyperagent --help".`);
    const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
    if (!command) {
      const suggestion = didYouMean(first, Object.keys(commands));
      throw new UsageError(`unknown command "${first}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Run "hyperagent --help" for the list.`);
    }
    let parsed: CliArgs;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: command.allowPositionals ?? false,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}.${optionSuggestion(error, command)} Run "hyperagent ${command.name} --help".`);
    }
    if (parsed.values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(parsed, withEnvFile(io, command, parsed));
  } catch (error) {
    return reportError(error, io);
  }
}

/** ` Did you mean "--model"?` for an unknown option close to one of the command's; else ''. */
function optionSuggestion(error: unknown, command: CliCommand): string {
  if ((error as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return '';
  const given = /'(-{1,2}[^'=]+)/.exec((error as Error).message)?.[1];
  if (!given?.startsWith('--')) return '';
  const names = [...Object.keys(command.options), 'help'].map((name) => `--${name}`);
  const suggestion = didYouMean(given, names);
  return suggestion ? ` Did you mean "${suggestion}"?` : '';
}

/** `io` with the `.env` of the config's folder loaded, for the commands that read a config. */
function withEnvFile(io: CliIO, command: CliCommand, args: CliArgs): CliIO {
  if (!Object.hasOwn(command.options, 'config')) return io;
  const folder = configFolder(args.values.config as string | undefined, io.cwd) ?? io.cwd;
  const { env } = loadEnvFile(folder, io.env);
  return env === io.env ? io : { ...io, env };
}

/** Print `error` as one clear message on stderr (a stack trace only with HYPERAGENT_DEBUG=1); resolves to the exit code. */
export function reportError(error: unknown, io: CliIO): number {
  if (io.env.HYPERAGENT_DEBUG === '1' && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
    if (error.cause) io.stderr.write(`Caused by: ${String((error.cause as Error).stack ?? error.cause)}\n`);
  } else {
    io.stderr.write(`${errorLine(error, io.errorStyle)}\n`);
  }
  return error instanceof UsageError ? 2 : 1;
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `hyperagent chat ... | head -1`: a reader that went away is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
  // A failed command is over even if something still holds the event loop (a provider module whose import timed out may wait on a timer for days).
  if (process.exitCode !== 0) process.stdout.write('', () => process.stderr.write('', () => process.exit()));
}
