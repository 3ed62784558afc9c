import { ScriptTokenEstimator, type ScriptWeights } from './estimate-script.js';
import type { TokenEstimator } from './token-estimator.js';

// Latin text, code, JSON and numbers cost the same on both tokenizers; they differ on other scripts
// and on emoji. Fitted on test/fixtures/estimate/ to land about 10% above the real count, inside
// the −10% / +30% band that test/estimate-corpus.test.ts asserts per category.
const LATIN = {
  word: 0.99,
  wordAfterPunctuation: 0.15,
  shortWordLetters: 6,
  longWordLetter: 0.23,
  consonantRunLetter: 0.58,
  spaceRun: 1.29,
  newline: 0.5,
  newlineAfterPunctuation: 0.02,
  punctuation: 1.15,
  punctuationRun: 0.05,
} as const;

/** `o200k_base`: OpenAI's GPT-4o, GPT-4.1, GPT-5 and o-series models. */
export const O200K_WEIGHTS: ScriptWeights = Object.freeze({
  ...LATIN,
  accentedLetter: 0.45,
  greekLetter: 0.3,
  cyrillicLetter: 0.13,
  rightToLeftLetter: 0.26,
  indicLetter: 0.2,
  otherLetter: 0.35,
  han: 0.81,
  kana: 0.73,
  hangul: 0.74,
  cjkPunctuation: 1.18,
  generalPunctuation: 0.89,
  symbol: 2.5,
  astral: 2.1,
  joiner: 2,
  variationSelector: 0.25,
});

/**
 * `cl100k_base`: GPT-4, GPT-3.5 and OpenAI's embeddings. It spends more tokens than `o200k_base` on
 * every script and on emoji, so it is also the estimate for model families whose tokenizer we do
 * not know: it under-counts neither.
 */
export const CL100K_WEIGHTS: ScriptWeights = Object.freeze({
  ...LATIN,
  accentedLetter: 0.8,
  greekLetter: 0.85,
  cyrillicLetter: 0.49,
  rightToLeftLetter: 0.88,
  indicLetter: 1.55,
  otherLetter: 1,
  han: 1.23,
  kana: 1.02,
  hangul: 1.3,
  cjkPunctuation: 1.5,
  generalPunctuation: 0.9,
  symbol: 3,
  astral: 3,
  joiner: 1,
  variationSelector: 0.3,
});

export const O200K_ESTIMATOR: TokenEstimator = new ScriptTokenEstimator('o200k', O200K_WEIGHTS);
export const CL100K_ESTIMATOR: TokenEstimator = new ScriptTokenEstimator('cl100k', CL100K_WEIGHTS);

// OpenAI's o200k families, also behind an aggregator's `openai/` prefix.
const O200K_MODEL = /^(?:openai\/)?(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[1-9]|chatgpt-|gpt-oss|codex-|gpt-realtime|gpt-audio|computer-use)/i;

/** The built-in estimate for a model: `o200k` for OpenAI's current families, else the conservative `cl100k`. */
export function builtInTokenEstimator(model: string | undefined): TokenEstimator {
  return model !== undefined && O200K_MODEL.test(model) ? O200K_ESTIMATOR : CL100K_ESTIMATOR;
}
