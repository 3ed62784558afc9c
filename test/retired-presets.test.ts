// The seed's presets whose models Anthropic retired: they call the successor, and say so once.
import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../plugins/anthropic/index.js';
import { RETIRED_PRESETS } from '../plugins/anthropic/retired-presets.js';

describe('retired seed presets', () => {
  it('call their successor, with one DeprecationWarning per preset however often it is used', async () => {
    const warnings: (Error & { code?: string })[] = [];
    const listen = (warning: Error): void => void warnings.push(warning);
    process.on('warning', listen);
    try {
      for (let i = 0; i < 3; i++) {
        expect(AnthropicProvider.claude35Sonnet('sk-ant-test').model).toBe('claude-sonnet-4-6');
        expect(AnthropicProvider.claude35Haiku('sk-ant-test').model).toBe('claude-haiku-4-5');
        expect(AnthropicProvider.claude3Opus('sk-ant-test').model).toBe('claude-opus-4-6');
      }
      // Node emits warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    const ours = warnings.filter((warning) => warning.code === 'HYPERAGENT_RETIRED_PRESET');
    expect(ours.map((warning) => warning.name)).toEqual(['DeprecationWarning', 'DeprecationWarning', 'DeprecationWarning']);
    expect(ours[0].message).toBe(
      "AnthropicProvider.claude35Sonnet() named claude-3-5-sonnet-20241022, which Anthropic retired on 2025-10-22; it now calls claude-sonnet-4-6. Use new AnthropicProvider(apiKey, 'claude-sonnet-4-6') (or another model) to choose explicitly.",
    );
  });

  it('map to models the catalog knows, and a preset of a model still served is left alone', () => {
    for (const preset of Object.values(RETIRED_PRESETS)) expect(new AnthropicProvider('sk-ant-test', preset.successor).modelInfo().id).toBe(preset.successor);
    expect(AnthropicProvider.claude3Haiku('sk-ant-test').model).toBe('claude-3-haiku-20240307');
  });
});
