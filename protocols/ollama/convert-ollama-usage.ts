import type { TokenUsage } from '../../core/types.js';
import type { OllamaChatChunk } from './ollama-api.js';

/**
 * `prompt_eval_count` (input) and `eval_count` (output, thinking included) of the final line. Ollama
 * leaves `prompt_eval_count` out when the whole prompt came from its cache: 0 then.
 */
export function convertOllamaUsage(chunk: OllamaChatChunk | undefined): TokenUsage {
  const promptTokens = typeof chunk?.prompt_eval_count === 'number' ? chunk.prompt_eval_count : 0;
  const completionTokens = typeof chunk?.eval_count === 'number' ? chunk.eval_count : 0;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/** The final line's timings, in milliseconds (Ollama gives nanoseconds), for the output's metadata. */
export function ollamaTimings(chunk: OllamaChatChunk): Record<string, number> | undefined {
  const timings: Record<string, number> = {};
  const add = (name: string, ns: number | null | undefined): void => {
    if (typeof ns === 'number') timings[name] = ns / 1e6;
  };
  add('totalMs', chunk.total_duration);
  add('loadMs', chunk.load_duration);
  add('promptEvalMs', chunk.prompt_eval_duration);
  add('evalMs', chunk.eval_duration);
  return Object.keys(timings).length > 0 ? timings : undefined;
}
