import { streamRequestId } from '../core/inference-stream.js';
import type { InferenceStream } from '../core/types.js';

/** `x-upstream-request-id`: the upstream's own id of the request that answered, when it gave one. */
export function upstreamIdHeader(metadata: { readonly requestId?: unknown } | undefined): Record<string, string> {
  const id = metadata?.requestId;
  return typeof id === 'string' && id !== '' ? { 'x-upstream-request-id': id } : {};
}

/** The same for a stream, read once its first event came (the headers are in by then). */
export function streamUpstreamIdHeader(stream: InferenceStream): Record<string, string> {
  const id = streamRequestId(stream);
  return id === undefined ? {} : { 'x-upstream-request-id': id };
}
