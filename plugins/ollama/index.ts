import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { OllamaProvider } from './ollama-backend.js';
import { ollamaOptionsSchema, type OllamaBackendOptions } from './ollama-options.js';

export default defineProvider<OllamaBackendOptions>({
  name: 'ollama',
  optionsSchema: ollamaOptionsSchema,
  create: (config, context) => new OllamaProvider(settingsFromBackendConfig(config, context)),
});

export { OLLAMA_BASE_URL, OllamaProvider } from './ollama-backend.js';
export { DEFAULT_OLLAMA_MODEL, OLLAMA_PROVIDER, ollamaModelInfo } from './ollama-models.js';
export { ollamaOptionsSchema, type OllamaBackendOptions, type OllamaProviderSettings } from './ollama-options.js';
