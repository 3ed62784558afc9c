import { answerCharged } from './charged-answer.js';
import { requestedBackend, usageHeaders, type Exchange } from './exchange.js';
import { toEmbeddingsRequest } from './openai-request.js';
import { toEmbeddingList } from './openai-response.js';
import { parseRequest } from './parse-request.js';
import { readJsonBody } from './read-body.js';

/** `POST /v1/embeddings`. */
export async function handleEmbeddings(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.bodyLimits);
  const request = parseRequest(exchange, () => toEmbeddingsRequest(body));
  const backend = requestedBackend(exchange, request.backendName);
  const output = await backend.embed(request.input, {
    signal: exchange.signal,
    ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    metadata: { requestId: exchange.requestId, ...(request.user === undefined ? {} : { user: request.user }) },
  });
  answerCharged(exchange, () => ({
    body: toEmbeddingList(output, request),
    headers: usageHeaders(request.backendName, output.tokenUsage, output.metadata?.costUsd, output.metadata?.backend),
  }));
}
