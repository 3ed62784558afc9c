import { Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.js';
import { registerSecret } from '../redact.js';
import type { LuaScript } from './redis-scripts.js';

export interface RedisConnectionOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnectMaxDelayMs: number;
  readonly maxWaiting: number;
  readonly scripts: readonly LuaScript[];
  readonly onStatus?: (status: StoreStatus) => void;
}

/** The store's connection went down (with the error that says why) or came back. */
export type StoreStatus = { readonly state: 'up'; readonly store: string } | { readonly state: 'down'; readonly store: string; readonly error: StoreUnavailableError };

type Waiter = { resolve(): void; reject(error: unknown): void };

/**
 * One ioredis connection, held to a few rules so that Redis being down never hangs or crashes a
 * call: no offline queue (a command sent while disconnected fails at once), no resending of
 * commands cut off by a disconnect (a reserve must not run twice), a timeout on every command, and
 * reconnection every `reconnectMaxDelayMs` at most, so service is back soon after Redis is.
 * Only before the first connection (and while one is being made after a drop was not yet seen)
 * does a command wait for it — at most `timeoutMs`, and at most `maxWaiting` commands at once.
 */
export class RedisConnection {
  /** `redis at host:port`, for messages: never the password. */
  readonly description: string;
  private readonly client: Redis;
  private readonly waiters = new Set<Waiter>();
  private state: 'connecting' | 'up' | 'down' | 'closed' = 'connecting';
  private lastError: unknown;

  constructor(private readonly options: RedisConnectionOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new TypeError(`RedisStateStore: option \`url\` must start with redis:// or rediss:// (TLS), received ${url.protocol}//…`);
    }
    registerSecret(decodeURIComponent(url.password));
    this.description = `redis at ${url.hostname}:${url.port || 6379}`;
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.timeoutMs,
      connectTimeout: options.connectTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 50, options.reconnectMaxDelayMs),
    });
    this.client.on('ready', () => this.onReady());
    // ioredis reports a failed connection attempt with 'error' then 'close'; a drop with 'close'.
    this.client.on('error', (error: unknown) => {
      this.lastError = error;
      if (this.client.status !== 'ready') this.onDown(error);
    });
    this.client.on('close', () => this.onDown(this.lastError ?? new Error('the connection closed')));
  }

  /** Run `script` with EVALSHA (one round trip); when Redis lost its script cache, EVAL it once. */
  run(operation: string, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (this.state === 'closed') return Promise.reject(this.unavailable(operation, undefined));
    if (this.client.status === 'ready') return this.send(operation, script, keys, args);
    if (this.mayWait()) return this.whenUp(operation).then(() => this.send(operation, script, keys, args));
    return Promise.reject(this.unavailable(operation, this.lastError));
  }

  /** A plain command (SET, DEL), with the same error handling as `run`. */
  command(operation: string, name: 'set' | 'del', args: readonly (string | number)[]): Promise<unknown> {
    if (this.state === 'closed') return Promise.reject(this.unavailable(operation, undefined));
    const send = (): Promise<unknown> => this.client.call(name, ...args).catch((error: unknown) => Promise.reject(this.unavailable(operation, error)));
    if (this.client.status === 'ready') return send();
    if (this.mayWait()) return this.whenUp(operation).then(send);
    return Promise.reject(this.unavailable(operation, this.lastError));
  }

  /** Only for the first connection: once one failed, calls fail at once until Redis is back. */
  private mayWait(): boolean {
    return this.state === 'connecting' && this.waiters.size < this.options.maxWaiting;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const waiter of this.waiters) waiter.reject(this.unavailable('close', new Error('the store was closed')));
    this.waiters.clear();
    try {
      await Promise.race([this.client.quit(), new Promise((resolve) => setTimeout(resolve, this.options.timeoutMs).unref())]);
    } catch {
      // Not connected: nothing to say goodbye to.
    }
    this.client.disconnect();
  }

  private async send(operation: string, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw this.unavailable(operation, error);
    }
    try {
      return await this.client.eval(script.lua, keys.length, ...keys, ...args);
    } catch (error) {
      throw this.unavailable(operation, error);
    }
  }

  private whenUp(operation: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.unavailable(operation, new Error(`not connected within ${this.options.timeoutMs} ms`)));
      }, this.options.timeoutMs);
      timer.unref();
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  private onReady(): void {
    if (this.state === 'closed') return;
    // Load the scripts before anything else is sent on this connection, so EVALSHA finds them.
    for (const script of this.options.scripts) this.client.script('LOAD', script.lua).catch(() => undefined);
    const wasDown = this.state === 'down';
    this.state = 'up';
    this.lastError = undefined;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
    if (wasDown) this.options.onStatus?.({ state: 'up', store: this.description });
  }

  private onDown(error: unknown): void {
    if (this.state === 'closed') return;
    this.lastError = error;
    if (this.state === 'down') return;
    this.state = 'down';
    const unavailable = this.unavailable('connect', error);
    for (const waiter of this.waiters) waiter.reject(unavailable);
    this.waiters.clear();
    this.options.onStatus?.({ state: 'down', store: this.description, error: unavailable });
  }

  private unavailable(operation: string, error: unknown): StoreUnavailableError {
    if (error instanceof StoreUnavailableError) return error;
    // A command cut off by a drop can fail before ioredis tells us of the drop (its events come a
    // tick later); a timeout or a reply error leaves the connection up.
    if (this.state === 'up' && isConnectionLoss(error)) this.onDown(error);
    const reason = error instanceof Error ? error.message : String(error ?? 'not connected');
    const refused = /ERR|WRONGTYPE|OOM|NOPERM|READONLY/.test(reason) && !/ECONN/.test(reason);
    const advice = refused
      ? `Redis refused the command (${reason}). If another application writes under this keyPrefix, give HyperAgent a prefix of its own.`
      : `It did not answer (${this.state === 'closed' ? 'the store was closed' : reason}). HyperAgent reconnects by itself; check that Redis runs and is reachable at that address.`;
    return new StoreUnavailableError(`The state store (${this.description}) failed during ${operation}. ${advice}`, this.description, operation, { cause: error });
  }
}

function isConnectionLoss(error: unknown): boolean {
  return error instanceof Error && error.name !== 'ReplyError' && !error.message.includes('timed out');
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
