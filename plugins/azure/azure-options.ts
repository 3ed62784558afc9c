import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { HttpProviderSettings } from '../../core/http-provider.js';
import { CONFIGURED_MODEL_OPTIONS_PROPERTIES, type ConfiguredModelOptions } from '../../core/model-catalog.js';

/** Which API the deployment is called through. */
export type AzureApi = 'chat' | 'responses';

/** The `options` object of an `azure` backend in hyperagent.config.json. */
export interface AzureBackendOptions extends ConfiguredModelOptions {
  /**
   * Use the classic form, `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`,
   * e.g. `2024-10-21`. @default none: the v1 API at `baseURL` (`https://<resource>.openai.azure.com/openai/v1`)
   */
  readonly apiVersion?: string;
  /** A Microsoft Entra ID access token, sent as `Authorization: Bearer`, instead of the `api-key` header. @default none */
  readonly azureADToken?: string;
  /** `chat` speaks Chat Completions; `responses` the Responses API. @default 'chat' */
  readonly api?: AzureApi;
  /** The model behind the deployment, for its catalog entry (context window, prices), e.g. `gpt-4o-mini`. @default the deployment name */
  readonly modelName?: string;
  /** The embeddings deployment for `embed()`. @default the chat deployment */
  readonly embeddingModel?: string;
}

/** `new AzureOpenAIProvider(settings)`: `model` is the deployment name, `baseURL` the resource's endpoint. */
export interface AzureSettings extends AzureBackendOptions, HttpProviderSettings {}

export const azureOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    ...CONFIGURED_MODEL_OPTIONS_PROPERTIES,
    apiVersion: { type: 'string', minLength: 1, description: 'Classic /openai/deployments/{deployment}/… form with this api-version, e.g. 2024-10-21.' },
    azureADToken: { type: 'string', minLength: 1, 'x-secret': true, description: 'Microsoft Entra ID token, sent as Authorization: Bearer instead of api-key.' },
    api: { enum: ['chat', 'responses'], description: 'chat: /chat/completions (default); responses: the Responses API.' },
    modelName: { type: 'string', minLength: 1, description: 'The model behind the deployment (for prices and context window), e.g. gpt-4o-mini.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'The embeddings deployment used by embed().' },
  },
};
