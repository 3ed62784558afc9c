import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { validatePriceFile, type PriceFile, type PriceFileEntry } from './price-file.js';
import { matchesModel, type ModelMatch } from './pricing-match.js';
import type { ModelPricing } from './types.js';

/** Where a price came from. */
export type PriceOrigin = 'override' | 'database' | 'own';

/** A model's price and where it came from. */
export interface PriceEntry {
  readonly pricing: ModelPricing;
  /** e.g. `@pydantic/genai-prices 0.1.8, prices as of 2026-12-04 (https://…/pricing)`. */
  readonly pricingSource: string;
  readonly origin: PriceOrigin;
  /** The id of the entry that matched (a dated id matches its model's entry). */
  readonly entryId: string;
  /** Price keys of the database this entry has and HyperAgent does not charge (audio, images, web searches). */
  readonly ignored?: readonly string[];
}

interface SnapshotModel {
  readonly id: string;
  readonly match: ModelMatch;
  readonly pricing: ModelPricing;
  readonly ignored?: readonly string[];
  readonly deprecated?: boolean;
}

/** core/prices/snapshot.json: where the prices came from, and each provider's file. */
interface SnapshotIndex {
  readonly source: string;
  readonly version: string;
  readonly date: string;
  readonly providers: Readonly<Record<string, { readonly id: string; readonly pricingUrls: readonly string[]; readonly models: number }>>;
}

/** What `hyperagent prices` prints first. */
export interface SnapshotInfo {
  readonly source: string;
  readonly version: string;
  readonly date: string;
  readonly providers: readonly string[];
  readonly models: number;
  readonly ownEntries: number;
  /** The override file in use, if any. */
  readonly overrides: string | undefined;
}

/** Other names the providers go by (the database's ids). */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = { aws: 'bedrock', 'x-ai': 'xai', gemini: 'google', moonshotai: 'moonshot' };

// Both files sit in core/prices/ beside the sources, and in dist/core/prices/ beside the bundle
// (scripts/bundle.js copies them); the other candidates cover a bundler that inlined this module elsewhere.
const CANDIDATES = ['./prices/', '../core/prices/', '../../core/prices/'];

function readData<T>(name: string): T {
  for (const dir of CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(fileURLToPath(new URL(`${dir}${name}`, import.meta.url)), 'utf8');
    } catch {
      continue;
    }
    return JSON.parse(text) as T;
  }
  throw new Error(`HyperAgent's price data core/prices/${name} is missing from this installation: reinstall hyperagent.`);
}

let snapshot: SnapshotIndex | undefined;
/** core/prices/snapshot-<provider>.json, each read when one of its models is first priced. */
const providerModels = new Map<string, readonly SnapshotModel[]>();
let own: readonly PriceFileEntry[] | undefined;
let overrides: { readonly file: string; readonly entries: readonly PriceFileEntry[] } | undefined;
/** Lookups by `provider\0model`: a call prices its model at least twice (admission, charge). */
const resolved = new Map<string, PriceEntry | null>();

// Read on the first price asked for, never at import, and one provider's file at a time: the whole
// database parses in ~8 ms, one provider's in well under one.
function loadSnapshot(): SnapshotIndex {
  return (snapshot ??= readData<SnapshotIndex>('snapshot.json'));
}

function modelsOf(provider: string): readonly SnapshotModel[] | undefined {
  if (loadSnapshot().providers[provider] === undefined) return undefined;
  let models = providerModels.get(provider);
  if (models === undefined) providerModels.set(provider, (models = readData<SnapshotModel[]>(`snapshot-${provider}.json`)));
  return models;
}

function loadOwn(): readonly PriceFileEntry[] {
  return (own ??= readData<PriceFile>('own-prices.json').models);
}

