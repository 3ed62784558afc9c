import { InvalidResponseError } from '../../core/errors.js';
import { StreamAccumulator } from '../../core/stream-accumulator.js';
import type { InferenceOutput, StreamEvent } from '../../core/types.js';
import type { GoogleGenerateContentResponse } from './google-api.js';
import { GoogleStreamTransform, type GoogleStreamContext } from './google-stream.js';

/**
 * A non-streamed generateContent answer → `InferenceOutput`. The answer has the shape of one
 * stream chunk, so it goes through the stream's transform: infer and stream cannot disagree.
 */
export function convertGoogleResponse(body: GoogleGenerateContentResponse, context: GoogleStreamContext & { readonly model: string }): InferenceOutput {
  if (typeof body !== 'object' || body === null || (!Array.isArray(body.candidates) && body.promptFeedback === undefined)) {
    throw new InvalidResponseError(`${context.provider} answered with a body that is not a generateContent response (no "candidates"): ${JSON.stringify(body)?.slice(0, 200)}.`, {
      provider: context.provider,
      requestId: context.metadata.requestId as string | undefined,
    });
  }
  const transform = new GoogleStreamTransform(context);
  const events: StreamEvent[] = [];
  transform.pushChunk(body, events);
  transform.end(events);
  const accumulator = new StreamAccumulator(context.metadata as Record<string, unknown> & { provider: string; model: string });
  for (const event of events) {
    if (event.type === 'error') throw event.error;
    accumulator.add(event);
  }
  return accumulator.output();
}
