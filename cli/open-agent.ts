import { createHyperAgent, type HyperAgent } from '../core/create-hyper-agent.js';
import type { Kernel } from '../core/kernel.js';
import { enableModelSpecs, parseModelSpec, registerModelSpec } from '../core/model-spec.js';
import { BUILTIN_PROVIDERS } from '../core/plugin-loader.js';
import { UsageError } from './cli-errors.js';
import { configFolder } from './env-file.js';
import type { CliIO } from './main.js';

export interface OpenAgentOptions {
  /** `--config`. */
  readonly config?: string | undefined;
  /** `--model`: a backend of the config, or `provider/model`. */
  readonly model?: string | undefined;
  readonly io: CliIO;
  readonly kernel?: Kernel;
}

function badModel(model: string): UsageError {
  return new UsageError(
    `--model takes provider/model with a built-in provider (${Object.keys(BUILTIN_PROVIDERS).join(', ')}), e.g. anthropic/claude-sonnet-4-6, or the name of a backend of the config; got "${model}".`,
  );
}

/**
 * The agent a command works with: the config's, and with `--model provider/model` that model too,
 * as a backend of that name (its key from the provider's variable, e.g. ANTHROPIC_API_KEY). With
 * `--model` and no config anywhere, that backend alone: no config file is needed to talk to a model.
 */
export async function openAgent(options: OpenAgentOptions): Promise<HyperAgent> {
  const { config, model, io, kernel } = options;
  const spec = model === undefined ? undefined : parseModelSpec(model);
  const base = { cwd: io.cwd, env: io.env, ...(kernel ? { kernel } : {}) };
  if (model !== undefined && config === undefined && configFolder(undefined, io.cwd) === undefined) {
    if (!spec) throw badModel(model);
    return createHyperAgent({ ...base, config: { backends: { [model]: { provider: spec.provider, model: spec.model } } } });
  }
  const agent = await createHyperAgent({ ...base, ...(config === undefined ? {} : { config }) });
  if (model === undefined || agent.kernel.has(model)) return agent;
  if (!spec) throw badModel(model);
  await enableModelSpecs(agent.kernel, { configDir: agent.configDir, env: io.env, providers: [spec.provider] });
  registerModelSpec(agent.kernel, model);
  return agent;
}
