import type { OpenAIChatChunk, OpenAIChatResponse, OpenAIChatWireUsage } from '../../protocols/openai-chat/index.js';

type Choice = NonNullable<OpenAIChatResponse['choices'] | OpenAIChatChunk['choices']>[number];

/**
 * OpenRouter extras worth keeping in `metadata`: the upstream provider that served the call, its own
 * finish reason (`native_finish_reason`, e.g. `tool_use`), and the cost breakdown (`cost_details`, `is_byok`).
 */
export function copyOpenRouterMetadata(body: { provider?: string; choices?: Choice[]; usage?: OpenAIChatWireUsage | null }, metadata: Record<string, unknown>): void {
  if (typeof body.provider === 'string') metadata.upstreamProvider = body.provider;
  const native = body.choices?.find((choice) => typeof choice.native_finish_reason === 'string')?.native_finish_reason;
  if (typeof native === 'string') metadata.nativeFinishReason = native;
  if (body.usage?.cost_details) metadata.costDetails = body.usage.cost_details;
  if (typeof body.usage?.is_byok === 'boolean') metadata.isByok = body.usage.is_byok;
}
