// Bad requests: empty conversations, unknown roles, tool results that answer no call, tools whose
// parameters are not a JSON Schema. Each is an InvalidRequestError naming the place, found before
// anything is sent, and the kernel serves the next call as if nothing happened.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../core/errors.js';
import { Stage } from '../../core/hooks.js';
import type { LLMMessage, ToolSchema } from '../../core/types.js';
import { messageProblems, toolProblems, validateMessages } from '../../core/validate-messages.js';
import { collect, countUnhandledRejections, expectClean, expectOneTerminal, HELLO, startRig, type Rig } from './harness.js';
import { DEFAULT_TEXT, okJson, PROVIDERS } from './wire.js';

const weather: ToolSchema = {
  name: 'get_weather',
  description: 'Weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string', pattern: '^[A-Z]' } }, required: ['city'], additionalProperties: false },
};
const call = { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' };

/** [what, messages, tools, the path the problem is reported at] */
const BAD: readonly [string, unknown, unknown, string][] = [
  ['an empty conversation', [], [], 'messages'],
  ['messages that are not a list', { role: 'user', content: 'hi' }, [], 'messages'],
  ['null for messages', null, [], 'messages'],
  ['a message that is a string', ['hello'], [], 'messages[0]'],
  ['an unknown role', [{ role: 'bot', content: 'hi' }], [], 'messages[0].role'],
  ['a missing role', [{ content: 'hi' }], [], 'messages[0].role'],
  ['a missing content', [{ role: 'user' }], [], 'messages[0].content'],
  ['content that is a number', [{ role: 'user', content: 42 }], [], 'messages[0].content'],
  ['a part of an unknown type', [{ role: 'user', content: [{ type: 'audio', data: 'x' }] }], [], 'messages[0].content[0].type'],
  ['an image part without url or data', [{ role: 'user', content: [{ type: 'image' }] }], [], 'messages[0].content[0]'],
  ['base64 image data without a media type', [{ role: 'user', content: [{ type: 'image', data: 'iVBOR' }] }], [], 'messages[0].content[0].mediaType'],
  ['a tool result without any call', [{ role: 'user', content: 'hi' }, { role: 'tool', content: 'sunny', toolCallId: 'call_1' }], [], 'messages[1].toolCallId'],
  ['a tool result for another call id', [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'sunny', toolCallId: 'call_2' }], [], 'messages[2].toolCallId'],
  ['a tool result before its call', [{ role: 'tool', content: 'sunny', toolCallId: 'call_1' }, { role: 'assistant', content: '', toolCalls: [call] }], [], 'messages[0].toolCallId'],
  ['a tool result given twice', [{ role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'a', toolCallId: 'call_1' }, { role: 'tool', content: 'b', toolCallId: 'call_1' }], [], 'messages[2].toolCallId'],
  ['a tool message without toolCallId', [{ role: 'user', content: 'hi' }, { role: 'tool', content: 'sunny' }], [], 'messages[1].toolCallId'],
  ['tool calls on a user message', [{ role: 'user', content: 'hi', toolCalls: [call] }], [], 'messages[0].toolCalls'],
  ['a tool call without an id', [{ role: 'assistant', content: '', toolCalls: [{ ...call, id: '' }] }], [], 'messages[0].toolCalls[0].id'],
  ['tool call arguments that are a string', [{ role: 'assistant', content: '', toolCalls: [{ ...call, arguments: '{"city":"Paris"}' }] }], [], 'messages[0].toolCalls[0].arguments'],
  ['tools that are not a list', HELLO, { get_weather: weather }, 'tools'],
  ['a tool named with spaces', HELLO, [{ ...weather, name: 'get the weather' }], 'tools[0].name'],
  ['two tools with one name', HELLO, [weather, weather], 'tools[1].name'],
  ['parameters that are not an object', HELLO, [{ ...weather, parameters: 'city: string' }], 'tools[0].parameters'],
  ['parameters of type string', HELLO, [{ ...weather, parameters: { type: 'string' } }], 'tools[0].parameters.type'],
  ['an unknown JSON Schema type', HELLO, [{ ...weather, parameters: { type: 'object', properties: { city: { type: 'text' } } } }], 'tools[0].parameters'],
  ['properties that are not an object', HELLO, [{ ...weather, parameters: { type: 'object', properties: 5 } }], 'tools[0].parameters'],
  ['required that is not a list', HELLO, [{ ...weather, parameters: { type: 'object', required: 'city' } }], 'tools[0].parameters'],
  ['a pattern that is not a regular expression', HELLO, [{ ...weather, parameters: { type: 'object', properties: { city: { type: 'string', pattern: '([A-Z' } } } }], 'tools[0].parameters'],
];

