import type { Capabilities, ModelInfo } from '../../core/types.js';
import type { OllamaProviderSettings } from './ollama-options.js';

export const OLLAMA_PROVIDER = 'ollama';
export const DEFAULT_OLLAMA_MODEL = 'llama3.2';

// What a model can do depends on the model pulled: the flags say what the API can carry.
const CAPABILITIES: Capabilities = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: true, embeddings: true, promptCaching: false };
const FREE = Object.freeze({ input: 0, output: 0 });

/** A server on this machine costs nothing per token; one elsewhere may be a paid host. */
function isLoopback(baseURL: string): boolean {
  const host = new URL(baseURL).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/**
 * Ollama runs whatever was pulled, so there is no fixed catalog: the context window is the one
 * configured (else unknown), the price 0 on a loopback server, the configured one, else `'unknown'`.
 */
export function ollamaModelInfo(model: string, baseURL: string, settings: Pick<OllamaProviderSettings, 'contextWindow' | 'pricing' | 'rateLimits'>): ModelInfo {
  const pricing = settings.pricing ?? (isLoopback(baseURL) ? FREE : undefined);
  return {
    id: model,
    provider: OLLAMA_PROVIDER,
    contextWindow: settings.contextWindow,
    maxOutputTokens: undefined,
    pricing: pricing ?? 'unknown',
    ...(pricing ? { pricingSource: settings.pricing ? 'configured in the backend options' : 'a local Ollama server: no per-token charge' } : {}),
    capabilities: CAPABILITIES,
    ...(settings.rateLimits ? { rateLimits: settings.rateLimits } : {}),
  };
}
