// What the google provider sends (system instruction, images, tools and toolConfig modes, JSON mode,
// thinking) and how it reads safety blocks and embeddings. Response bodies here are hand-made, labelled so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../core/http.js';
import type { LLMMessage, ToolSchema } from '../../core/types.js';
import { GoogleProvider } from '../../plugins/google/index.js';
import { buildGoogleRequest } from '../../protocols/google-generative-ai/index.js';
import { ReplayServer } from '../replay-server.js';

const KEY = 'hyperagent-test-gemini-key-requests-77aa';
const TOOL: ToolSchema = { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } };
const plan = (messages: readonly LLMMessage[], options = {}, tools: readonly ToolSchema[] = [], model = 'gemini-2.5-flash') =>
  buildGoogleRequest(messages, tools, options, { provider: 'google', model, maxTokens: undefined });

describe('request conversion', () => {
  it('system messages become systemInstruction; images become inlineData or fileData; same-role turns merge', () => {
    const { body } = plan([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' }] },
      { role: 'user', content: [{ type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' }, { type: 'image', url: 'https://example.com/cat.webp' }] },
    ]);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is this?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
          { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp' } },
        ],
      },
    ]);
  });

  it('toolChoice → functionCallingConfig modes', () => {
    const config = (toolChoice: unknown) => plan([{ role: 'user', content: 'x' }], { toolChoice }, [TOOL]).body.toolConfig;
    expect(config(undefined)).toBeUndefined();
    expect(config('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config({ name: 'lookup' })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } });
  });

  it('JSON mode and a JSON schema; sampling, stop and max tokens in generationConfig', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(plan([{ role: 'user', content: 'x' }], { responseFormat: { type: 'json' } }).body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(plan([{ role: 'user', content: 'x' }], { responseFormat: { type: 'json_schema', name: 's', schema }, temperature: 0.2, topP: 0.9, stop: ['END'], maxTokens: 50 }).body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 50,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('thinking: a budget on Gemini 2.5, a level on Gemini 3, thoughts included; effort on 2.5 becomes a budget with a warning', () => {
    const user: LLMMessage[] = [{ role: 'user', content: 'x' }];
    expect(plan(user, { thinking: { budgetTokens: 2048 } }).body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 2048 });
    expect(plan(user, { thinking: { effort: 'low' } }, [], 'gemini-3-flash-preview').body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingLevel: 'low' });
    const effort = plan(user, { thinking: { effort: 'high' } });
    expect(effort.body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 24576 });
    expect(effort.warnings.join(' ')).toContain('thinkingBudget 24576');
    expect(plan(user, { thinking: { budgetTokens: 1 } }, [], 'gemini-2.0-flash').warnings.join(' ')).toContain('does not think');
  });

  it('a tool result without a matching call or name is refused before sending', () => {
    expect(() => plan([{ role: 'tool', toolCallId: 'x', content: 'r' }])).toThrow(/names no tool/);
  });
});

describe('over HTTP', () => {
  let server: ReplayServer;
  let provider: GoogleProvider;
  beforeAll(async () => {
    server = await new ReplayServer().start();
    provider = new GoogleProvider({ apiKey: KEY, baseURL: `${server.baseURL}/v1beta`, model: 'gemini-2.5-flash' });
  });
  afterAll(async () => {
    await server.stop();
    await closeAllPools();
  });

  it('hand-made: a blocked prompt is content-filter with the block reason and ratings in metadata', async () => {
    const ratings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];
    server.enqueue('/v1beta/models/gemini-2.5-flash:generateContent', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ promptFeedback: { blockReason: 'SAFETY', safetyRatings: ratings }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } }),
    });
    const output = await provider.infer([{ role: 'user', content: 'x' }]);
    expect(output).toMatchObject({ content: '', finishReason: 'content-filter', tokenUsage: { promptTokens: 7, completionTokens: 0 }, metadata: { rawFinishReason: 'SAFETY', safetyRatings: ratings } });
  });

  it('hand-made: a candidate stopped for SAFETY keeps its text so far, ratings in metadata', async () => {
    const ratings = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'MEDIUM' }];
    server.enqueue('/v1beta/models/gemini-2.5-flash:streamGenerateContent', {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Well' }] }, finishReason: 'SAFETY', safetyRatings: ratings }] })}\r\n\r\n`,
    });
    const output = await provider.inferStream([{ role: 'user', content: 'x' }]).output();
    expect(output).toMatchObject({ content: 'Well', finishReason: 'content-filter', metadata: { rawFinishReason: 'SAFETY', safetyRatings: ratings } });
  });

  it('hand-made: embedContent for one text, batchEmbedContents for several, outputDimensionality sent', async () => {
    server.enqueue('/v1beta/models/gemini-embedding-001:embedContent', { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ embedding: { values: [0.1, 0.2] } }) });
    const one = await provider.embed('hello', { dimensions: 2 });
    expect(one.embeddings).toEqual([[0.1, 0.2]]);
    expect(server.requests.at(-1)!.body).toEqual({ content: { parts: [{ text: 'hello' }] }, outputDimensionality: 2 });
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe(KEY);

    server.enqueue('/v1beta/models/gemini-embedding-001:batchEmbedContents', { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ embeddings: [{ values: [1] }, { values: [2] }] }) });
    const two = await provider.embed(['a', 'b'], { dimensions: 1 });
    expect(two.embeddings).toEqual([[1], [2]]);
    expect(two.tokenUsage.promptTokens).toBeGreaterThan(0);
    expect(server.requests.at(-1)!.body).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 1 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 1 },
      ],
    });
  });

  it('catalog: Gemini 2.5 Pro has its rates above 200K prompt tokens', () => {
    const info = provider.modelInfo('gemini-2.5-pro');
    expect(info.pricing).toMatchObject({ input: 1.25, output: 10, tiers: [{ above: 200_000, input: 2.5, output: 15 }] });
    expect(info.contextWindow).toBe(1_048_576);
  });
});
