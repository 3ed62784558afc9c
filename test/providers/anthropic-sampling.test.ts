// What each kind of model rejects besides the thinking form: sampling parameters, forced tool use, prefill.
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../core/errors.js';
import type { InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import { anthropicRequestSupport } from '../../plugins/anthropic/anthropic-models.js';
import { buildAnthropicRequest, type AnthropicRequestPlan } from '../../plugins/anthropic/anthropic-request.js';
import { AnthropicProvider } from '../../plugins/anthropic/index.js';

const HI: readonly LLMMessage[] = [{ role: 'user', content: 'hi' }];
const HI_BODY = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }];
const TOOLS: readonly ToolSchema[] = [{ name: 'weather', description: 'Current weather.', parameters: { type: 'object', properties: {} } }];
const TOOL_BODY = [{ name: 'weather', description: 'Current weather.', input_schema: { type: 'object', properties: {} } }];
const PREFILLED: readonly LLMMessage[] = [
  { role: 'user', content: 'Give me the answer as JSON.' },
  { role: 'assistant', content: '{' },
];

const TEMPERATURE_DROPPED = 'temperature was not sent: Anthropic does not accept it together with extended thinking.';
const DEFAULT_ONLY_MODELS = ['claude-opus-5', 'claude-sonnet-5', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'];
const ONE_OF_MODELS = ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'];
const NO_FORCED_TOOL_MODELS = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'];

function build(model: string, options: InferOptions = {}, messages: readonly LLMMessage[] = HI, tools: readonly ToolSchema[] = []): AnthropicRequestPlan {
  return buildAnthropicRequest(messages, tools, options, { model, maxTokens: undefined }, false);
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function defaultOnly(parameter: string, value: number, model: string): string {
  return `${parameter} (${value}) was not sent: ${model} rejects a non-default temperature, top_p or top_k with HTTP 400, thinking or not, so it samples at its defaults. Steer the reply with the prompt or thinking.effort.`;
}

function oneOf(topP: number, temperature: number, model: string): string {
  return `top_p (${topP}) was not sent: ${model} rejects temperature and top_p together with HTTP 400, so only temperature (${temperature}) was sent. Set only one of temperature and topP.`;
}

function notInCatalog(parameter: string, value: number, model: string): string {
  return `${parameter} (${value}) was not sent: ${model} is not in the catalog and is treated like the newest Claude models, which reject a non-default temperature, top_p or top_k with HTTP 400, thinking or not, so it samples at its defaults. Steer the reply with the prompt or thinking.effort. If this model takes it, send it with providerOptions.${parameter}.`;
}

describe('models that take sampling parameters (claude-sonnet-4-5, claude-opus-4-6): sent as before', () => {
  it.each(['claude-sonnet-4-5', 'claude-opus-4-6'])('%s without thinking: temperature, or top_p, as given', (model) => {
    expect(build(model, { temperature: 0.3 })).toEqual({ model, body: { model, max_tokens: 8192, messages: HI_BODY, temperature: 0.3 }, warnings: [] });
    expect(build(model, { topP: 0.5 })).toEqual({ model, body: { model, max_tokens: 8192, messages: HI_BODY, top_p: 0.5 }, warnings: [] });
  });

  it('with thinking, a top_p between 0.95 and 1 is sent', () => {
    const { body, warnings } = build('claude-sonnet-4-5', { thinking: { budgetTokens: 2048 }, topP: 0.97 });
    expect(body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 8192, messages: HI_BODY, top_p: 0.97, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(warnings).toEqual([]);
  });

  it('with budgeted thinking, a lower top_p is dropped with a warning, and so is temperature', () => {
    const { body, warnings } = build('claude-sonnet-4-5', { thinking: { budgetTokens: 2048 }, temperature: 0.2, topP: 0.9 });
    expect(body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 8192, messages: HI_BODY, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(warnings).toEqual([
      TEMPERATURE_DROPPED,
      'top_p (0.9) was not sent: with extended thinking on, Anthropic takes top_p only between 0.95 and 1. Set topP in that range, or leave it unset.',
    ]);
  });

  it('with adaptive thinking (claude-opus-4-6, effort), the same range applies', () => {
    const { body, warnings } = build('claude-opus-4-6', { thinking: { effort: 'low' }, topP: 0.5 });
    expect(body).toEqual({ model: 'claude-opus-4-6', max_tokens: 8192, messages: HI_BODY, thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(warnings).toEqual(['top_p (0.5) was not sent: with extended thinking on, Anthropic takes top_p only between 0.95 and 1. Set topP in that range, or leave it unset.']);
  });
});

describe('one-of models (Haiku 4.5, Sonnet 4.5, Sonnet 4.6, Opus 4.6): temperature or top_p, not both', () => {
  it.each(ONE_OF_MODELS)('%s: both set sends temperature, and a warning names the model and top_p', (model) => {
    expect(build(model, { temperature: 0.3, topP: 0.9 })).toEqual({
      model,
      body: { model, max_tokens: 8192, messages: HI_BODY, temperature: 0.3 },
      warnings: [oneOf(0.9, 0.3, model)],
    });
  });

  it('a dated snapshot resolves to the same entry (claude-haiku-4-5-20251001)', () => {
    const model = 'claude-haiku-4-5-20251001';
    expect(build(model, { temperature: 0, topP: 1 })).toEqual({
      model,
      body: { model, max_tokens: 8192, messages: HI_BODY, temperature: 0 },
      warnings: [oneOf(1, 0, model)],
    });
  });

  it('with thinking, temperature is already gone, so top_p between 0.95 and 1 is sent alone', () => {
    const { body, warnings } = build('claude-haiku-4-5', { thinking: { budgetTokens: 2048 }, temperature: 0.3, topP: 0.97 });
    expect(body).toEqual({ model: 'claude-haiku-4-5', max_tokens: 8192, messages: HI_BODY, top_p: 0.97, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(warnings).toEqual([TEMPERATURE_DROPPED]);
  });

  it('with thinking, a top_p below 0.95 still gets the range warning, not the one-of one', () => {
    const { body, warnings } = build('claude-sonnet-4-6', { thinking: { effort: 'low' }, temperature: 0.3, topP: 0.5 });
    expect(body).toEqual({ model: 'claude-sonnet-4-6', max_tokens: 8192, messages: HI_BODY, thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(warnings).toEqual([
      TEMPERATURE_DROPPED,
      'top_p (0.5) was not sent: with extended thinking on, Anthropic takes top_p only between 0.95 and 1. Set topP in that range, or leave it unset.',
    ]);
  });

  it('providerOptions can still send top_p next to temperature, without a warning', () => {
    const { body, warnings } = build('claude-haiku-4-5', { temperature: 0.3, providerOptions: { top_p: 0.9 } });
    expect(body).toEqual({ model: 'claude-haiku-4-5', max_tokens: 8192, messages: HI_BODY, temperature: 0.3, top_p: 0.9 });
    expect(warnings).toEqual([]);
  });

  it('a model that takes both (claude-3-7-sonnet-20250219) gets both, without a warning', () => {
    const model = 'claude-3-7-sonnet-20250219';
    expect(build(model, { temperature: 0.3, topP: 0.9 })).toEqual({
      model,
      body: { model, max_tokens: 8192, messages: HI_BODY, temperature: 0.3, top_p: 0.9 },
      warnings: [],
    });
  });
});

describe('default-only models (Opus 5, Sonnet 5, and the 5.5 models): no temperature or top_p, thinking or not', () => {
  it.each(DEFAULT_ONLY_MODELS)('%s: both are dropped, each with a warning naming the model', (model) => {
    const { body, warnings } = build(model, { temperature: 0.4, topP: 0.9 });
    expect(body).toEqual({ model, max_tokens: 8192, messages: HI_BODY });
    expect(warnings).toEqual([defaultOnly('temperature', 0.4, model), defaultOnly('top_p', 0.9, model)]);
  });

  it('with thinking, temperature keeps its thinking warning; top_p gets the model one, even inside 0.95–1', () => {
    const { body, warnings } = build('claude-sonnet-5', { thinking: { effort: 'high' }, temperature: 1, topP: 0.97 });
    expect(body).toEqual({ model: 'claude-sonnet-5', max_tokens: 8192, messages: HI_BODY, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    expect(warnings).toEqual([TEMPERATURE_DROPPED, defaultOnly('top_p', 0.97, 'claude-sonnet-5')]);
  });
});

describe('ids not in the catalog are treated like the newest models', () => {
  it('temperature is dropped, and the warning says why and how to send it anyway', () => {
    const { body, warnings } = build('claude-opus-4-7', { temperature: 0.2 });
    expect(body).toEqual({ model: 'claude-opus-4-7', max_tokens: 4096, messages: HI_BODY });
    expect(warnings).toEqual([notInCatalog('temperature', 0.2, 'claude-opus-4-7')]);
  });

  it('providerOptions still sends it, without a warning', () => {
    const { body, warnings } = build('some-proxy-model', { providerOptions: { temperature: 0.2 } });
    expect(body).toEqual({ model: 'some-proxy-model', max_tokens: 4096, messages: HI_BODY, temperature: 0.2 });
    expect(warnings).toEqual([]);
  });
});

describe('forced tool use (toolChoice "required" or {name})', () => {
  it('is sent as any / tool where nothing rules it out (claude-sonnet-4-5, claude-sonnet-5 without a thinking option)', () => {
    expect(build('claude-sonnet-4-5', { toolChoice: 'required' }, HI, TOOLS).body.tool_choice).toEqual({ type: 'any' });
    const { body, warnings } = build('claude-sonnet-5', { toolChoice: { name: 'weather' } }, HI, TOOLS);
    expect(body).toEqual({ model: 'claude-sonnet-5', max_tokens: 8192, messages: HI_BODY, tools: TOOL_BODY, tool_choice: { type: 'tool', name: 'weather' } });
    expect(warnings).toEqual([]);
  });

  it('with thinking on, becomes auto with a warning; disable_parallel_tool_use is kept', () => {
    const { body, warnings } = build('claude-sonnet-4-5', { thinking: { budgetTokens: 2048 }, toolChoice: 'required', parallelToolCalls: false }, HI, TOOLS);
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      messages: HI_BODY,
      tools: TOOL_BODY,
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(warnings).toEqual([
      'toolChoice "required" was sent as "auto": Anthropic rejects forced tool use (tool_choice any or tool) while extended thinking is on, so the model may answer without calling a tool. Leave thinking unset to force a tool call.',
    ]);
  });

  it('with adaptive thinking, a named tool becomes auto as well', () => {
    const { body, warnings } = build('claude-opus-4-6', { thinking: { effort: 'medium' }, toolChoice: { name: 'weather' } }, HI, TOOLS);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(warnings).toEqual([
      'toolChoice {name: "weather"} was sent as "auto": Anthropic rejects forced tool use (tool_choice any or tool) while extended thinking is on, so the model may answer without calling a tool. Leave thinking unset to force a tool call.',
    ]);
  });

  it('"none" and "auto" are kept with thinking on', () => {
    expect(build('claude-sonnet-4-5', { thinking: { budgetTokens: 2048 }, toolChoice: 'none' }, HI, TOOLS).body.tool_choice).toEqual({ type: 'none' });
    expect(build('claude-sonnet-4-5', { thinking: { budgetTokens: 2048 }, toolChoice: 'auto' }, HI, TOOLS).body.tool_choice).toEqual({ type: 'auto' });
  });

  it.each(NO_FORCED_TOOL_MODELS)('%s rejects it outright: auto, with a warning naming the model', (model) => {
    const { body, warnings } = build(model, { toolChoice: 'required' }, HI, TOOLS);
    expect(body).toEqual({ model, max_tokens: 8192, messages: HI_BODY, tools: TOOL_BODY, tool_choice: { type: 'auto' } });
    expect(warnings).toEqual([
      `toolChoice "required" was sent as "auto": ${model} rejects forced tool use (tool_choice any or tool) with HTTP 400, so the model may answer without calling a tool. Ask for the tool in the prompt.`,
    ]);
  });

  it('an id not in the catalog gets auto, and providerOptions.tool_choice can still force it', () => {
    const { body, warnings } = build('some-proxy-model', { toolChoice: { name: 'weather' } }, HI, TOOLS);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(warnings).toEqual([
      'toolChoice {name: "weather"} was sent as "auto": some-proxy-model is not in the catalog and is treated like the newest Claude models, which reject forced tool use (tool_choice any or tool) with HTTP 400, so the model may answer without calling a tool. Ask for the tool in the prompt. If this model takes it, send it with providerOptions.tool_choice.',
    ]);
    const forced = build('some-proxy-model', { providerOptions: { tool_choice: { type: 'tool', name: 'weather' } } }, HI, TOOLS);
    expect(forced.body.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect(forced.warnings).toEqual([]);
  });
});

describe('prefill (the messages end with an assistant message)', () => {
  const PREFILLED_BODY = [
    { role: 'user', content: [{ type: 'text', text: 'Give me the answer as JSON.' }] },
    { role: 'assistant', content: [{ type: 'text', text: '{' }] },
  ];

  it('is sent to models that take it (claude-haiku-4-5 without thinking), and to ids not in the catalog', () => {
    expect(build('claude-haiku-4-5', {}, PREFILLED)).toEqual({
      model: 'claude-haiku-4-5',
      body: { model: 'claude-haiku-4-5', max_tokens: 8192, messages: PREFILLED_BODY },
      warnings: [],
    });
    expect(build('some-proxy-model', {}, PREFILLED).body.messages).toEqual(PREFILLED_BODY);
  });

  it.each(['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-sonnet-5', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'])(
    '%s rejects it: an InvalidRequestError naming the model and what to do',
    (model) => {
      const error = thrownBy(() => build(model, {}, PREFILLED));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({
        code: 'HA_INVALID_REQUEST',
        provider: 'anthropic',
        message: `The messages end with an assistant message, which Anthropic takes as a prefill of the reply, and ${model} rejects prefill (HTTP 400). End with a user message, and ask for the shape of the reply in the system prompt or with responseFormat.`,
      });
    },
  );

  it('with thinking on, no model takes it', () => {
    expect(() => build('claude-haiku-4-5', { thinking: { budgetTokens: 2048 } }, PREFILLED)).toThrow(
      'The messages end with an assistant message, which Anthropic takes as a prefill of the reply, and Anthropic rejects prefill while extended thinking is on (HTTP 400). End with a user message, or call without thinking.',
    );
  });

  it('the provider rejects the call with HA_INVALID_REQUEST before any request is made', async () => {
    // Port 9 (discard) on loopback: nothing answers, so reaching the network would fail differently.
    const provider = new AnthropicProvider({ apiKey: 'hyperagent-test-anthropic-key', baseURL: 'http://127.0.0.1:9/v1', model: 'claude-opus-5-5' });
    const error = await provider.infer(PREFILLED).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'HA_INVALID_REQUEST', provider: 'anthropic', retryable: false });
  });
});

describe('the catalog records what each model rejects', () => {
  it.each([
    ['claude-3-5-haiku-latest', 'any', true, true],
    ['claude-3-7-sonnet-latest', 'any', true, true],
    ['claude-opus-4-1', 'any', true, true],
    ['claude-opus-4-5', 'any', true, true],
    ['claude-haiku-4-5-20251001', 'one-of', true, true],
    ['claude-sonnet-4-5', 'one-of', true, true],
    ['claude-opus-4-6', 'one-of', true, false],
    ['claude-sonnet-4-6', 'one-of', true, false],
    ['claude-opus-5', 'default-only', true, false],
    ['claude-sonnet-5', 'default-only', true, false],
    ['claude-opus-5-5', 'default-only', false, false],
    ['claude-sonnet-5-5', 'default-only', false, false],
    ['claude-haiku-5-5', 'default-only', false, false],
  ] as const)('%s: sampling %s, forced tool choice %s, prefill %s', (model, sampling, forcedToolChoice, prefill) => {
    expect(anthropicRequestSupport(model)).toEqual({ sampling, forcedToolChoice, prefill, inCatalog: true });
  });

  it('an id we do not know: the newest models\' limits, except prefill, which is left to the API', () => {
    expect(anthropicRequestSupport('claude-opus-4-7')).toEqual({ sampling: 'default-only', forcedToolChoice: false, prefill: true, inCatalog: false });
  });
});
