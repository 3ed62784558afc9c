import type { OpenAIChatLogprobs } from './openai-chat-api.js';

/** Mean token probability, exp(logprob) averaged over the content tokens seen; 1 when none were returned. */
export class LogprobTally {
  private sum = 0;
  private count = 0;

  add(logprobs: OpenAIChatLogprobs | null | undefined): void {
    for (const token of logprobs?.content ?? []) {
      if (typeof token.logprob === 'number' && Number.isFinite(token.logprob)) {
        this.sum += Math.exp(token.logprob);
        this.count += 1;
      }
    }
  }

  get seen(): boolean {
    return this.count > 0;
  }

  get confidence(): number {
    return this.count === 0 ? 1 : Math.min(1, Math.max(0, this.sum / this.count));
  }
}

export function confidenceFromLogprobs(logprobs: OpenAIChatLogprobs | null | undefined): number {
  const tally = new LogprobTally();
  tally.add(logprobs);
  return tally.confidence;
}
