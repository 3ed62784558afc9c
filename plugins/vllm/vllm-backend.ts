import { providerSettingsFrom } from '../../core/http-provider.js';
import { localServerModelInfo } from '../../core/model-catalog.js';
import type { Capabilities } from '../../core/types.js';
import { OpenAIChatProvider, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import type { VLLMSettings } from './vllm-options.js';

/** `vllm serve <model>` (its `--api-key` is optional), at its default port. */
export const VLLM_BASE_URL = 'http://127.0.0.1:8000/v1';
/** Read when set, for a server started with a key; none is needed. */
export const VLLM_API_KEY_ENV = 'VLLM_API_KEY';

export const VLLM_CAPABILITIES: Capabilities = Object.freeze({ functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: true, promptCaching: true });

export const VLLM: OpenAIChatVendor<VLLMSettings> = {
  provider: 'vllm',
  label: 'vLLM',
  className: 'VLLMProvider',
  baseURL: VLLM_BASE_URL,
  apiKeyEnv: VLLM_API_KEY_ENV,
  keyRequired: false,
  modelInfo: (model, settings) => localServerModelInfo('vllm', model, { ...settings, baseURL: settings.baseURL ?? VLLM_BASE_URL }, VLLM_CAPABILITIES),
  quirks: (settings) => ({ includeStreamUsage: settings.includeUsage }),
};

/** A local vLLM server's Chat Completions API. `model` is required: the name the server serves. */
export class VLLMProvider extends OpenAIChatProvider<VLLMSettings> {
  constructor(settings?: VLLMSettings);
  constructor(model: string, settings?: Omit<VLLMSettings, 'model'>);
  constructor(modelOrSettings?: string | VLLMSettings, rest?: Omit<VLLMSettings, 'model'>) {
    super(typeof modelOrSettings === 'string' ? { ...rest, model: modelOrSettings } : providerSettingsFrom<VLLMSettings>(modelOrSettings), VLLM);
  }
}
