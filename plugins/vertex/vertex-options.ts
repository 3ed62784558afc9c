import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import type { VertexModelId } from './vertex-models.js';

/** A Google service-account key file's fields that we use (the JSON Google Cloud gives for a key). */
export interface ServiceAccountCredentials {
  readonly type?: 'service_account' | string;
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
  readonly project_id?: string;
  /** @default 'https://oauth2.googleapis.com/token' */
  readonly token_uri?: string;
}

/** The `options` object of a `vertex` backend in hyperagent.config.json. */
export interface VertexBackendOptions {
  /** The Google Cloud project. @default the credentials' `project_id`, else GOOGLE_CLOUD_PROJECT */
  readonly project?: string;
  /** The region, or `global`. @default GOOGLE_CLOUD_LOCATION, else 'us-central1' */
  readonly location?: string;
  /** A service-account key: the parsed JSON, its text, or a path to the file. @default the file GOOGLE_APPLICATION_CREDENTIALS names */
  readonly credentials?: ServiceAccountCredentials | string;
  /** An OAuth access token to send as is, instead of minting one from a service account. */
  readonly accessToken?: string;
  /** Model for `embed()`. @default 'gemini-embedding-001' */
  readonly embeddingModel?: string;
  /** Gemini 3 on Vertex: stream function-call arguments as `partialArgs`. @default false */
  readonly streamFunctionCallArguments?: boolean;
}

/** `new VertexProvider(options)`: the shared provider settings plus the `vertex` backend options. */
export interface VertexProviderOptions extends VertexBackendOptions, ProviderSettings {
  /** A Gemini model, or a Claude model (`claude-sonnet-4-5@20250929`), which goes through Anthropic's wire. @default 'gemini-2.5-flash' */
  readonly model?: VertexModelId;
  /** The clock token expiry is read against (tests). @default Date.now */
  readonly now?: () => number;
}

const serviceAccount = {
  type: 'object',
  required: ['client_email', 'private_key'],
  properties: {
    client_email: { type: 'string', minLength: 1 },
    private_key: { type: 'string', minLength: 1 },
    private_key_id: { type: 'string' },
    project_id: { type: 'string' },
    token_uri: { type: 'string', minLength: 1 },
  },
};

export const vertexOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    project: { type: 'string', minLength: 1, description: 'Google Cloud project; default the credentials project_id, else GOOGLE_CLOUD_PROJECT.' },
    location: { type: 'string', minLength: 1, description: "Region or 'global'; default GOOGLE_CLOUD_LOCATION, else us-central1." },
    credentials: {
      'x-secret': true,
      description: 'Service-account key: the JSON object, its text, or a file path. Default: the file GOOGLE_APPLICATION_CREDENTIALS names.',
      anyOf: [{ type: 'string', minLength: 1 }, serviceAccount],
    },
    accessToken: { 'x-secret': true, type: 'string', minLength: 1, description: 'An OAuth access token sent as is instead of one minted from a service account.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default gemini-embedding-001.' },
    streamFunctionCallArguments: { type: 'boolean', description: 'Gemini 3: stream function-call arguments as partialArgs.' },
  },
});
