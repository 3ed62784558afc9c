import type { Capabilities, ModelInfo } from '../types.js';

export const ROUTING_PROVIDER = 'routing';

/**
 * What a group promises whichever target answers: the id is the group's name; context window and
 * output limit are the smallest of the targets' (a request sized for the group fits every target);
 * a capability is on only when every target has it (a tool call must not fail because the call
 * happened to land on a target without tools). Pricing is the primary (first listed) target's:
 * the price of a call when nothing goes wrong. Cost itself is charged per call by the target
 * that answered, at that target's price.
 */
export function groupModelInfo(id: string, infos: readonly ModelInfo[]): ModelInfo {
  const [primary] = infos;
  const smallest = (values: readonly (number | undefined)[]): number | undefined => {
    const known = values.filter((value): value is number => value !== undefined);
    return known.length === 0 ? undefined : Math.min(...known);
  };
  const capabilities = Object.fromEntries(
    (Object.keys(primary.capabilities) as (keyof Capabilities)[]).map((key) => [key, infos.every((info) => info.capabilities[key])]),
  ) as unknown as Capabilities;
  return {
    id,
    provider: ROUTING_PROVIDER,
    contextWindow: smallest(infos.map((info) => info.contextWindow)),
    maxOutputTokens: smallest(infos.map((info) => info.maxOutputTokens)),
    pricing: primary.pricing,
    ...(primary.pricingSource === undefined ? {} : { pricingSource: primary.pricingSource }),
    capabilities,
  };
}
