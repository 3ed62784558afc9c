import { providerSettingsFrom } from '../../core/http-provider.js';
import type { EmbedOptions, EmbeddingOutput } from '../../core/types.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { mapMistralError } from './mistral-errors.js';
import { DEFAULT_MISTRAL_EMBEDDING_MODEL, DEFAULT_MISTRAL_MODEL, MISTRAL_PROVIDER, mistralModelInfo, type MistralModelId } from './mistral-models.js';
import { readMistralRateLimitHeaders } from './mistral-rate-limits.js';

export const MISTRAL_BASE_URL = 'https://api.mistral.ai/v1';
export const MISTRAL_API_KEY_ENV = 'MISTRAL_API_KEY';

/**
 * Mistral's chat API is Chat Completions on the wire, with these differences: usage comes on the
 * chunk with `finish_reason` (no `stream_options`, which its strict schema refuses), `content` can
 * be an array of `thinking`/`text` parts (decoded by the protocol), errors are `{"detail": …}`, and
 * its rate-limit headers are per minute.
 */
export const MISTRAL: OpenAIChatVendor = {
  provider: MISTRAL_PROVIDER,
  label: 'Mistral',
  baseURL: MISTRAL_BASE_URL,
  apiKeyEnv: MISTRAL_API_KEY_ENV,
  defaultModel: DEFAULT_MISTRAL_MODEL,
  defaultEmbeddingModel: DEFAULT_MISTRAL_EMBEDDING_MODEL,
  modelInfo: (model, settings) => mistralModelInfo(model, settings.rateLimits),
  quirks: { includeStreamUsage: false, readRateLimit: readMistralRateLimitHeaders, mapError: mapMistralError },
};

/** Mistral's chat and embeddings API: `new MistralProvider()` reads MISTRAL_API_KEY when called. */
export class MistralProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: MistralModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: MistralModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), MISTRAL);
  }

  static small(apiKey?: string): MistralProvider {
    return new MistralProvider(apiKey, 'mistral-small-latest');
  }

  static medium(apiKey?: string): MistralProvider {
    return new MistralProvider(apiKey, 'mistral-medium-latest');
  }

  static large(apiKey?: string): MistralProvider {
    return new MistralProvider(apiKey, 'mistral-large-latest');
  }

  static magistralMedium(apiKey?: string): MistralProvider {
    return new MistralProvider(apiKey, 'magistral-medium-latest');
  }

  static codestral(apiKey?: string): MistralProvider {
    return new MistralProvider(apiKey, 'codestral-latest');
  }

  /** `dimensions` is OpenAI's field, which mistral-embed's strict schema refuses: it is not sent, and a warning says so. */
  override async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    if (options.dimensions === undefined) return super.embed(input, options);
    const output = await super.embed(input, { ...options, dimensions: undefined });
    const warning = `dimensions (${options.dimensions}) is not supported by Mistral's embeddings API and was not sent.`;
    return { ...output, metadata: { ...output.metadata, warnings: [...(output.metadata.warnings ?? []), warning] } };
  }
}
