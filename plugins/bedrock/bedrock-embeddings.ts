import { InvalidResponseError, UnsupportedError } from '../../core/errors.js';
import { header, type HeaderMap } from '../../core/rate-limit-headers.js';
import type { EmbedOptions } from '../../core/types.js';
import { BEDROCK_PROVIDER } from './bedrock-errors.js';
import { splitBedrockModelId } from './bedrock-models.js';

/** One InvokeModel body for some of the inputs, and how to read its answer. */
export interface EmbeddingRequest {
  readonly body: Record<string, unknown>;
  /** How many of the inputs this request carries, in order. */
  readonly count: number;
}

export interface EmbeddingResult {
  readonly embeddings: number[][];
  readonly promptTokens: number;
}

/** Cohere's limit of texts per InvokeModel call. */
const COHERE_BATCH = 96;

/**
 * InvokeModel bodies for `inputs`: Titan text embeddings take one text per call (`inputText`),
 * Cohere embed models up to 96 (`texts`, `input_type`). Other models have no embeddings body we know.
 */
export function embeddingRequests(model: string, inputs: readonly string[], options: EmbedOptions): EmbeddingRequest[] {
  const base = splitBedrockModelId(model).base;
  if (base.startsWith('amazon.titan-embed-text')) {
    const v2 = base.startsWith('amazon.titan-embed-text-v2');
    return inputs.map((inputText) => ({ body: { inputText, ...(v2 ? { normalize: true, ...(options.dimensions ? { dimensions: options.dimensions } : {}) } : {}) }, count: 1 }));
  }
  if (base.startsWith('cohere.embed')) {
    const requests: EmbeddingRequest[] = [];
    for (let at = 0; at < inputs.length; at += COHERE_BATCH) {
      const texts = inputs.slice(at, at + COHERE_BATCH);
      const body: Record<string, unknown> = { texts, input_type: 'search_document', embedding_types: ['float'] };
      if (options.dimensions) body.output_dimension = options.dimensions;
      requests.push({ body, count: texts.length });
    }
    return requests;
  }
  throw new UnsupportedError(`${BEDROCK_PROVIDER}: "${model}" is not an embedding model HyperAgent can call; use a Titan (amazon.titan-embed-text-v2:0) or Cohere (cohere.embed-*) model as "options.embeddingModel".`, {
    provider: BEDROCK_PROVIDER,
  });
}

/** The vectors and input-token count of one InvokeModel answer. */
export function readEmbeddingResponse(model: string, body: unknown, headers: HeaderMap, expected: number): EmbeddingResult {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  // Cohere gives `embeddings` as an array, or by type (`{float: [...]}`) when `embedding_types` is set.
  const raw = Array.isArray(fields.embedding) ? [fields.embedding] : Array.isArray(fields.embeddings) ? fields.embeddings : (fields.embeddings as { float?: unknown } | undefined)?.float;
  if (!Array.isArray(raw) || raw.length !== expected || !raw.every((vector) => Array.isArray(vector))) {
    throw new InvalidResponseError(`${BEDROCK_PROVIDER} answered an embedding request to ${model} without ${expected} vector(s): ${JSON.stringify(body)?.slice(0, 200)}.`, {
      provider: BEDROCK_PROVIDER,
    });
  }
  const counted = typeof fields.inputTextTokenCount === 'number' ? fields.inputTextTokenCount : Number(header(headers, 'x-amzn-bedrock-input-token-count'));
  return { embeddings: raw as number[][], promptTokens: Number.isFinite(counted) ? counted : 0 };
}
