import { configuredModelInfo } from '../../core/model-catalog.js';
import type { Capabilities, ModelInfo } from '../../core/types.js';
import type { OpenAICompatibleProviderOptions } from './openai-compatible-options.js';

export const OPENAI_COMPATIBLE_CAPABILITIES: Capabilities = Object.freeze({
  functionCalling: true,
  streaming: true,
  vision: false,
  jsonMode: true,
  thinking: false,
  embeddings: true,
  promptCaching: false,
});

/** What we know of a model on a server we know nothing about: only what the user configured. */
export function openAICompatibleModelInfo(
  model: string,
  options: Pick<OpenAICompatibleProviderOptions, 'contextWindow' | 'maxOutputTokens' | 'pricing' | 'capabilities' | 'rateLimits'>,
): ModelInfo {
  return configuredModelInfo('openai-compatible', model, options, OPENAI_COMPATIBLE_CAPABILITIES);
}
