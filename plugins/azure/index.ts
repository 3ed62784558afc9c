import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { AzureOpenAIProvider } from './azure-backend.js';
import { azureOptionsSchema, type AzureBackendOptions, type AzureSettings } from './azure-options.js';

export default defineProvider<AzureBackendOptions>({
  name: 'azure',
  optionsSchema: azureOptionsSchema,
  create: (config, context) => new AzureOpenAIProvider(settingsFromBackendConfig(config, context) as AzureSettings),
});

export { AZURE_OPENAI_API_KEY_ENV, AzureOpenAIProvider } from './azure-backend.js';
export { AZURE_CATALOG, azureModelInfo } from './azure-models.js';
export { azureOptionsSchema, type AzureApi, type AzureBackendOptions, type AzureSettings } from './azure-options.js';
