import { resolveBackend, usageHeaders, type Exchange } from './exchange.js';
import { toEmbeddingsRequest } from './openai-request.js';
import { toEmbeddingList } from './openai-response.js';
import { readJsonBody } from './read-body.js';
import { sendJson } from './respond.js';

/** `POST /v1/embeddings`. */
export async function handleEmbeddings(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange.request, exchange.options.maxBodyBytes);
  const request = toEmbeddingsRequest(body);
  exchange.backendName = request.backendName;
  const backend = resolveBackend(exchange.options.kernel, request.backendName);
  const output = await backend.embed(request.input, {
    signal: exchange.signal,
    ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    metadata: { requestId: exchange.requestId, ...(request.user === undefined ? {} : { user: request.user }) },
  });
  sendJson(exchange.response, 200, toEmbeddingList(output, request), usageHeaders(request.backendName, output.tokenUsage, output.metadata.costUsd, output.metadata.backend));
}
