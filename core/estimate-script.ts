import type { TokenEstimator } from './token-estimator.js';

/**
 * What each kind of character costs, in tokens, for one tokenizer family. Fitted against real
 * tokenizers on the corpus in `test/fixtures/estimate/` (see `test/estimate-corpus.test.ts`).
 */
export interface ScriptWeights {
  /** A run of Latin letters, with the space before it (tokenizers fold the space into the word). */
  readonly word: number;
  /** A word right after a single punctuation character, which tokenizers often fold into it (`.get`, `(key`). */
  readonly wordAfterPunctuation: number;
  /** Letters a word has before each further letter costs `longWordLetter`. */
  readonly shortWordLetters: number;
  readonly longWordLetter: number;
  /** Each consonant past the third in a row: strings without vowels (ids, hashes, base64) split finely. */
  readonly consonantRunLetter: number;
  /** A run of two or more spaces or tabs (indentation), per 8 characters. */
  readonly spaceRun: number;
  readonly newline: number;
  /** A line break right after punctuation, which tokenizers fold into it (`;\n`, `{\n`). */
  readonly newlineAfterPunctuation: number;
  /** The first ASCII punctuation character of a run, and each further one. */
  readonly punctuation: number;
  readonly punctuationRun: number;
  /** Accented Latin letters (é, ß, ő) inside a word. */
  readonly accentedLetter: number;
  /** Letters of alphabetic scripts inside a word; a word's first letter costs `word`. */
  readonly greekLetter: number;
  readonly cyrillicLetter: number;
  /** Hebrew, Arabic, Syriac, Thaana. */
  readonly rightToLeftLetter: number;
  /** Devanagari, Bengali, Tamil and the other Indic scripts. */
  readonly indicLetter: number;
  /** Thai, Lao, Tibetan, Myanmar, Georgian, Ethiopic and the rest of the alphabetic BMP. */
  readonly otherLetter: number;
  /** Per character: Han ideographs, kana, Hangul syllables, CJK and full-width punctuation. */
  readonly han: number;
  readonly kana: number;
  readonly hangul: number;
  readonly cjkPunctuation: number;
  /** General punctuation (— … “ ”), and symbols, arrows, dingbats (☀ ✅ → ∑). */
  readonly generalPunctuation: number;
  readonly symbol: number;
  /** Each code point outside the BMP: emoji, flags' regional indicators, rare ideographs. */
  readonly astral: number;
  /** Zero-width joiner (emoji sequences) and variation selectors (❤️). */
  readonly joiner: number;
  readonly variationSelector: number;
}

// ASCII characters' classes as bit flags, looked up once per character.
const LETTER = 1;
const UPPER = 2;
const CONSONANT = 4;
const DIGIT = 8;
const SPACE = 16;
const NEWLINE = 32;
const PUNCTUATION = 64;

const ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const char = String.fromCharCode(code);
  const lower = char.toLowerCase();
  if (code === 32 || code === 9) ASCII[code] = SPACE;
  else if (code === 10 || code === 13) ASCII[code] = NEWLINE;
  else if (code < 32 || code === 127) ASCII[code] = 0;
  else if (code >= 48 && code <= 57) ASCII[code] = DIGIT;
  else if (lower >= 'a' && lower <= 'z') ASCII[code] = LETTER | (char === lower ? 0 : UPPER) | ('aeiouy'.includes(lower) ? 0 : CONSONANT);
  else ASCII[code] = PUNCTUATION;
}

// What came before the current character, for the rules that depend on it.
const AFTER_OTHER = 0;
const AFTER_WORD = 1;
const AFTER_DIGIT = 2;
const AFTER_SPACE = 3;
const AFTER_NEWLINE = 4;
const AFTER_PUNCTUATION = 5;
const AFTER_LONE_PUNCTUATION = 6;

/**
 * Counts tokens in one pass over the string's UTF-16 code units, with a cost per character class
 * and a few rules on runs (words, digit groups, indentation, punctuation). No allocation, no
 * regular expression: it runs on every call.
 */
// Speed: ASCII runs (a word, a number, indentation, punctuation) are each consumed by a tight inner
// loop, so the branch that picks a class is taken once per run rather than once per character.
export class ScriptTokenEstimator implements TokenEstimator {
  readonly name: string;
  readonly weights: ScriptWeights;

  constructor(name: string, weights: ScriptWeights) {
    this.name = name;
    this.weights = Object.freeze({ ...weights });
  }

