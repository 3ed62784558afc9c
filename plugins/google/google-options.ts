import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import type { GoogleModelId } from './google-models.js';

/** The `options` object of a `google` backend in hyperagent.config.json. */
export interface GoogleBackendOptions {
  /** Model for `embed()`. @default 'gemini-embedding-001' */
  readonly embeddingModel?: string;
  /** `taskType` of embedding requests, e.g. `RETRIEVAL_DOCUMENT`. @default the API's default */
  readonly embeddingTaskType?: string;
}

/** `new GoogleProvider(options)`: the shared provider settings plus the `google` backend options. */
export interface GoogleProviderOptions extends GoogleBackendOptions, ProviderSettings {
  /** @default 'gemini-2.5-flash' */
  readonly model?: GoogleModelId;
}

export const googleOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default gemini-embedding-001.' },
    embeddingTaskType: { type: 'string', minLength: 1, description: 'taskType of embedding requests, e.g. RETRIEVAL_DOCUMENT.' },
  },
});
