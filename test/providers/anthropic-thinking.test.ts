// How `thinking` becomes the Messages API body, model by model: budgeted, adaptive, adaptive-only, none.
import { describe, expect, it } from 'vitest';
import type { InferOptions, LLMMessage } from '../../core/types.js';
import { anthropicModelInfo, anthropicThinkingSupport } from '../../plugins/anthropic/anthropic-models.js';
import { buildAnthropicRequest, type AnthropicRequestPlan } from '../../plugins/anthropic/anthropic-request.js';

const HI: readonly LLMMessage[] = [{ role: 'user', content: 'hi' }];
const TEMPERATURE_DROPPED = 'temperature was not sent: Anthropic does not accept it together with extended thinking.';
const EFFORT_IGNORED = 'thinking.effort was ignored: Anthropic extended thinking is set with thinking.budgetTokens.';

function build(model: string, options: InferOptions = {}): AnthropicRequestPlan {
  return buildAnthropicRequest(HI, [], options, { model, maxTokens: undefined }, false);
}

/** The body the call would have without any thinking option: what every expected body starts from. */
function plain(model: string): Record<string, unknown> {
  return { ...build(model).body };
}

describe('no thinking option: no thinking, no output_config, on every kind of model', () => {
  it.each(['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-opus-4-6'])('%s', (model) => {
    const { body, warnings } = build(model, { temperature: 0.4 });
    expect(body).toEqual({ model, max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], temperature: 0.4 });
    expect(warnings).toEqual([]);
  });

  // No temperature here: claude-sonnet-5 rejects one (see anthropic-sampling.test.ts).
  it('claude-sonnet-5', () => {
    const { body, warnings } = build('claude-sonnet-5');
    expect(body).toEqual({ model: 'claude-sonnet-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(warnings).toEqual([]);
  });
});

describe('budget-only models (claude-sonnet-4-5): enabled + budget_tokens, as before', () => {
  const model = 'claude-sonnet-4-5';

  it('budgetTokens → enabled with that budget; temperature is dropped with a warning', () => {
    const { body, warnings } = build(model, { thinking: { budgetTokens: 2048 }, temperature: 0.2 });
    expect(body).toEqual({ ...plain(model), thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(warnings).toEqual([TEMPERATURE_DROPPED]);
  });

  it('a max_tokens not above the budget is raised to budget + model default', () => {
    const { body, warnings } = build(model, { thinking: { budgetTokens: 16_000 }, maxTokens: 4000 });
    expect(body).toEqual({ ...plain(model), max_tokens: 16_000 + 8192, thinking: { type: 'enabled', budget_tokens: 16_000 } });
    expect(warnings).toEqual(['max_tokens (4000) must exceed the thinking budget (16000); it was raised to 24192.']);
  });

  it('effort alone is ignored with a warning: the model takes no output_config.effort', () => {
    const { body, warnings } = build(model, { thinking: { effort: 'high' }, temperature: 0.2 });
    expect(body).toEqual({ ...plain(model), temperature: 0.2 });
    expect(warnings).toEqual([EFFORT_IGNORED]);
  });

  it('effort beside a budget is not dropped silently either', () => {
    const { body, warnings } = build(model, { thinking: { budgetTokens: 2048, effort: 'low' } });
    expect(body).toEqual({ ...plain(model), thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(warnings).toEqual([EFFORT_IGNORED]);
  });
});

describe('claude-opus-4-5: budgeted thinking, plus effort as output_config.effort', () => {
  const model = 'claude-opus-4-5';

  it('budgetTokens + effort → enabled + budget_tokens and output_config.effort, no warning', () => {
    const { body, warnings } = build(model, { thinking: { budgetTokens: 4096, effort: 'medium' } });
    expect(body).toEqual({ ...plain(model), thinking: { type: 'enabled', budget_tokens: 4096 }, output_config: { effort: 'medium' } });
    expect(warnings).toEqual([]);
  });

  it('effort alone is sent, with a warning that thinking stays off; temperature is kept since nothing thinks', () => {
    const { body, warnings } = build(model, { thinking: { effort: 'low' }, temperature: 0.5 });
    expect(body).toEqual({ ...plain(model), temperature: 0.5, output_config: { effort: 'low' } });
    expect(warnings).toEqual([
      'thinking.effort was sent as output_config.effort, but claude-opus-4-5 thinks only with thinking.budgetTokens: effort set how many tokens the reply spends and extended thinking stayed off. Set thinking.budgetTokens to turn it on.',
    ]);
  });
});

describe('adaptive models (claude-opus-4-6, claude-sonnet-4-6)', () => {
  it.each(['claude-opus-4-6', 'claude-sonnet-4-6'])('%s: effort → adaptive + output_config.effort; max_tokens unchanged; temperature dropped', (model) => {
    const { body, warnings } = build(model, { thinking: { effort: 'medium' }, temperature: 0.7 });
    expect(body).toEqual({ ...plain(model), thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } });
    expect(body.max_tokens).toBe(8192);
    expect(warnings).toEqual([TEMPERATURE_DROPPED]);
  });

  it('budgetTokens is still sent as enabled + budget_tokens (deprecated, but accepted, and the only hard cap on thinking)', () => {
    const { body, warnings } = build('claude-opus-4-6', { thinking: { budgetTokens: 10_000 }, maxTokens: 10_000 });
    expect(body).toEqual({ ...plain('claude-opus-4-6'), max_tokens: 18_192, thinking: { type: 'enabled', budget_tokens: 10_000 } });
    expect(warnings).toEqual(['max_tokens (10000) must exceed the thinking budget (10000); it was raised to 18192.']);
  });

  it('budgetTokens + effort → the budget and the effort, both as asked', () => {
    const { body, warnings } = build('claude-sonnet-4-6', { thinking: { budgetTokens: 2048, effort: 'high' } });
    expect(body).toEqual({ ...plain('claude-sonnet-4-6'), thinking: { type: 'enabled', budget_tokens: 2048 }, output_config: { effort: 'high' } });
    expect(warnings).toEqual([]);
  });
});

describe('adaptive-only models (the 5-series, and ids we do not know): never type "enabled"', () => {
  const ADAPTIVE_ONLY = ['claude-opus-5', 'claude-sonnet-5', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-opus-4-7'];

  it.each(ADAPTIVE_ONLY)('%s: budgetTokens → adaptive, no budget, max_tokens left alone, a warning naming the model', (model) => {
    const { body, warnings } = build(model, { thinking: { budgetTokens: 2048 }, maxTokens: 1024 });
    expect(body).toEqual({ ...plain(model), max_tokens: 1024, thinking: { type: 'adaptive' } });
    expect(warnings).toEqual([
      `thinking.budgetTokens (2048) was not sent: ${model} supports only adaptive thinking, where thinking.effort (low|medium|high) sets how much it thinks; adaptive thinking was sent at the model's default effort.`,
    ]);
  });

  it.each(ADAPTIVE_ONLY)('%s: effort → adaptive + output_config.effort, no warning', (model) => {
    const { body, warnings } = build(model, { thinking: { effort: 'low' } });
    expect(body).toEqual({ ...plain(model), thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(warnings).toEqual([]);
  });

  it('budgetTokens + effort → adaptive with that effort; the warning says which effort was used; temperature dropped', () => {
    const { body, warnings } = build('claude-sonnet-5', { thinking: { budgetTokens: 8000, effort: 'high' }, temperature: 1 });
    expect(body).toEqual({ ...plain('claude-sonnet-5'), thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    expect(warnings).toEqual([
      'thinking.budgetTokens (8000) was not sent: claude-sonnet-5 supports only adaptive thinking, where thinking.effort (low|medium|high) sets how much it thinks; adaptive thinking was sent with effort "high".',
      TEMPERATURE_DROPPED,
    ]);
  });

  it('the model set per call decides, not the backend default', () => {
    const { body } = buildAnthropicRequest(HI, [], { model: 'claude-haiku-5-5', thinking: { budgetTokens: 2048 } }, { model: 'claude-sonnet-4-5', maxTokens: undefined }, false);
    expect(body.thinking).toEqual({ type: 'adaptive' });
  });
});

describe('effort levels', () => {
  it.each(['low', 'medium', 'high'] as const)('%s is sent as is', (effort) => {
    expect(build('claude-sonnet-4-6', { thinking: { effort } }).body.output_config).toEqual({ effort });
  });

  it('"minimal", which Anthropic lacks, is sent as "low" with a warning', () => {
    const { body, warnings } = build('claude-opus-5', { thinking: { effort: 'minimal' } });
    expect(body).toEqual({ ...plain('claude-opus-5'), thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(warnings).toEqual(['thinking.effort "minimal" was sent as "low": Anthropic\'s lowest effort level is low.']);
  });
});

describe('models without extended thinking (claude-3-5-haiku)', () => {
  it('thinking is not sent, temperature is kept, and a warning says why', () => {
    const { body, warnings } = build('claude-3-5-haiku-latest', { thinking: { budgetTokens: 2048, effort: 'high' }, temperature: 0.2 });
    expect(body).toEqual({ ...plain('claude-3-5-haiku-latest'), temperature: 0.2 });
    expect(warnings).toEqual(['thinking was not sent: claude-3-5-haiku-latest has no extended thinking. Use a model that has it (Claude 3.7 Sonnet or later).']);
  });
});

describe('the catalog records each model\'s thinking form', () => {
  it.each([
    ['claude-3-haiku-20240307', 'none', false],
    ['claude-3-5-sonnet-latest', 'none', false],
    ['claude-3-7-sonnet-latest', 'budget', false],
    ['claude-sonnet-4-0', 'budget', false],
    ['claude-opus-4-1', 'budget', false],
    ['claude-haiku-4-5-20251001', 'budget', false],
    ['claude-opus-4-5-20251101', 'budget', true],
    ['claude-opus-4-6', 'adaptive', true],
    ['claude-sonnet-4-6', 'adaptive', true],
    ['claude-opus-5', 'adaptive-only', true],
    ['claude-haiku-5-5', 'adaptive-only', true],
    ['claude-opus-4-7', 'adaptive-only', true],
    ['some-proxy-model', 'adaptive-only', true],
  ] as const)('%s: %s, effort %s', (model, mode, effort) => {
    expect(anthropicThinkingSupport(model)).toEqual({ mode, effort });
  });

  it('capabilities.thinking is claimed for catalog models with a thinking form, never for an id we do not know', () => {
    expect(anthropicModelInfo('claude-3-5-haiku-latest').capabilities.thinking).toBe(false);
    expect(anthropicModelInfo('claude-haiku-4-5').capabilities.thinking).toBe(true);
    expect(anthropicModelInfo('claude-sonnet-5').capabilities.thinking).toBe(true);
    expect(anthropicModelInfo('claude-opus-4-7').capabilities.thinking).toBe(false);
  });
});
