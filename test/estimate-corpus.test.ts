// The estimator against real tokenizers on a mixed corpus. gpt-tokenizer is a devDependency for
// this test only: loading its vocabularies costs most of a second, which the hot path never pays.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { CL100K_ESTIMATOR, O200K_ESTIMATOR } from '../core/estimate-weights.js';
import type { TokenEstimator } from '../core/token-estimator.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'estimate');

/** Texts of a category: each file, and each tool schema as the estimator serialises it. */
function texts(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    if (!file.endsWith('.json')) return [text];
    return (JSON.parse(text) as { name: string; description: string; parameters: unknown }[]).map((tool) =>
      JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters }),
    );
  });
}

/** The categories the issue names; both estimators must hold the band on them. */
const REQUIRED: Record<string, readonly string[]> = {
  english: ['english.txt'],
  japanese: ['japanese.txt'],
  chinese: ['chinese.txt'],
  code: ['code-typescript.txt', 'code-python.txt', 'code-misc.txt'],
  emoji: ['emoji.txt'],
  'tool schemas': ['tools.json'],
};
const OTHER: Record<string, readonly string[]> = {
  korean: ['korean.txt'],
  russian: ['russian.txt'],
  arabic: ['arabic.txt'],
  hindi: ['hindi.txt'],
  numbers: ['numbers.txt'],
};

interface Figures {
  readonly category: string;
  readonly o200k: number;
  readonly cl100k: number;
  /** Estimate ÷ real count. */
  readonly o200kEstimator: { readonly o200k: number; readonly cl100k: number };
  readonly cl100kEstimator: { readonly o200k: number; readonly cl100k: number };
  readonly charsOver4: number;
}

const count = (estimator: TokenEstimator, category: readonly string[]): number => category.reduce((sum, text) => sum + estimator.countText(text), 0);

function figures(category: string, files: readonly string[]): Figures {
  const category_ = texts(files);
  const o200k = category_.reduce((sum, text) => sum + encodeO200k(text).length, 0);
  const cl100k = category_.reduce((sum, text) => sum + encodeCl100k(text).length, 0);
  const byO = count(O200K_ESTIMATOR, category_);
  const byCl = count(CL100K_ESTIMATOR, category_);
  const chars = category_.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return {
    category,
    o200k,
    cl100k,
    o200kEstimator: { o200k: byO / o200k, cl100k: byO / cl100k },
    cl100kEstimator: { o200k: byCl / o200k, cl100k: byCl / cl100k },
    charsOver4: chars / o200k,
  };
}

const required = Object.entries(REQUIRED).map(([name, files]) => figures(name, files));
const other = Object.entries(OTHER).map(([name, files]) => figures(name, files));

// The figures the note reports: estimate ÷ real count, per category.
const format = (ratio: number): string => ratio.toFixed(2);
console.log(
  ['category        tokens o200k/cl100k   o200k-est÷o200k  cl100k-est÷cl100k  cl100k-est÷o200k  chars÷4÷o200k']
    .concat(
      [...required, ...other].map((f) =>
        [f.category.padEnd(15), `${f.o200k}/${f.cl100k}`.padStart(14), format(f.o200kEstimator.o200k).padStart(17), format(f.cl100kEstimator.cl100k).padStart(18), format(f.cl100kEstimator.o200k).padStart(17), format(f.charsOver4).padStart(14)].join(' '),
      ),
    )
    .join('\n'),
);

const LOW = 0.9;
const HIGH = 1.3;

describe('the estimator stays within −10% / +30% of a real tokenizer, per category', () => {
  it.each([...required, ...other].map((f) => [f.category, f] as const))('%s: the o200k estimate against o200k_base, the cl100k estimate against cl100k_base', (_name, f) => {
    expect(f.o200kEstimator.o200k).toBeGreaterThanOrEqual(LOW);
    expect(f.o200kEstimator.o200k).toBeLessThanOrEqual(HIGH);
    expect(f.cl100kEstimator.cl100k).toBeGreaterThanOrEqual(LOW);
    expect(f.cl100kEstimator.cl100k).toBeLessThanOrEqual(HIGH);
  });

  it.each(['english', 'code', 'tool schemas'])('%s: both estimates hold against both tokenizers, which count it alike', (name) => {
    const f = required.find((entry) => entry.category === name)!;
    for (const ratio of [f.o200kEstimator.o200k, f.o200kEstimator.cl100k, f.cl100kEstimator.o200k, f.cl100kEstimator.cl100k]) {
      expect(ratio).toBeGreaterThanOrEqual(LOW);
      expect(ratio).toBeLessThanOrEqual(HIGH);
    }
  });
});

describe('the conservative estimate (cl100k, for model families we do not know) under-counts neither tokenizer', () => {
  it.each([...required, ...other].map((f) => [f.category, f] as const))('%s', (_name, f) => {
    expect(f.cl100kEstimator.o200k).toBeGreaterThanOrEqual(LOW);
    expect(f.cl100kEstimator.cl100k).toBeGreaterThanOrEqual(LOW);
  });
});

describe('characters ÷ 4, the estimate this replaces, fails the same band', () => {
  it('under-counts Japanese, Chinese and emoji by far more than 10%', () => {
    for (const name of ['japanese', 'chinese', 'emoji']) expect(required.find((f) => f.category === name)!.charsOver4).toBeLessThan(LOW);
  });
});
