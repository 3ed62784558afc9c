/** Vectors per text, in order of the texts embedded, or by exact text. */
export type MockEmbeddingPresets = readonly (readonly number[])[] | Readonly<Record<string, readonly number[]>>;

/** `embeddingDimensions` when the options do not set it. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// mulberry32: a tiny seeded generator, so the same text gives the same vector on every platform.
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A unit-length vector derived from a hash of `text`: equal texts get equal vectors. */
export function hashEmbedding(text: string, dimensions: number): number[] {
  const next = generator(fnv1a(text));
  const vector = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/** Hands out preset vectors first, hashed ones after. */
export class MockEmbeddings {
  private position = 0;

  constructor(
    private readonly presets: MockEmbeddingPresets | undefined,
    private readonly dimensions: number,
  ) {}

  embed(texts: readonly string[], dimensions: number = this.dimensions): number[][] {
    return texts.map((text) => this.vector(text, dimensions));
  }

  private vector(text: string, dimensions: number): number[] {
    const presets = this.presets;
    if (Array.isArray(presets)) {
      if (this.position < presets.length) return [...presets[this.position++]];
    } else if (presets && Object.hasOwn(presets, text)) {
      return [...(presets as Readonly<Record<string, readonly number[]>>)[text]];
    }
    return hashEmbedding(text, dimensions);
  }

  /** Start handing out the ordered presets from the first again. */
  rewind(): void {
    this.position = 0;
  }
}
