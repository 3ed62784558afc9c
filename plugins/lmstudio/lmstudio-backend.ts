import { providerSettingsFrom } from '../../core/http-provider.js';
import { localServerModelInfo } from '../../core/model-catalog.js';
import type { Capabilities } from '../../core/types.js';
import { OpenAIChatProvider, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import type { LMStudioSettings } from './lmstudio-options.js';

/** LM Studio's local server (Developer tab, or `lms server start`), at its default port. */
export const LMSTUDIO_BASE_URL = 'http://127.0.0.1:1234/v1';
/** Read when set, for a server started with a key; none is needed. */
export const LMSTUDIO_API_KEY_ENV = 'LM_STUDIO_API_KEY';

export const LMSTUDIO_CAPABILITIES: Capabilities = Object.freeze({ functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: true, promptCaching: false });

export const LMSTUDIO: OpenAIChatVendor<LMStudioSettings> = {
  provider: 'lmstudio',
  label: 'LM Studio',
  className: 'LMStudioProvider',
  baseURL: LMSTUDIO_BASE_URL,
  apiKeyEnv: LMSTUDIO_API_KEY_ENV,
  keyRequired: false,
  modelInfo: (model, settings) => localServerModelInfo('lmstudio', model, { ...settings, baseURL: settings.baseURL ?? LMSTUDIO_BASE_URL }, LMSTUDIO_CAPABILITIES),
  quirks: (settings) => ({ includeStreamUsage: settings.includeUsage }),
};

/** A local LM Studio server's Chat Completions API. `model` is required: the name the server serves. */
export class LMStudioProvider extends OpenAIChatProvider<LMStudioSettings> {
  constructor(settings?: LMStudioSettings);
  constructor(model: string, settings?: Omit<LMStudioSettings, 'model'>);
  constructor(modelOrSettings?: string | LMStudioSettings, rest?: Omit<LMStudioSettings, 'model'>) {
    super(typeof modelOrSettings === 'string' ? { ...rest, model: modelOrSettings } : providerSettingsFrom<LMStudioSettings>(modelOrSettings), LMSTUDIO);
  }
}
