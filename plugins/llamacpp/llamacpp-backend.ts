import { providerSettingsFrom } from '../../core/http-provider.js';
import { localServerModelInfo } from '../../core/model-catalog.js';
import type { Capabilities } from '../../core/types.js';
import { OpenAIChatProvider, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import type { LlamaCppSettings } from './llamacpp-options.js';

/** `llama-server -m model.gguf` (its `--api-key` is optional), at its default port. */
export const LLAMACPP_BASE_URL = 'http://127.0.0.1:8080/v1';
/** Read when set, for a server started with a key; none is needed. */
export const LLAMACPP_API_KEY_ENV = 'LLAMACPP_API_KEY';

export const LLAMACPP_CAPABILITIES: Capabilities = Object.freeze({ functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: true, promptCaching: true });

export const LLAMACPP: OpenAIChatVendor<LlamaCppSettings> = {
  provider: 'llamacpp',
  label: 'llama.cpp',
  className: 'LlamaCppProvider',
  baseURL: LLAMACPP_BASE_URL,
  apiKeyEnv: LLAMACPP_API_KEY_ENV,
  keyRequired: false,
  // llama-server serves the one model it loaded, whatever the request names.
  defaultModel: 'default',
  modelInfo: (model, settings) => localServerModelInfo('llamacpp', model, { ...settings, baseURL: settings.baseURL ?? LLAMACPP_BASE_URL }, LLAMACPP_CAPABILITIES),
  quirks: (settings) => ({ includeStreamUsage: settings.includeUsage }),
};

/** A local llama.cpp server's Chat Completions API. */
export class LlamaCppProvider extends OpenAIChatProvider<LlamaCppSettings> {
  constructor(settings?: LlamaCppSettings);
  constructor(model: string, settings?: Omit<LlamaCppSettings, 'model'>);
  constructor(modelOrSettings?: string | LlamaCppSettings, rest?: Omit<LlamaCppSettings, 'model'>) {
    super(typeof modelOrSettings === 'string' ? { ...rest, model: modelOrSettings } : providerSettingsFrom<LlamaCppSettings>(modelOrSettings), LLAMACPP);
  }
}
