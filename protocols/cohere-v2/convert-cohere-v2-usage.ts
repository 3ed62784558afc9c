import type { TokenUsage } from '../../core/types.js';
import type { CohereV2Usage } from './cohere-v2-api.js';

const count = (value: number | null | undefined): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * Cohere reports three views (fixture cohere/chat-max-tokens-cached-tokens.json): `billed_units`
 * (what is charged), `tokens` (raw, with Cohere's own prompt template) and `cached_tokens` (cache
 * hits, not in `billed_units`). In the project's convention: `promptTokens` = billed input + cache
 * hits, `cachedTokens` = the hits, `completionTokens` = billed output (reasoning included),
 * `reasoningTokens` from `tokens`. The template tokens Cohere neither bills nor shows are left out.
 * `tokens` stands in where `billed_units` is missing. Odd values pass through: the kernel sanitises.
 */
export function convertCohereV2Usage(usage: CohereV2Usage | null | undefined): TokenUsage {
  const billed = usage?.billed_units;
  const raw = usage?.tokens;
  const cached = count(usage?.cached_tokens);
  const input = count(billed?.input_tokens) ?? count(raw?.input_tokens) ?? 0;
  const output = count(billed?.output_tokens) ?? count(raw?.output_tokens) ?? 0;
  const reasoning = count(raw?.reasoning_tokens);
  const promptTokens = billed?.input_tokens == null ? input : input + (cached ?? 0);
  const result: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = { promptTokens, completionTokens: output, totalTokens: promptTokens + output };
  if (cached !== undefined) result.cachedTokens = cached;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
