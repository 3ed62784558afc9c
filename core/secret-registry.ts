/**
 * Values shorter than this are never registered: redacting `a`, `true` or `EMPTY` (vLLM's
 * placeholder key) would garble every message, and no provider's credential is this short.
 */
export const MIN_SECRET_LENGTH = 8;

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/**
 * Every credential the process was configured with, process-wide: a secret of one kernel is
 * redacted by every other too, since errors and log lines cross kernels (a gateway over several).
 * Values are never removed; a process holds as many as it has backends, keys and tokens.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** The values `add` was given: a key registered again (providers do on every request) costs one lookup. */
  private readonly added = new Set<string>();
  private matcher: Matcher | undefined;

  /** How many forms (value, URL-encoded, JSON-escaped) are registered. */
  get size(): number {
    return this.values.size;
  }

  /**
   * Registers `value` and the forms it takes when quoted in a URL or a JSON string, so it is
   * found in a redirect's `Location` and in a serialised body as well as in plain text; a
   * multi-line value, each of its lines too.
   */
  add(value: string | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.added.has(value)) return;
    this.added.add(value);
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), value.replaceAll('/', '\\/')]) {
      if (this.values.has(form)) continue;
      this.values.add(form);
      this.matcher = undefined;
    }
    // A PEM key quoted through two JSON encodings no longer holds its lines' separators as
    // written; its lines (the key material) are found however it was quoted.
    if (/[\r\n]/.test(value)) for (const line of value.split(/\r?\n|\r/)) this.add(line.trim());
  }

  /** Whether `text` holds any registered value. */
  foundIn(text: string): boolean {
    return this.compiled()?.find(text, 0) !== undefined;
  }

  /** `text` with every registered value replaced by `replacement`. */
  replace(text: string, replacement: string): string {
    const matcher = this.compiled();
    if (matcher === undefined) return text;
    let out = '';
    let from = 0;
    for (let match = matcher.find(text, 0); match !== undefined; match = matcher.find(text, match.end)) {
      out += text.slice(from, match.start) + replacement;
      from = match.end;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  private compiled(): Matcher | undefined {
    if (this.matcher === undefined && this.values.size > 0) {
      // Longest first, so a value that contains another is replaced whole.
      const values = [...this.values].sort((a, b) => b.length - a.length);
      this.matcher = values.length <= REGEXP_UP_TO ? new AlternationMatcher(values) : new PrefixMatcher(values);
    }
    return this.matcher;
  }
}

interface Match {
  readonly start: number;
  readonly end: number;
}

/** Finds the first registered value at or after `from`. Built once per change of the registry. */
interface Matcher {
  find(text: string, from: number): Match | undefined;
}

/**
 * Up to this many forms one RegExp alternation scans fastest (4 KB: 0.3 µs against 3 forms,
 * 8.5 µs against 24); past it irregexp tries every alternative at every position (26 µs at 30
 * forms, 2 ms at 3,000) while the prefix scan hardly grows with the number of values (23 µs at 30
 * forms, 40 µs at 3,000, 72 µs at 30,000). Figures: README, "What is treated as a secret".
 */
const REGEXP_UP_TO = 24;

class AlternationMatcher implements Matcher {
  private readonly pattern: RegExp;

  constructor(values: readonly string[]) {
    this.pattern = new RegExp(values.map((value) => value.replace(REGEXP_SPECIAL, '\\$&')).join('|'), 'g');
  }

  find(text: string, from: number): Match | undefined {
    this.pattern.lastIndex = from;
    const found = this.pattern.exec(text);
    return found === null ? undefined : { start: found.index, end: found.index + found[0].length };
  }
}

const TABLE_MASK = 0xffff;

/** Every value's first 4 UTF-16 units, hashed into a bit table: one pass over the text, a lookup per position. */
class PrefixMatcher implements Matcher {
  private readonly table = new Uint8Array(TABLE_MASK + 1);
  private readonly byHash = new Map<number, string[]>();

  constructor(values: readonly string[]) {
    for (const value of values) {
      const hash = prefixHash(value.charCodeAt(0), value.charCodeAt(1), value.charCodeAt(2), value.charCodeAt(3));
      this.table[hash] = 1;
      const bucket = this.byHash.get(hash);
      if (bucket) bucket.push(value);
      else this.byHash.set(hash, [value]);
    }
  }

  find(text: string, from: number): Match | undefined {
    const table = this.table;
    const last = text.length - MIN_SECRET_LENGTH;
    for (let at = from; at <= last; at += 1) {
      const hash = prefixHash(text.charCodeAt(at), text.charCodeAt(at + 1), text.charCodeAt(at + 2), text.charCodeAt(at + 3));
      if (table[hash] === 0) continue;
      for (const value of this.byHash.get(hash)!) if (text.startsWith(value, at)) return { start: at, end: at + value.length };
    }
    return undefined;
  }
}

function prefixHash(a: number, b: number, c: number, d: number): number {
  return (((a * 31 + b) * 31 + c) * 31 + d) & TABLE_MASK;
}

/** The process-wide registry `registerSecret` and `redactSecrets` use. */
export const secretRegistry = new SecretRegistry();
