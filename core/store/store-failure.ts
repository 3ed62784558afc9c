import { StoreUnavailableError } from '../errors.js';
import type { KernelNotice } from '../hooks.js';
import type { StateStore, StoreErrorPolicy } from './state-store.js';

/** The `custom` notice a plugin sends when the state store failed one of its operations. */
export const STORE_UNAVAILABLE_NOTICE = 'store.unavailable';

export function storeErrorPolicy(store: StateStore): StoreErrorPolicy {
  return store.onStoreError ?? 'fail-closed';
}

/**
 * What a plugin tells `onNotice` when the store failed: which plugin, which operation, and what it
 * did about it — `refused` (fail-closed admission), `admitted uncounted` (fail-open admission), or
 * `not recorded` (a settle after the call reached the provider: the client is answered as usual).
 */
export function storeUnavailableNotice(plugin: string, error: StoreUnavailableError, action: 'refused' | 'admitted uncounted' | 'not recorded'): KernelNotice {
  return {
    type: 'custom',
    name: STORE_UNAVAILABLE_NOTICE,
    data: { plugin, store: error.store, operation: error.operation, action, message: error.message },
  };
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}
