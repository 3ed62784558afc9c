// Runs the built CLI the way a user does, with a clean environment: no provider keys, no colour.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const bin = join(root, 'dist', 'cli', 'main.js');

/** `npm test` builds first (pretest); a single file run from an editor may not have. */
export function ensureBuilt(): void {
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}

/** process.env without any API key or debug switch, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /API_KEY|_TOKEN$/.test(name) || name === 'HYPERAGENT_DEBUG' || name === 'FORCE_COLOR') continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
}

/** Spawn the CLI and wait for it; asynchronous, so a server in this process can answer it. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  child.stdin!.end(options.input ?? '');
  return finished(child);
}

/** Spawn the CLI and leave it running (for `serve`). */
export function startCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** A temporary folder with `hyperagent.config.json` holding `config`; `cleanup()` removes it. */
export async function tempConfig(config: unknown): Promise<{ readonly dir: string; readonly file: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperagent-cli-'));
  const file = join(dir, 'hyperagent.config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return { dir, file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
