import type { StreamEvent } from '../../core/types.js';

interface StreamStart {
  readonly first: IteratorResult<StreamEvent>;
  readonly iterator: AsyncIterator<StreamEvent>;
}

function isStreamStart(value: unknown): value is StreamStart {
  const start = value as Partial<StreamStart> | null;
  return typeof start === 'object' && start !== null && typeof start.first === 'object' && typeof start.iterator?.next === 'function';
}

function isEnd(result: IteratorResult<StreamEvent>): boolean {
  return result.done === true || result.value.type === 'done' || result.value.type === 'error';
}

/**
 * A stream attempt resolves at its first event, but the request stays in flight until the stream
 * ends. This wraps the kernel's stream start so `release` runs when the last event is read, when the
 * consumer stops early (`return`), or when reading throws. No hook says "this call is over" (see
 * the report: an `onCallEnd` hook would make this unnecessary), so a value of another shape is
 * released at once.
 */
export function releaseWhenStreamEnds(start: unknown, release: () => void): unknown {
  if (!isStreamStart(start) || isEnd(start.first)) {
    release();
    return start;
  }
  const inner = start.iterator;
  const iterator: AsyncIterator<StreamEvent> = {
    async next(...args: [] | [undefined]) {
      try {
        const result = await inner.next(...args);
        if (isEnd(result)) release();
        return result;
      } catch (error) {
        release();
        throw error;
      }
    },
    async return(value?: unknown) {
      try {
        return inner.return ? await inner.return(value) : { done: true, value: undefined };
      } finally {
        release();
      }
    },
  };
  return { ...start, iterator };
}
