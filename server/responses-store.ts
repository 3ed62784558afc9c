import type { Kernel } from '../core/kernel.js';
import { MemoryStateStore, type StateStore } from '../core/store/index.js';
import type { LLMMessage } from '../core/types.js';
import type { ResponsesObject } from '../protocols/openai-responses/index.js';

import { DEFAULT_RESPONSES_TTL_MS } from './gateway-options.js';

const KEY_PREFIX = 'hyperagent:responses:';

/** One stored response: what `GET` returns, and the conversation a `previous_response_id` continues. */
export interface StoredResponse {
  readonly response: ResponsesObject;
  /**
   * The whole conversation up to and including this response's answer, in the kernel's terms (so
   * any backend, of any provider, can answer the next turn); `instructions` are not in it.
   */
  readonly messages: readonly LLMMessage[];
}

/**
 * The store conversations live in: the kernel's, when it has one (several gateway instances then
 * share them, e.g. over Redis), else one of this gateway's own, in memory.
 */
export function conversationStateStore(kernel: Kernel): StateStore {
  return (kernel as { readonly store?: StateStore }).store ?? new MemoryStateStore();
}

/** Responses kept for `previous_response_id` and `GET /v1/responses/{id}`, as TTL keys of a state store. */
export class ResponsesStore {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs = DEFAULT_RESPONSES_TTL_MS,
  ) {}

  async save(record: StoredResponse): Promise<void> {
    await this.store.set(KEY_PREFIX + record.response.id, JSON.stringify(record), this.ttlMs);
  }

  /** `undefined` when the id is unknown or expired. */
  async load(id: string): Promise<StoredResponse | undefined> {
    const stored = await this.store.get(KEY_PREFIX + id);
    if (!stored) return undefined;
    try {
      return JSON.parse(stored.value) as StoredResponse;
    } catch {
      return undefined;
    }
  }
}
