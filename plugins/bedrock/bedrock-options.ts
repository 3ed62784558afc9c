import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import type { BedrockModelId } from './bedrock-models.js';

/** A Bedrock guardrail applied to every call (`guardrailConfig`). */
export interface BedrockGuardrailOptions {
  readonly identifier: string;
  readonly version: string;
  /** Return the guardrail's assessment in `metadata.trace`. @default 'disabled' */
  readonly trace?: 'enabled' | 'disabled' | 'enabled_full';
}

/** The `options` object of a `bedrock` backend in hyperagent.config.json. */
export interface BedrockBackendOptions {
  /** @default AWS_REGION, AWS_DEFAULT_REGION, then the profile's region */
  readonly region?: string;
  /** With `secretAccessKey`. @default AWS_ACCESS_KEY_ID, then the shared profile */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** For temporary credentials. @default AWS_SESSION_TOKEN with the environment's keys */
  readonly sessionToken?: string;
  /** The profile in ~/.aws/credentials and ~/.aws/config. @default AWS_PROFILE, else 'default' */
  readonly profile?: string;
  /** Model for `embed()`: a Titan or Cohere embedding model. @default 'amazon.titan-embed-text-v2:0' */
  readonly embeddingModel?: string;
  /** A guardrail for every call. */
  readonly guardrail?: BedrockGuardrailOptions;
  /** Put a `cachePoint` after the tool definitions, so they are cached with the prompt. @default false */
  readonly cacheTools?: boolean;
}

/** `new BedrockProvider(settings)`: the shared settings plus the backend options. `apiKey` is a Bedrock API key (bearer), used instead of SigV4. */
export interface BedrockProviderSettings extends BedrockBackendOptions, ProviderSettings {
  /** @default DEFAULT_BEDROCK_MODEL */
  readonly model?: BedrockModelId;
}

export const bedrockOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$', description: 'AWS region, e.g. us-east-1. Default: AWS_REGION, AWS_DEFAULT_REGION, the profile.' },
    accessKeyId: { type: 'string', minLength: 1, 'x-secret': true, description: 'AWS access key id (with secretAccessKey). Default: AWS_ACCESS_KEY_ID, the profile.' },
    secretAccessKey: { type: 'string', minLength: 1, 'x-secret': true, description: 'AWS secret access key.' },
    sessionToken: { type: 'string', minLength: 1, 'x-secret': true, description: 'AWS session token, for temporary credentials.' },
    profile: { type: 'string', minLength: 1, description: 'Profile of ~/.aws/credentials and ~/.aws/config. Default: AWS_PROFILE, else default.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default amazon.titan-embed-text-v2:0.' },
    guardrail: {
      type: 'object',
      additionalProperties: false,
      required: ['identifier', 'version'],
      properties: {
        identifier: { type: 'string', minLength: 1 },
        version: { type: 'string', minLength: 1 },
        trace: { enum: ['enabled', 'disabled', 'enabled_full'] },
      },
    },
    cacheTools: { type: 'boolean', description: 'Cache the tool definitions with a cachePoint after them.' },
  },
});