describe('validateMessages', () => {
  it.each(BAD)('refuses %s, naming the place', (_what, messages, tools, path) => {
    const problems = [...messageProblems(messages), ...toolProblems(tools)];
    expect(problems.map((problem) => problem.path)).toContain(path);
    expect(() => validateMessages(messages as LLMMessage[], tools as ToolSchema[], 'openai')).toThrow(InvalidRequestError);
    try {
      validateMessages(messages as LLMMessage[], tools as ToolSchema[], 'openai');
    } catch (error) {
      expect((error as InvalidRequestError).message).toContain(path);
      expect(error).toMatchObject({ retryable: false, provider: 'openai' });
    }
  });

  it('accepts a full tool round trip, images, parallel calls and a draft 2020-12 schema', () => {
    const second = { ...call, id: 'call_2', arguments: { city: 'Oslo' } };
    const messages: LLMMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', url: 'https://example.com/sky.png' }, { type: 'image', data: 'iVBOR', mediaType: 'image/png' }] },
      { role: 'assistant', content: '', toolCalls: [call, second] },
      { role: 'tool', content: 'sunny', toolCallId: 'call_1' },
      { role: 'tool', content: [{ type: 'text', text: 'rain' }], toolCallId: 'call_2', isError: true },
      { role: 'assistant', content: 'Sunny in Paris, rain in Oslo.' },
      { role: 'user', content: '' },
    ];
    const modern: ToolSchema = { name: 'lookup-2', description: 'x', parameters: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { ids: { type: 'array', prefixItems: [{ type: 'integer' }] } }, $defs: {} } };
    expect(() => validateMessages(messages, [weather, modern, { name: 'noop', description: 'No arguments.', parameters: {} }])).not.toThrow();
  });

  it('checks a tool list it has seen before from a cache, so it costs next to nothing per call', () => {
    const tools = [weather];
    validateMessages(HELLO, tools);
    const started = performance.now();
    for (let index = 0; index < 10_000; index += 1) validateMessages(HELLO, tools);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('through the kernel, with validateMessages wired in front of the hooks', () => {
  let rig: Rig;
  const unhandled = countUnhandledRejections();

  beforeAll(async () => {
    rig = await startRig();
    // Where kernel-backend should call it: before beforeInfer, so no approval, budget or rate-limit
    // capacity is spent on a request that cannot be sent. Until then a first tap stands in.
    rig.kernel.hooks.beforeInfer.tap({ name: 'validate-messages', stage: Stage.APPROVAL - 1 }, (request, context) => {
      validateMessages(request.messages, request.tools, context.provider);
      return request;
    });
  });

  beforeEach(() => {
    rig.server.requests.length = 0;
  });

  afterEach(() => {
    rig.server.clearQueue();
    expect(unhandled.reasons).toEqual([]);
  });

  afterAll(async () => {
    unhandled.stop();
    await rig.server.stop();
  });

  it.each(PROVIDERS)('%s: every bad request is an InvalidRequestError, nothing is sent, and the next call works', async (name) => {
    for (const [what, messages, tools, path] of BAD) {
      const error = await rig.backend(name).infer(messages as LLMMessage[], tools as ToolSchema[]).catch((caught: unknown) => caught);
      expect(error, what).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).message, what).toContain(path);
      const events = await collect(rig.backend(name).inferStream(messages as LLMMessage[], tools as ToolSchema[]));
      const terminal = expectOneTerminal(events);
      expect(terminal.type === 'error' && terminal.error, what).toBeInstanceOf(InvalidRequestError);
    }
    expect(rig.server.requests).toHaveLength(0);
    rig.server.enqueue(okJson(name));
    expect((await rig.backend(name).infer(HELLO)).content).toBe(DEFAULT_TEXT);
    await expectClean(rig);
  });
});

describe('through the kernel as it is wired today', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig();
  });

  afterAll(async () => {
    await rig.server.stop();
  });

  // Fails until kernel-backend calls validateMessages before beforeInfer (reported to the lead):
  // today an empty conversation, a tool result without a call and a broken tool schema are sent
  // upstream (to be refused there, after rate-limit capacity was spent), and a message without
  // content or a null message list crash in the converters as HA_INTERNAL.
  it('refuses every bad request with an InvalidRequestError before sending anything', async () => {
    rig.server.enqueue(...Array.from({ length: BAD.length }, () => okJson('openai')));
    for (const [what, messages, tools] of BAD) {
      const error = await rig.backend('openai').infer(messages as LLMMessage[], tools as ToolSchema[]).catch((caught: unknown) => caught);
      expect(error, what).toBeInstanceOf(InvalidRequestError);
    }
    expect(rig.server.requests).toHaveLength(0);
  });
});
