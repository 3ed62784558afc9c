import { ProviderCredentials, type CredentialsSpec } from './provider-credentials.js';
import { checkProviderSettings, withRateLimitsChecked, type ProviderSettings } from './provider-settings.js';
import type { ModelInfo, RateLimits } from './types.js';

/** The settings every HTTP provider's constructor takes: the shared ones plus its model. */
export interface HttpProviderSettings extends ProviderSettings {
  /** @default the provider's default model */
  readonly model?: string;
}

/**
 * The three forms a provider constructor takes, as one settings object: `(settings)`,
 * `(apiKey, model?, settings?)` (the seed's `new OpenAIProvider(key, 'gpt-4o')`), and a model given
 * beside a settings object, which wins over the object's.
 */
export function providerSettingsFrom<S extends HttpProviderSettings>(
  apiKeyOrSettings: string | S | undefined,
  model?: S['model'],
  rest?: Omit<S, 'apiKey' | 'model'>,
): S {
  const base = typeof apiKeyOrSettings === 'object' && apiKeyOrSettings !== null ? { ...apiKeyOrSettings } : ({ ...rest, apiKey: apiKeyOrSettings } as S);
  return model === undefined ? base : { ...base, model };
}

/**
 * What every HTTP provider shares: checked, frozen settings (`options`, without the key and the
 * environment, so logging a backend cannot leak them), the key and its headers (`credentials`),
 * and the immutable builders `withRateLimits`/`withMaxTokens`/`withModel`. A subclass supplies its
 * name, its default model, its catalog (`modelInfo`) and its calls; its constructor must take the
 * settings object as its first argument, as the builders make copies through it.
 */
export abstract class HttpProvider<S extends HttpProviderSettings = HttpProviderSettings> {
  abstract readonly provider: string;
  readonly options: Readonly<Omit<S, 'apiKey' | 'env'>>;
  protected readonly credentials: ProviderCredentials;
  readonly #settings: S;

  /**
   * @param owner the class name, for the TypeError a bad setting throws
   * @param secretOptions settings that are credentials besides `apiKey` (a token): kept out of `options`
   */
  protected constructor(owner: string, settings: S, credentials: CredentialsSpec, secretOptions: readonly (keyof S)[] = []) {
    checkProviderSettings(owner, settings);
    const { apiKey: _apiKey, env: _env, ...options } = settings;
    for (const name of secretOptions) delete (options as Record<PropertyKey, unknown>)[name];
    this.#settings = settings;
    this.options = Object.freeze(options) as Readonly<Omit<S, 'apiKey' | 'env'>>;
    this.credentials = new ProviderCredentials(settings, credentials);
  }

  /** The model used when neither the settings nor a call name one. */
  protected abstract get defaultModel(): string;

  abstract modelInfo(model?: string): ModelInfo;

  /** The model calls use unless they set `options.model`. */
  get model(): string {
    return this.options.model ?? this.defaultModel;
  }

  /** The `maxTokens` sent when a call sets none; budgets and rate limits reserve it. */
  get maxTokens(): number | undefined {
    return this.options.maxTokens;
  }

  /** The configured limits, else the catalog's for this model. */
  get rateLimits(): RateLimits | undefined {
    return this.modelInfo().rateLimits;
  }

  /** A copy with these requests-per-minute and tokens-per-minute limits. */
  withRateLimits(rpm: number, tpm: number): this {
    return this.copy({ rateLimits: withRateLimitsChecked(this.constructor.name, this.options.rateLimits, rpm, tpm) } as Partial<S>);
  }

  /** A copy whose calls default to at most `maxTokens` output tokens. */
  withMaxTokens(maxTokens: number): this {
    return this.copy({ maxTokens } as Partial<S>);
  }

  /** A copy that calls `model`. */
  withModel(model: NonNullable<S['model']>): this {
    return this.copy({ model } as Partial<S>);
  }

  /** A copy with these settings changed. */
  protected copy(changes: Partial<S>): this {
    return this.construct({ ...this.#settings, ...changes });
  }

  /** A new provider of this class from `settings`: through the subclass's constructor, unless it overrides this. */
  protected construct(settings: S): this {
    return new (this.constructor as new (settings: S) => this)(settings);
  }

  supportsFunctionCalling(): boolean {
    return this.modelInfo().capabilities.functionCalling;
  }

  supportsStreaming(): boolean {
    return this.modelInfo().capabilities.streaming;
  }
}
