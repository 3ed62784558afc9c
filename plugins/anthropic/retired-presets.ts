import type { AnthropicModelId } from './anthropic-models.js';

/** A seed preset whose model Anthropic retired: what it calls now, and since when its own model is gone. */
interface RetiredPreset {
  readonly model: AnthropicModelId;
  readonly retired: string;
  readonly successor: AnthropicModelId;
}

/**
 * The seed's presets kept for code written against it, mapped to the model of the same tier that
 * replaces theirs (a retired model answers every call with an error). Retirement dates as
 * Anthropic's model deprecations page gives them; `claude3Haiku` is not listed here while its
 * model is still served.
 */
export const RETIRED_PRESETS = {
  claude35Sonnet: { model: 'claude-3-5-sonnet-20241022', retired: '2025-10-22', successor: 'claude-sonnet-4-6' },
  claude35Haiku: { model: 'claude-3-5-haiku-20241022', retired: '2026-02-19', successor: 'claude-haiku-4-5' },
  claude3Opus: { model: 'claude-3-opus-20240229', retired: '2026-01-05', successor: 'claude-opus-4-6' },
} as const satisfies Record<string, RetiredPreset>;

const warned = new Set<string>();

/**
 * The model preset `name` calls: its successor, with a DeprecationWarning the first time the preset
 * is used in this process (Node prints it on stderr; `--no-deprecation` hides it).
 */
export function retiredPresetModel(name: keyof typeof RETIRED_PRESETS): AnthropicModelId {
  const preset: RetiredPreset = RETIRED_PRESETS[name];
  if (!warned.has(name)) {
    warned.add(name);
    process.emitWarning(
      `AnthropicProvider.${name}() named ${preset.model}, which Anthropic retired on ${preset.retired}; it now calls ${preset.successor}. Use new AnthropicProvider(apiKey, '${preset.successor}') (or another model) to choose explicitly.`,
      { type: 'DeprecationWarning', code: 'HYPERAGENT_RETIRED_PRESET' },
    );
  }
  return preset.successor;
}
