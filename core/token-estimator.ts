/**
 * Counts the tokens of a text as a model family's tokenizer would, or a little more: budgets and
 * rate limits reserve by it before a call is sent. It runs on every call, so it must be cheap —
 * never load a real tokenizer's vocabulary here. Replace the built-in one for a model family with
 * its own tokenizer through `setTokenEstimator`.
 */
export interface TokenEstimator {
  /** Shown in notices and tests, e.g. `o200k`. */
  readonly name: string;
  /** Tokens of `text`, a non-negative integer. */
  countText(text: string): number;
}
