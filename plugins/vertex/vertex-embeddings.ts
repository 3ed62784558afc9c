import { InvalidResponseError } from '../../core/errors.js';
import type { EmbeddingOutput } from '../../core/types.js';
import { VERTEX_PROVIDER } from './vertex-errors.js';

/** Vertex's `:predict` answer for an embedding model. */
export interface VertexPredictResponse {
  readonly predictions?: readonly { readonly embeddings?: { readonly values?: readonly number[]; readonly statistics?: { readonly token_count?: number } } }[];
}

/** Texts → a `:predict` body, with `outputDimensionality` when dimensions are asked for. */
export function vertexEmbeddingsRequest(texts: readonly string[], dimensions: number | undefined): Record<string, unknown> {
  return { instances: texts.map((content) => ({ content })), ...(dimensions !== undefined ? { parameters: { outputDimensionality: dimensions } } : {}) };
}

/** The vectors and token counts of a `:predict` answer; a text without a count is estimated (`metadata.estimatedUsage`). */
export function vertexEmbeddingsOutput(body: VertexPredictResponse, texts: readonly string[], model: string, requestId: string | undefined, estimate: (text: string) => number): EmbeddingOutput {
  const predictions = Array.isArray(body?.predictions) ? body.predictions : [];
  const vectors = predictions.map((prediction) => prediction?.embeddings?.values);
  if (vectors.length !== texts.length || vectors.some((vector) => !Array.isArray(vector))) {
    throw new InvalidResponseError(`vertex answered an embeddings request for ${texts.length} text(s) with ${vectors.length} vector(s): ${JSON.stringify(body)?.slice(0, 200)}.`, { provider: VERTEX_PROVIDER });
  }
  let estimated = false;
  const promptTokens = predictions.reduce((sum, prediction, index) => {
    const counted = prediction?.embeddings?.statistics?.token_count;
    if (typeof counted === 'number') return sum + counted;
    estimated = true;
    return sum + estimate(texts[index]);
  }, 0);
  return {
    embeddings: vectors.map((vector) => [...vector!]),
    model,
    tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
    metadata: { provider: VERTEX_PROVIDER, model, ...(requestId ? { requestId } : {}), ...(estimated ? { estimatedUsage: true } : {}) },
  };
}
