import { OpenAIChatProvider, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { openAICompatibleModelInfo } from './openai-compatible-models.js';
import { readOpenAICompatibleRateLimitHeaders } from './openai-compatible-rate-limits.js';
import type { OpenAICompatibleProviderOptions } from './openai-compatible-options.js';

const OPENAI_COMPATIBLE: OpenAIChatVendor<OpenAICompatibleProviderOptions> = {
  provider: 'openai-compatible',
  label: 'OpenAI-compatible',
  className: 'OpenAICompatibleProvider',
  modelInfo: (model, settings) => openAICompatibleModelInfo(model, settings),
  quirks: (settings) => ({ includeStreamUsage: settings.includeUsage, readRateLimit: readOpenAICompatibleRateLimitHeaders }),
};

/**
 * Any server that speaks Chat Completions: Ollama, vLLM, llama.cpp, LM Studio. It copes with their
 * habits: `reasoning`/`reasoning_content` deltas, a whole tool call in one chunk, usage on the finish
 * chunk, no `data: [DONE]`. A key is optional: without one no `Authorization` header is sent.
 */
export class OpenAICompatibleProvider extends OpenAIChatProvider<OpenAICompatibleProviderOptions> {
  constructor(options: OpenAICompatibleProviderOptions) {
    if (!options || typeof options.baseURL !== 'string' || options.baseURL === '') {
      throw new TypeError('OpenAICompatibleProvider: `baseURL` is required, e.g. "http://127.0.0.1:11434/v1" for Ollama.');
    }
    super(options, OPENAI_COMPATIBLE);
  }
}
