import { InvalidResponseError } from '../../core/errors.js';
import type { GoogleBatchEmbedContentsResponse, GoogleEmbedContentRequest, GoogleEmbedContentResponse } from './google-api.js';

export interface GoogleEmbedSettings {
  /** e.g. `gemini-embedding-001`. */
  readonly model: string;
  readonly outputDimensionality?: number;
  /** e.g. `RETRIEVAL_DOCUMENT`, `SEMANTIC_SIMILARITY`. */
  readonly taskType?: string;
}

/** One text → an `embedContent` body. */
export function googleEmbedContentRequest(text: string, settings: GoogleEmbedSettings): GoogleEmbedContentRequest {
  const request: { -readonly [K in keyof GoogleEmbedContentRequest]: GoogleEmbedContentRequest[K] } = { content: { parts: [{ text }] } };
  if (settings.taskType !== undefined) request.taskType = settings.taskType;
  if (settings.outputDimensionality !== undefined) request.outputDimensionality = settings.outputDimensionality;
  return request;
}

/** Several texts → a `batchEmbedContents` body: each request names its model as `models/<id>`. */
export function googleBatchEmbedRequest(texts: readonly string[], settings: GoogleEmbedSettings): { readonly requests: GoogleEmbedContentRequest[] } {
  const model = settings.model.startsWith('models/') ? settings.model : `models/${settings.model}`;
  return { requests: texts.map((text) => ({ model, ...googleEmbedContentRequest(text, settings) })) };
}

/** The vectors of an `embedContent` (one) or `batchEmbedContents` (several) answer, checked against the count asked for. */
export function googleEmbeddingVectors(body: GoogleEmbedContentResponse & GoogleBatchEmbedContentsResponse, expected: number, provider: string): number[][] {
  const items = Array.isArray(body?.embeddings) ? body.embeddings : body?.embedding ? [body.embedding] : [];
  const vectors = items.map((item) => (Array.isArray(item?.values) ? [...item.values] : undefined));
  if (vectors.length !== expected || vectors.some((vector) => vector === undefined)) {
    throw new InvalidResponseError(`${provider} answered an embeddings request for ${expected} text(s) with ${vectors.length} vector(s): ${JSON.stringify(body)?.slice(0, 200)}.`, { provider });
  }
  return vectors as number[][];
}
