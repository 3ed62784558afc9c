import type { InferOptions } from '../../core/types.js';
import type { AnthropicRequestSupport } from './anthropic-models.js';

/** The sampling parameters to send; each one the model would reject is left out. */
export interface AnthropicSamplingPlan {
  readonly temperature?: number;
  readonly topP?: number;
}

/** With thinking on, models that take sampling parameters take `top_p` only in this range (extended-thinking docs). */
const THINKING_TOP_P_MIN = 0.95;

/** The caller's `temperature` and `topP`, minus what `model` rejects. Each one left out adds a warning. */
export function anthropicSampling(
  model: string,
  options: Pick<InferOptions, 'temperature' | 'topP'>,
  thinking: boolean,
  support: AnthropicRequestSupport,
  warnings: string[],
): AnthropicSamplingPlan {
  let temperature = options.temperature;
  let topP = options.topP;
  // Both thinking forms, budgeted and adaptive, refuse a temperature.
  if (thinking && temperature !== undefined) {
    warnings.push('temperature was not sent: Anthropic does not accept it together with extended thinking.');
    temperature = undefined;
  }
  if (support.sampling === 'default-only') {
    if (temperature !== undefined) warnings.push(defaultOnlyWarning('temperature', temperature, model, support));
    if (topP !== undefined) warnings.push(defaultOnlyWarning('top_p', topP, model, support));
    return {};
  }
  // Temperature is kept: it is the setting callers reach for first, and thinking has already removed it where it must go.
  if (support.sampling === 'one-of' && temperature !== undefined && topP !== undefined) {
    warnings.push(`top_p (${topP}) was not sent: ${model} rejects temperature and top_p together with HTTP 400, so only temperature (${temperature}) was sent. Set only one of temperature and topP.`);
    topP = undefined;
  }
  if (thinking && topP !== undefined && (topP < THINKING_TOP_P_MIN || topP > 1)) {
    warnings.push(`top_p (${topP}) was not sent: with extended thinking on, Anthropic takes top_p only between ${THINKING_TOP_P_MIN} and 1. Set topP in that range, or leave it unset.`);
    topP = undefined;
  }
  return { temperature, topP };
}

function defaultOnlyWarning(parameter: 'temperature' | 'top_p', value: number, model: string, support: AnthropicRequestSupport): string {
  const who = support.inCatalog
    ? `${model} rejects`
    : `${model} is not in the catalog and is treated like the newest Claude models, which reject`;
  const override = support.inCatalog ? '' : ` If this model takes it, send it with providerOptions.${parameter}.`;
  return `${parameter} (${value}) was not sent: ${who} a non-default temperature, top_p or top_k with HTTP 400, thinking or not, so it samples at its defaults. Steer the reply with the prompt or thinking.effort.${override}`;
}