  countText(text: string): number {
    const w = this.weights;
    const word = w.word;
    const shortWordLetters = w.shortWordLetters;
    const longWordLetter = w.longWordLetter;
    const consonantRunLetter = w.consonantRunLetter;
    const punctuationRun = w.punctuationRun;
    const length = text.length;
    let tokens = 0;
    let previous = AFTER_OTHER;
    let index = 0;
    while (index < length) {
      let code = text.charCodeAt(index);
      if (code < 128) {
        const flags = ASCII[code];
        if (flags & LETTER) {
          // A word; the space before it, or one punctuation character, is part of its token.
          if (previous !== AFTER_WORD) tokens += previous === AFTER_LONE_PUNCTUATION ? w.wordAfterPunctuation : word;
          let letters = 0;
          let consonants = 0;
          let lower = false;
          do {
            const letter = ASCII[code];
            if (letter & UPPER) {
              // camelCase: an upper-case letter after a lower-case one starts a new token.
              if (lower) {
                tokens += word;
                letters = 0;
              }
              lower = false;
            } else lower = true;
            if (++letters > shortWordLetters) tokens += longWordLetter;
            consonants = (consonants + 1) * ((letter >> 2) & 1);
            if (consonants > 3) tokens += consonantRunLetter;
            code = text.charCodeAt(++index);
          } while (code < 128 && ASCII[code] & LETTER);
          previous = AFTER_WORD;
        } else if (flags & SPACE) {
          // One space joins the next word; longer runs (indentation) are a token per few spaces.
          const from = index;
          do code = text.charCodeAt(++index);
          while (code === 32 || code === 9);
          const spaces = index - from;
          if (spaces > 1) tokens += w.spaceRun * (((spaces - 2) >> 3) + 1);
          previous = AFTER_SPACE;
        } else if (flags & DIGIT) {
          // Numbers split into groups of at most three digits; a space before one is its own token.
          const from = index;
          do code = text.charCodeAt(++index);
          while (code >= 48 && code <= 57);
          tokens += Math.ceil((index - from) / 3) + (previous === AFTER_SPACE ? 1 : 0);
          previous = AFTER_DIGIT;
        } else if (flags & PUNCTUATION) {
          const from = index;
          do code = text.charCodeAt(++index);
          while (code < 128 && ASCII[code] & PUNCTUATION);
          tokens += w.punctuation + (index - from - 1) * punctuationRun;
          previous = index - from === 1 ? AFTER_LONE_PUNCTUATION : AFTER_PUNCTUATION;
        } else if (flags & NEWLINE) {
          if (previous !== AFTER_NEWLINE) tokens += previous === AFTER_PUNCTUATION || previous === AFTER_LONE_PUNCTUATION ? w.newlineAfterPunctuation : w.newline;
          previous = AFTER_NEWLINE;
          index += 1;
        } else {
          tokens += 1;
          previous = AFTER_OTHER;
          index += 1;
        }
        continue;
      }
      index += 1;
      // Letters of alphabetic scripts: the word's first letter costs a word, the others their script's rate.
      let letter = -1;
      if (code < 0x250) letter = code === 0xd7 || code === 0xf7 || code < 0xc0 ? -1 : w.accentedLetter;
      else if (code < 0x370) letter = w.accentedLetter;
      else if (code < 0x400) letter = w.greekLetter;
      else if (code < 0x530) letter = w.cyrillicLetter;
      else if (code < 0x590) letter = w.otherLetter;
      else if (code < 0x900) letter = w.rightToLeftLetter;
      else if (code < 0xe00) letter = w.indicLetter;
      else if (code < 0x1e00) letter = w.otherLetter;
      else if (code < 0x2000) letter = w.accentedLetter;
      if (letter >= 0) {
        tokens += previous === AFTER_WORD ? letter : word;
        previous = AFTER_WORD;
        continue;
      }
      previous = AFTER_OTHER;
      if (code >= 0x4e00 && code < 0xa000) tokens += w.han;
      else if (code >= 0xd800 && code < 0xdc00) tokens += w.astral;
      else if (code >= 0xdc00 && code < 0xe000) continue;
      else if (code >= 0x3040 && code < 0x3100) tokens += w.kana;
      else if (code >= 0xac00 && code < 0xd7b0) tokens += w.hangul;
      else if (code < 0x2070) tokens += code === 0x200d ? w.joiner : w.generalPunctuation;
      else if (code < 0x3000) tokens += w.symbol;
      else if (code < 0x3040) tokens += w.cjkPunctuation;
      else if (code >= 0x3400 && code < 0x4e00) tokens += w.han;
      else if (code >= 0xf900 && code < 0xfb00) tokens += w.han;
      else if (code >= 0xfe00 && code < 0xfe10) tokens += w.variationSelector;
      else if (code >= 0xff00 && code < 0xfff0) tokens += w.cjkPunctuation;
      else tokens += 1;
    }
    return Math.ceil(tokens);
  }
}
