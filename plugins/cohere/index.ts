import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { CohereProvider } from './cohere-backend.js';
import { cohereOptionsSchema, type CohereBackendOptions } from './cohere-options.js';

export default defineProvider<CohereBackendOptions>({
  name: 'cohere',
  optionsSchema: cohereOptionsSchema,
  create: (config, context) => new CohereProvider(settingsFromBackendConfig(config, context)),
});

export { COHERE_API_KEY_ENV, COHERE_BASE_URL, CohereProvider } from './cohere-backend.js';
export { COHERE_MODEL_IDS, COHERE_PROVIDER, cohereModelInfo, DEFAULT_COHERE_EMBEDDING_MODEL, DEFAULT_COHERE_MODEL, type CohereModelId } from './cohere-models.js';
export { cohereOptionsSchema, type CohereBackendOptions, type CohereProviderSettings } from './cohere-options.js';
