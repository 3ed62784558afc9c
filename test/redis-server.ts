// A private `redis-server` for the tests that need Redis: a free port on 127.0.0.1, no persistence
// (`--save '' --appendonly no`, its directory a temporary one), stopped with the test file (and
// killed if the test process dies). It can be stopped and started again on the same port, to test
// what the store does while Redis is down and when it comes back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The one command that installs the server on the Debian machines this project runs on. */
export const INSTALL_REDIS_COMMAND = 'apt-get install -y redis-server';

let found: string | null | undefined;

/**
 * The server binary: `HYPERAGENT_REDIS_SERVER` (e.g. `valkey-server`, or a path) or `redis-server`
 * on PATH; `undefined` when it is not installed.
 */
export function redisServerBinary(): string | undefined {
  if (found === undefined) {
    const binary = process.env.HYPERAGENT_REDIS_SERVER || 'redis-server';
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    found = probe.status === 0 ? binary : null;
  }
  return found ?? undefined;
}

/**
 * Whether the Redis suites run: when `redis-server` is installed, and always under CI (`CI` set),
 * where `.ci/run` installs it — there a missing server fails those suites instead of skipping them.
 */
export const runRedisSuites = redisServerBinary() !== undefined || Boolean(process.env.CI);

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stop the server (the port stays reserved for `start`). */
  stop(): Promise<void>;
  /** Start it again on the same port, with an empty data set. */
  start(): Promise<void>;
  /** Freeze the process (SIGSTOP): connections stay open, nothing is answered — a hung Redis. */
  pause(): void;
  resume(): void;
  /** Stop it for good and remove its directory. */
  close(): Promise<void>;
  readonly running: boolean;
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (binary === undefined) {
    throw new Error(`redis-server is not installed, so the Redis tests cannot run. Install it with: ${INSTALL_REDIS_COMMAND}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const launch = async (): Promise<void> => {
    child = await spawnServer(binary, port, dir);
  };
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      // Another process may have taken the port between our probe and the server's bind.
      if (attempt >= 4) throw error;
    }
  }

  const isRunning = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGCONT');
      running.kill('SIGKILL');
      await exited;
    }
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return isRunning();
    },
    stop,
    async start() {
      if (child === undefined) await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async close() {
      await stop();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnServer(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on port ${port} within 10 s. Its output:\n${output}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(new Error(`redis-server exited (${signal ?? code}) before it was ready on port ${port}. Its output:\n${output}`));
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
