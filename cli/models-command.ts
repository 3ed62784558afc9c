import { loadConfig, isGroupBackend, type GroupBackendConfig } from '../core/config.js';
import { createHyperAgent } from '../core/create-hyper-agent.js';
import { backendMissingEnv, chooseDefaultBackend } from '../core/default-backend.js';
import type { Capabilities, ModelInfo, ModelPricing } from '../core/types.js';
import type { CliCommand, CliStyle } from './main.js';

/** One backend as `models --json` lists it. */
export type ModelsEntry =
  | {
      readonly name: string;
      readonly kind: 'provider';
      readonly default: boolean;
      /** Environment variables the backend needs that are not set; empty when it is ready to use. */
      readonly needs: readonly string[];
      readonly provider: string;
      readonly model: string | undefined;
      readonly contextWindow: number | undefined;
      readonly maxOutputTokens: number | undefined;
      /** USD per 1M tokens, or `"unknown"`. */
      readonly pricing: ModelPricing | 'unknown' | undefined;
      readonly pricingSource: string | undefined;
      readonly capabilities: Capabilities | undefined;
      /** Why the model's details could not be read, if they could not. */
      readonly error?: string;
    }
  | {
      readonly name: string;
      readonly kind: 'group';
      readonly default: boolean;
      readonly needs: readonly string[];
      readonly strategy: GroupBackendConfig['strategy'];
      readonly targets: GroupBackendConfig['targets'];
      readonly fallbackOn?: readonly string[];
    };

export interface ModelsListing {
  readonly configPath: string | undefined;
  readonly defaultBackend: string | undefined;
  readonly backends: readonly ModelsEntry[];
}

// Stands in for unset variables so a backend can be built just to read its catalog entry; never sent anywhere.
const PLACEHOLDER = 'hyperagent-models-placeholder-not-a-key';

const CAPABILITY_NAMES: Readonly<Record<keyof Capabilities, string>> = {
  functionCalling: 'tools',
  streaming: 'streaming',
  vision: 'vision',
  jsonMode: 'JSON mode',
  thinking: 'thinking',
  embeddings: 'embeddings',
  promptCaching: 'prompt caching',
};

/** Every backend of the config with its model's details, whether or not its keys are set. */
export async function listModels(configPath: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<ModelsListing> {
  const loaded = await loadConfig({ configPath, cwd });
  const { config } = loaded;
  const names = Object.keys(config.backends);
  const needs = new Map(names.map((name) => [name, backendMissingEnv(config, name, env)]));
  const listingEnv = { ...env, ...Object.fromEntries([...needs.values()].flat().map((variable) => [variable, PLACEHOLDER])) };
  const agent = await createHyperAgent({ config, cwd: loaded.configDir, env: listingEnv });
  const defaultBackend = chooseDefaultBackend(config, env)?.name ?? agent.kernel.defaultBackend;
  const backends = names.map((name): ModelsEntry => {
    const entry = config.backends[name];
    const common = { name, default: name === defaultBackend, needs: needs.get(name) ?? [] };
    if (isGroupBackend(entry)) {
      return { ...common, kind: 'group', strategy: entry.strategy, targets: entry.targets, ...(entry.fallbackOn ? { fallbackOn: entry.fallbackOn } : {}) };
    }
    let info: ModelInfo | undefined;
    let error: string | undefined;
    try {
      info = agent.backend(name).modelInfo();
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    return {
      ...common,
      kind: 'provider',
      provider: info?.provider ?? entry.provider,
      model: info?.id ?? entry.model,
      contextWindow: info?.contextWindow,
      maxOutputTokens: info?.maxOutputTokens,
      pricing: info?.pricing,
      pricingSource: info?.pricingSource,
      capabilities: info?.capabilities,
      ...(error === undefined ? {} : { error }),
    };
  });
  return { configPath: loaded.filepath, defaultBackend, backends };
}

/** `$3`, `$0.15`, `$0.075` per 1M tokens. */
function price(usd: number | undefined): string {
  if (usd === undefined) return 'unknown';
  return `$${usd.toFixed(Math.max(2, Math.min(6, (String(usd).split('.')[1] ?? '').length)))}`;
}

function prices(pricing: ModelPricing | 'unknown' | undefined): string {
  if (pricing === undefined || pricing === 'unknown') return 'unknown';
  return [
    `input ${price(pricing.input)}`,
    `cached ${price(pricing.cachedInput ?? pricing.input)}`,
    `cache write ${price(pricing.cacheWrite ?? pricing.input)}`,
    `output ${price(pricing.output)}`,
  ].join(' · ');
}

function tokens(count: number | undefined): string {
  return count === undefined ? 'unknown' : `${count.toLocaleString('en-US')} tokens`;
}

function renderEntry(entry: ModelsEntry, style: CliStyle): string {
  const flags = [entry.default ? style.green('default') : '', entry.needs.length > 0 ? style.yellow(`needs ${entry.needs.join(', ')}`) : ''].filter(Boolean).join('  ');
  if (entry.kind === 'group') {
    const targets = entry.targets.map((target) => (typeof target === 'string' ? target : `${target.backend}${target.weight === undefined ? '' : ` ×${target.weight}`}`));
    const head = `${style.bold(entry.name)}  group: ${entry.strategy} → ${targets.join(', ')}${flags ? `  ${flags}` : ''}`;
    return entry.fallbackOn ? `${head}\n  falls back on: ${entry.fallbackOn.join(', ')}` : head;
  }
  const lines = [`${style.bold(entry.name)}  ${entry.provider} · ${entry.model ?? 'default model'}${flags ? `  ${flags}` : ''}`];
  if (entry.error !== undefined) {
    lines.push(`  ${style.red(entry.error.split('\n')[0])}`);
    return lines.join('\n');
  }
  lines.push(`  context window ${tokens(entry.contextWindow)} · max output ${tokens(entry.maxOutputTokens)}`);
  lines.push(`  per 1M tokens: ${prices(entry.pricing)}${entry.provider === 'mock' ? style.dim(' (made-up mock prices)') : ''}`);
  const capabilities = Object.entries(entry.capabilities ?? {})
    .filter(([, enabled]) => enabled)
    .map(([key]) => CAPABILITY_NAMES[key as keyof Capabilities] ?? key);
  lines.push(`  capabilities: ${capabilities.join(', ') || 'none'}`);
  return lines.join('\n');
}

/** `hyperagent models`: the backends of the config and what their models can do and cost. */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the backends: provider, model, context window, prices per 1M tokens, capabilities.',
  usage: 'hyperagent models [--config PATH] [--json]',
  help: ['  -c, --config PATH  the config file (default: searched from here up)', '      --json         print the list as JSON'].join('\n'),
  details: 'Backends whose environment variables are not set are listed too, marked "needs VAR".',
  options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const listing = await listModels(values.config as string | undefined, io.cwd, io.env);
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${listing.backends.map((entry) => renderEntry(entry, io.style)).join('\n\n')}\n`);
    return 0;
  },
};
