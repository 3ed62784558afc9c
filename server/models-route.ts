import type { Kernel } from '../core/kernel.js';
import type { ModelInfo } from '../core/types.js';
import { resolveBackend, type Exchange } from './exchange.js';
import type { ModelEntry } from './openai-wire.js';
import { sendJson } from './respond.js';

function modelEntry(kernel: Kernel, name: string, created: number): ModelEntry {
  let provider = 'unknown';
  let info: ModelInfo | undefined;
  try {
    const backend = kernel.backend(name);
    provider = backend.provider;
    info = backend.modelInfo();
  } catch {
    // A backend that cannot be made yet (missing key) is still listed; calling it says what is wrong.
  }
  const entry: { -readonly [K in keyof ModelEntry]: ModelEntry[K] } = { id: name, object: 'model', created, owned_by: provider };
  if (info?.pricing !== undefined && info.pricing !== 'unknown') entry.pricing = info.pricing;
  if (info?.contextWindow !== undefined) entry.context_window = info.contextWindow;
  return entry;
}

/** `GET /v1/models`: one entry per backend name. `created` is when the gateway started. */
export async function handleListModels(exchange: Exchange, created: number): Promise<void> {
  const kernel = exchange.options.kernel;
  sendJson(exchange.response, 200, { object: 'list', data: kernel.backendNames.map((name) => modelEntry(kernel, name, created)) });
}

/** `GET /v1/models/{id}`. */
export async function handleRetrieveModel(exchange: Exchange, name: string, created: number): Promise<void> {
  resolveBackend(exchange.options.kernel, name);
  sendJson(exchange.response, 200, modelEntry(exchange.options.kernel, name, created));
}
