import { ManagedInferenceStream, type InferenceStreamInit } from './inference-stream.js';
import { LazySource, type PullSource } from './pull-source.js';
import type { InferenceStream, StreamEvent } from './types.js';

/**
 * A provider's `inferStream`: the request goes out when the consumer first reads (`open`), and
 * its events stay on the pull-source chain. `init.metadata` is the object `open` keeps filling in
 * (request id, rate limits, warnings) while the stream runs.
 */
export function lazyInferenceStream(open: () => Promise<PullSource<StreamEvent>>, init: InferenceStreamInit): InferenceStream {
  return new ManagedInferenceStream(() => new LazySource(open), init);
}