function canonicalProvider(provider: string): string {
  const lower = provider.toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

function entryMatches(entry: PriceFileEntry, provider: string, model: string): boolean {
  return canonicalProvider(entry.provider) === provider && (entry.match ? matchesModel(entry.match, model) : entry.id.toLowerCase() === model);
}

function fileEntry(entry: PriceFileEntry, origin: PriceOrigin, file: string): PriceEntry {
  const read = [entry.source, entry.date === undefined ? undefined : `read ${entry.date}`].filter(Boolean).join(', ');
  return { pricing: entry.pricing, pricingSource: origin === 'override' ? `${file}${read ? ` (${read})` : ''}` : `HyperAgent's own entry: ${read}`, origin, entryId: entry.id };
}

function databaseSource(data: SnapshotIndex, url: string | undefined): string {
  return `${data.source} ${data.version}, prices as of ${data.date}${url ? ` (${url})` : ''}`;
}

function lookup(provider: string, model: string): PriceEntry | undefined {
  const override = overrides?.entries.find((entry) => entryMatches(entry, provider, model));
  if (override) return fileEntry(override, 'override', overrides!.file);
  // Our own entries cover only models the database lacks (a test keeps it so), and are precise where a
  // database prefix rule would catch a newer model by mistake.
  const mine = loadOwn().find((entry) => entryMatches(entry, provider, model));
  if (mine) return fileEntry(mine, 'own', 'own-prices.json');
  const models = modelsOf(provider);
  if (models === undefined) return undefined;
  const data = loadSnapshot();
  const table = data.providers[provider];
  const found = models.find((entry) => entry.id.toLowerCase() === model) ?? models.find((entry) => matchesModel(entry.match, model));
  if (found === undefined) return undefined;
  return {
    pricing: found.pricing,
    pricingSource: databaseSource(data, table.pricingUrls[0]),
    origin: 'database',
    entryId: found.id,
    ...(found.ignored ? { ignored: found.ignored } : {}),
  };
}

/**
 * The price of `modelId` on `provider` (HyperAgent's provider name: `openai`, `anthropic`, `google`,
 * `bedrock`, `azure`, `mistral`, `groq` …), from the override file the config names, else HyperAgent's
 * own dated entries, else the shipped snapshot of `@pydantic/genai-prices`. `undefined` when none has
 * it: price the model `'unknown'` then, never 0. Catalogs call this from `modelInfo()`.
 */
export function priceFor(provider: string, modelId: string): PriceEntry | undefined {
  const key = `${provider}\u0000${modelId}`;
  let entry = resolved.get(key);
  if (entry === undefined) {
    entry = lookup(canonicalProvider(provider), modelId.trim().toLowerCase()) ?? null;
    if (resolved.size >= 1024) resolved.clear();
    resolved.set(key, entry);
  }
  return entry ?? undefined;
}

/** `priceFor` as the two `ModelInfo` fields: `pricing` (`'unknown'` when unpriced) and `pricingSource`. */
export function modelPricingFor(provider: string, modelId: string): { readonly pricing: ModelPricing | 'unknown'; readonly pricingSource?: string } {
  const entry = priceFor(provider, modelId);
  return entry ? { pricing: entry.pricing, pricingSource: entry.pricingSource } : { pricing: 'unknown' };
}

/**
 * Use the prices of a price file before any other, for this process (the config's `"prices"`).
 * `undefined` removes them.
 */
export function setPriceOverrides(file: PriceFile | undefined, name = 'price overrides'): void {
  overrides = file === undefined ? undefined : { file: name, entries: file.models };
  resolved.clear();
}

/** Read, check and use a price file (`"prices": "./prices.json"`). Throws `ConfigError` for a bad file. */
export function loadPriceOverrides(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw priceFileError(path, code);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw priceFileError(path, undefined, (error as Error).message);
  }
  setPriceOverrides(validatePriceFile(raw, path), path);
}

/** The shipped snapshot's source, date and size, and the override file in use. */
export function priceSnapshotInfo(): SnapshotInfo {
  const data = loadSnapshot();
  const providers = Object.keys(data.providers);
  return {
    source: data.source,
    version: data.version,
    date: data.date,
    providers,
    models: providers.reduce((sum, name) => sum + data.providers[name].models, 0),
    ownEntries: loadOwn().length,
    overrides: overrides?.file,
  };
}

/** Every entry that covers `modelId`, on any provider, best first per provider (for `hyperagent prices <model>`). */
export function pricesOfModel(modelId: string): readonly { readonly provider: string; readonly entry: PriceEntry }[] {
  const found: { provider: string; entry: PriceEntry }[] = [];
  const providers = new Set([...Object.keys(loadSnapshot().providers), ...loadOwn().map((entry) => canonicalProvider(entry.provider)), ...(overrides?.entries ?? []).map((entry) => canonicalProvider(entry.provider))]);
  for (const provider of providers) {
    const entry = priceFor(provider, modelId);
    if (entry) found.push({ provider, entry });
  }
  return found;
}

/** A price file that cannot be read or is not JSON. */
function priceFileError(path: string, code: string | undefined, parseMessage?: string): ConfigError {
  return new ConfigError(
    parseMessage === undefined
      ? `Cannot read the price file ${path}${code ? ` (${code})` : ''}: check the config's "prices" path, or write one with \`hyperagent prices update --from FILE|URL\`.`
      : `The price file ${path} is not valid JSON (${parseMessage}).`,
    [],
    path,
  );
}
