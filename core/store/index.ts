// The state store: what the rate limiter, the budget and routing cooldowns share, in this process
// (`MemoryStateStore`, the default) or across instances (`RedisStateStore`, loaded only when used:
// importing ioredis costs ~110 ms).
export { isPromise, whenReady, type MaybePromise } from './maybe-promise.js';
export { MemoryStateStore, type MemoryStateStoreOptions, type StoreClock } from './memory-state-store.js';
export type { RedisStateStore, RedisStateStoreOptions } from './redis-state-store.js';
export type { StoreStatus } from './redis-connection.js';
export * from './state-store.js';
export { createStateStore, type StateStoreConfig } from './create-state-store.js';
export { isStoreUnavailable, STORE_UNAVAILABLE_NOTICE, storeErrorPolicy, storeUnavailableNotice } from './store-failure.js';
