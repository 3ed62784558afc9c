import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { HttpProviderSettings } from '../../core/http-provider.js';
import type { CohereModelId } from './cohere-models.js';

/** The `options` object of a `cohere` backend in hyperagent.config.json. */
export interface CohereBackendOptions {
  /** Model for `embed()`. @default 'embed-v4.0' */
  readonly embeddingModel?: string;
  /** `input_type` of embed requests: `search_document`, `search_query`, `classification`, `clustering`. @default 'search_document' */
  readonly embeddingInputType?: 'search_document' | 'search_query' | 'classification' | 'clustering';
}

/** `new CohereProvider(settings)`: the shared provider settings plus the `cohere` backend options. */
export interface CohereProviderSettings extends CohereBackendOptions, HttpProviderSettings {
  /** @default 'command-a-03-2025' */
  readonly model?: CohereModelId;
}

export const cohereOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default embed-v4.0.' },
    embeddingInputType: {
      enum: ['search_document', 'search_query', 'classification', 'clustering'],
      description: 'input_type of embed requests; default search_document.',
    },
  },
});
