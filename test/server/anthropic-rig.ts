// Shared rig of the /v1/messages tests: a loopback upstream that records what it receives, a
// kernel with an Anthropic, an OpenAI and an OpenRouter backend on it, and the gateway in front.
import { afterEach, beforeEach } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { Kernel } from '../../core/kernel.js';
import { AnthropicProvider } from '../../plugins/anthropic/index.js';
import { OpenAIProvider } from '../../plugins/openai/index.js';
import { OpenRouterProvider } from '../../plugins/openrouter/index.js';
import { ReplayServer, type RecordedRequest } from '../replay-server.js';
import { startGateway, type Started } from './helpers.js';

export const GATEWAY_KEY = 'gw-key-anthropic-tests-0001';
export const ANTHROPIC_KEY = 'sk-ant-upstream-tests-0001';

export interface Rig {
  readonly upstream: ReplayServer;
  readonly started: Started;
  readonly kernel: Kernel;
  readonly client: Anthropic;
  /** Requests that reached the upstream at `path`. */
  received(path: string): RecordedRequest[];
}

/** A fresh rig per test; `prepare` may tap the kernel (plugins) before the gateway starts. */
export function useRig(prepare: (kernel: Kernel) => void = () => {}): () => Rig {
  let rig: Rig | undefined;
  beforeEach(async () => {
    const upstream = await new ReplayServer().start();
    const kernel = new Kernel()
      .register('claude', new AnthropicProvider({ apiKey: ANTHROPIC_KEY, model: 'claude-sonnet-4-5', baseURL: `${upstream.baseURL}/v1` }))
      .register('gpt', new OpenAIProvider({ apiKey: 'sk-openai-upstream-0001', model: 'gpt-4o-mini', baseURL: `${upstream.baseURL}/v1` }))
      .register('router', new OpenRouterProvider({ apiKey: 'sk-or-upstream-0001', model: 'anthropic/claude-sonnet-4.5', baseURL: `${upstream.baseURL}/v1` }));
    prepare(kernel);
    const started = await startGateway({ kernel, apiKeys: [GATEWAY_KEY] });
    const client = new Anthropic({ apiKey: GATEWAY_KEY, baseURL: started.url, maxRetries: 0 });
    rig = { upstream, started, kernel, client, received: (path) => upstream.requests.filter((request) => request.path === path) };
  });
  afterEach(async () => {
    await rig?.upstream.stop();
    rig = undefined;
  });
  return () => rig!;
}
