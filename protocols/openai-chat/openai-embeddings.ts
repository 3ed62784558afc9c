import { InvalidResponseError } from '../../core/errors.js';
import { requestJson, type ProviderWireHooks } from '../../core/http.js';
import { readOpenAIChatRateLimitHeaders } from './openai-chat-rate-limits.js';
import type { EmbeddingOutput, OutputMetadata } from '../../core/types.js';
import type { OpenAIEmbeddingResponse } from './openai-chat-api.js';

export interface OpenAIEmbeddingsRequest extends ProviderWireHooks {
  readonly provider: string;
  /** `/embeddings` is appended. */
  readonly baseURL: string;
  /** The whole URL, when not `${baseURL}/embeddings` (Azure's deployments). */
  readonly url?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly apiKeyEnv?: string;
  readonly model: string;
  /** Sent as one batch. */
  readonly input: readonly string[];
  /** Shorter vectors (text-embedding-3 models). */
  readonly dimensions?: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** POST `/embeddings` (OpenAI, OpenRouter, and most OpenAI-compatible servers speak it). Vectors come back in input order. */
export async function requestOpenAIEmbeddings(request: OpenAIEmbeddingsRequest): Promise<EmbeddingOutput> {
  const { provider } = request;
  const response = await requestJson<OpenAIEmbeddingResponse>({
    provider,
    url: request.url ?? `${request.baseURL.replace(/\/+$/, '')}/embeddings`,
    headers: request.headers,
    body: { model: request.model, input: [...request.input], ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }) },
    signal: request.signal,
    timeoutMs: request.timeoutMs,
    apiKeyEnv: request.apiKeyEnv,
    readRateLimit: request.readRateLimit ?? readOpenAIChatRateLimitHeaders,
    mapError: request.mapError,
  });
  const data = Array.isArray(response.body?.data) ? response.body.data : undefined;
  if (!data || data.length !== request.input.length || data.some((item) => !Array.isArray(item.embedding))) {
    throw new InvalidResponseError(
      `${provider} answered /embeddings with ${data ? `${data.length} vector(s)` : 'no "data" array'} for ${request.input.length} input(s).`,
      { provider, requestId: response.requestId },
    );
  }
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const model = response.body.model ?? request.model;
  const promptTokens = response.body.usage?.prompt_tokens ?? 0;
  return {
    embeddings: ordered.map((item) => item.embedding as number[]),
    model,
    tokenUsage: { promptTokens, completionTokens: 0, totalTokens: response.body.usage?.total_tokens ?? promptTokens },
    metadata: { provider, model, ...(response.requestId ? { requestId: response.requestId } : {}) } as OutputMetadata,
  };
}
