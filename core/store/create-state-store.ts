import { ConfigError } from '../errors.js';
import { MemoryStateStore, type MemoryStateStoreOptions } from './memory-state-store.js';
import type { RedisStateStoreOptions } from './redis-state-store.js';
import type { StateStore } from './state-store.js';

/** What the config's top-level `store` says: in this process (the default), or in Redis. */
export type StateStoreConfig = ({ readonly type: 'memory' } & MemoryStateStoreOptions) | ({ readonly type: 'redis' } & RedisStateStoreOptions);

/** The store a config asks for. The Redis client is imported only here, only for `type: 'redis'`. */
export async function createStateStore(config: StateStoreConfig = { type: 'memory' }): Promise<StateStore> {
  if (config.type === 'memory') return new MemoryStateStore(config);
  if (config.type === 'redis') {
    // ioredis is an optional peer dependency: installed by those who use this store, not by everyone.
    const { RedisStateStore } = await import('./redis-state-store.js').catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes("'ioredis'")) throw error;
      throw new ConfigError('The config asks for `store: { "type": "redis" }`, which needs the ioredis package, and it is not installed. Run "npm install ioredis" in your project.', [{ path: '/store/type', message: 'needs the ioredis package: npm install ioredis' }], undefined, { cause: error });
    });
    return new RedisStateStore(config);
  }
  throw new TypeError(`createStateStore: \`type\` must be "memory" or "redis", received ${JSON.stringify((config as { type?: unknown }).type)}.`);
}
