import { InvalidResponseError } from '../../core/errors.js';
import type { EmbeddingOutput, OutputMetadata } from '../../core/types.js';
import type { CohereV2EmbedResponse } from './cohere-v2-api.js';

export interface CohereV2EmbedSettings {
  readonly model: string;
  /** `search_document`, `search_query`, `classification`, `clustering`: required by v3+ models. */
  readonly inputType: string;
  /** `output_dimension` (embed-v4.0). */
  readonly dimensions?: number;
}

/** The `/v2/embed` body: float vectors only. */
export function cohereV2EmbedRequest(texts: readonly string[], settings: CohereV2EmbedSettings): Record<string, unknown> {
  return {
    model: settings.model,
    texts: [...texts],
    input_type: settings.inputType,
    embedding_types: ['float'],
    ...(settings.dimensions === undefined ? {} : { output_dimension: settings.dimensions }),
  };
}

/** A `/v2/embed` answer → `EmbeddingOutput`; usage from `meta.billed_units.input_tokens`. */
export function convertCohereV2Embeddings(body: CohereV2EmbedResponse, count: number, context: { readonly provider: string; readonly model: string; readonly requestId?: string }): EmbeddingOutput {
  const vectors = body?.embeddings?.float;
  if (!Array.isArray(vectors) || vectors.length !== count || vectors.some((vector) => !Array.isArray(vector))) {
    throw new InvalidResponseError(`${context.provider} answered /embed with ${Array.isArray(vectors) ? `${vectors.length} float vector(s)` : 'no "embeddings.float" array'} for ${count} text(s).`, {
      provider: context.provider,
      requestId: context.requestId,
    });
  }
  const promptTokens = body.meta?.billed_units?.input_tokens ?? 0;
  return {
    embeddings: vectors,
    model: context.model,
    tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
    metadata: { provider: context.provider, model: context.model, ...(context.requestId ? { requestId: context.requestId } : {}), ...(body.id ? { responseId: body.id } : {}) } as OutputMetadata,
  };
}
