import { convertOpenAIChatUsage, type OpenAIChatWireUsage } from '../../protocols/openai-chat/index.js';
import type { TokenUsage } from '../../core/types.js';

/** DeepSeek's usage adds `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens` (hit + miss = prompt). */
interface DeepSeekWireUsage extends OpenAIChatWireUsage {
  prompt_cache_hit_tokens?: number | null;
  prompt_cache_miss_tokens?: number | null;
}

/** Cache hits are our `cachedTokens` (part of `promptTokens`, billed at the cache-hit rate). */
export function convertDeepSeekUsage(usage: DeepSeekWireUsage): TokenUsage {
  const converted = convertOpenAIChatUsage(usage);
  const hit = usage.prompt_cache_hit_tokens;
  return typeof hit === 'number' && converted.cachedTokens === undefined ? { ...converted, cachedTokens: hit } : converted;
}
