import { ConfigError, type ConfigProblem } from './errors.js';
import type { ModelMatch } from './pricing-match.js';
import type { ModelPricing } from './types.js';

/** One model's price in a price file (an override file, or HyperAgent's own entries). */
export interface PriceFileEntry {
  /** HyperAgent's provider name, e.g. `openai`, `anthropic`, `bedrock`. */
  readonly provider: string;
  /** The model id; with no `match`, the entry covers exactly this id (any case). */
  readonly id: string;
  /** Which ids the entry covers, in the price database's form. @default { equals: id } */
  readonly match?: ModelMatch;
  readonly pricing: ModelPricing;
  /** Where the price was read (a URL, "contract 2026-Q4"…). */
  readonly source?: string;
  /** When it was read, YYYY-MM-DD. */
  readonly date?: string;
}

/** A price file: `{ "models": [ … ] }`. What `hyperagent prices update --from` writes. */
export interface PriceFile {
  readonly format?: 1;
  readonly models: readonly PriceFileEntry[];
}

const RATE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'reasoning'] as const;

function isRate(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkRates(rates: Record<string, unknown>, path: string, required: boolean, problems: ConfigProblem[]): void {
  for (const field of RATE_FIELDS) {
    const value = rates[field];
    if (value === undefined ? required && (field === 'input' || field === 'output') : !isRate(value)) {
      problems.push({ path: `${path}/${field}`, message: `must be a price in USD per 1M tokens (a number ≥ 0), got ${JSON.stringify(value)}` });
    }
  }
}

function checkMatch(match: unknown, path: string, problems: ConfigProblem[]): void {
  const ok = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    const keys = Object.keys(value);
    if (keys.length !== 1) return false;
    const inner = (value as Record<string, unknown>)[keys[0]];
    if (keys[0] === 'or' || keys[0] === 'and') return Array.isArray(inner) && inner.every(ok);
    return ['equals', 'starts_with', 'ends_with', 'contains', 'regex'].includes(keys[0]) && typeof inner === 'string';
  };
  if (!ok(match)) problems.push({ path, message: 'must be one of {"equals"|"starts_with"|"ends_with"|"contains"|"regex": "<text>"} or {"or"|"and": [ … ]}' });
}

/** Checks a parsed price file; throws `ConfigError` naming each bad field and the file. */
export function validatePriceFile(raw: unknown, file: string): PriceFile {
  const problems: ConfigProblem[] = [];
  const models = (raw as { models?: unknown } | null)?.models;
  if (typeof raw !== 'object' || raw === null || !Array.isArray(models)) {
    throw new ConfigError(`The price file ${file} must be a JSON object with a "models" array (see \`hyperagent prices --help\`).`, [{ path: '/models', message: 'must be an array' }], file);
  }
  models.forEach((entry: unknown, index: number) => {
    const path = `/models/${index}`;
    const model = entry as Partial<PriceFileEntry> | null;
    if (typeof model !== 'object' || model === null) return void problems.push({ path, message: 'must be an object' });
    if (typeof model.provider !== 'string' || model.provider === '') problems.push({ path: `${path}/provider`, message: 'must be a provider name, e.g. "openai"' });
    if (typeof model.id !== 'string' || model.id === '') problems.push({ path: `${path}/id`, message: 'must be a model id' });
    if (model.match !== undefined) checkMatch(model.match, `${path}/match`, problems);
    const pricing = model.pricing as unknown as Record<string, unknown> | undefined;
    if (typeof pricing !== 'object' || pricing === null) return void problems.push({ path: `${path}/pricing`, message: 'must be an object like {"input": 2.5, "output": 10}' });
    checkRates(pricing, `${path}/pricing`, true, problems);
    if (pricing.perRequest !== undefined && !isRate(pricing.perRequest)) problems.push({ path: `${path}/pricing/perRequest`, message: 'must be USD per request (a number ≥ 0)' });
    if (pricing.batch !== undefined) checkRates(pricing.batch as Record<string, unknown>, `${path}/pricing/batch`, true, problems);
    if (pricing.tiers !== undefined) {
      if (!Array.isArray(pricing.tiers)) problems.push({ path: `${path}/pricing/tiers`, message: 'must be an array of {"above": <tokens>, …rates}' });
      else
        pricing.tiers.forEach((tier: Record<string, unknown>, tierIndex: number) => {
          if (typeof tier?.above !== 'number' || !(tier.above >= 0)) problems.push({ path: `${path}/pricing/tiers/${tierIndex}/above`, message: 'must be a prompt length in tokens' });
          else checkRates(tier, `${path}/pricing/tiers/${tierIndex}`, false, problems);
        });
    }
  });
  if (problems.length > 0) {
    const list = problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
    throw new ConfigError(`The price file ${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${list}`, problems, file);
  }
  return raw as PriceFile;
}
