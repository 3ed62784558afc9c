// The bedrock provider against the recorded Bedrock answers in test/fixtures/recorded/bedrock, over
// real HTTP on 127.0.0.1; every request it sends is re-signed on the server side and must match.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { closeAllPools } from '../../core/http.js';
import type { LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import { BedrockConverseStreamTransform, loadEventStreamCodec } from '../../protocols/bedrock-converse/index.js';
import { ReplayServer } from '../replay-server.js';
import { recorded, recordedJson } from './bedrock-event-stream-frames.js';
import { HAIKU, NOVA, bedrockFor, collect, expectSigned, pathFor } from './bedrock-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'What is 2 + 2?' }];
const WEATHER: ToolSchema = {
  name: 'weather',
  description: 'Current weather at a place',
  parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
};

beforeAll(loadEventStreamCodec);

let server: ReplayServer;

beforeAll(async () => {
  server = await new ReplayServer().start();
});
beforeEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastBody = (): Record<string, any> => server.requests.at(-1)!.body as Record<string, any>;

function inProcess(name: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const transform = new BedrockConverseStreamTransform({ provider: 'bedrock', metadata: {} });
  transform.push(recorded(name), events);
  transform.end(events);
  return events;
}

describe('infer: Converse', () => {
  it('text (converse-text.json, Nova 2 Lite): content, usage, stop, the x-amzn-requestid; the request signed', async () => {
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    const output = await bedrockFor(server).infer([{ role: 'system', content: 'Be brief.' }, ...HELLO], [], { maxTokens: 200, temperature: 0.2, stop: ['END'] });
    expect(output.content).toMatch(/^2 \+ 2 equals \*\*4\*\*/);
    expect(output.finishReason).toBe('stop');
    expect(output.tokenUsage).toEqual({ promptTokens: 53, completionTokens: 39, totalTokens: 92 });
    expect(output.metadata).toMatchObject({ provider: 'bedrock', model: NOVA, requestId: '8475a760-0ca0-4f0b-8e41-b657d7b35a70', rawFinishReason: 'end_turn', latencyMs: 538 });
    const request = server.requests[0];
    expect(request.path).toBe('/model/us.amazon.nova-2-lite-v1%3A0/converse');
    expectSigned(request);
    expect(request.headers.accept).toBe('application/json');
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'What is 2 + 2?' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 200, temperature: 0.2, stopSequences: ['END'] },
    });
  });

  it('tools round trip (converse-tool-use.json): the call, then toolUse and toolResult sent back', async () => {
    const provider = bedrockFor(server);
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-tool-use.json' });
    const first = await provider.infer(HELLO, [WEATHER], { toolChoice: 'required' });
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toEqual([
      { id: 'tooluse_LgMMvpk0bGGJIMB3zYgYmg', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
    ]);
    expect(lastBody().toolConfig).toEqual({ tools: [{ toolSpec: { name: 'weather', description: WEATHER.description, inputSchema: { json: WEATHER.parameters } } }], toolChoice: { any: {} } });

    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    const call = first.toolCalls![0];
    await provider.infer([...HELLO, { role: 'assistant', content: '', toolCalls: first.toolCalls }, { role: 'tool', toolCallId: call.id, name: call.name, content: '{"temp":21}' }], [WEATHER]);
    expectSigned(server.requests[1]);
    expect(lastBody().messages).toEqual([
      { role: 'user', content: [{ text: 'What is 2 + 2?' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_LgMMvpk0bGGJIMB3zYgYmg', name: 'weather', input: { latitude: '52.5200', longitude: '13.4050' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_LgMMvpk0bGGJIMB3zYgYmg', content: [{ text: '{"temp":21}' }], status: 'success' } }] },
    ]);
  });

  it('thinking round trip (converse-thinking.json, Claude Haiku 4.5): reasoning with its signature, sent back byte for byte', async () => {
    const provider = bedrockFor(server, { model: HAIKU });
    const recordedBlock = recordedJson('converse-thinking.json').output.message.content[0].reasoningContent.reasoningText;
    server.enqueue(pathFor(HAIKU, 'converse'), { fixture: 'bedrock/converse-thinking.json' });
    const first = await provider.infer(HELLO, [], { thinking: { budgetTokens: 2048 }, temperature: 0.5 });
    expect(first.reasoningParts).toEqual([{ text: recordedBlock.text, signature: recordedBlock.signature }]);
    expect(first.content).toMatch(/^I'd ask:/);
    expect(lastBody().additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(lastBody().inferenceConfig).toEqual({ maxTokens: 2048 + 4096 });
    expect(first.metadata.warnings).toEqual([expect.stringMatching(/no temperature or top_p with thinking on/)]);
    // The recorded counters come under both names, all zero: read once, never added.
    expect(first.tokenUsage).toEqual({ promptTokens: 80, completionTokens: 588, totalTokens: 668, cachedTokens: 0, cacheWriteTokens: 0 });

    server.enqueue(pathFor(HAIKU, 'converse'), { fixture: 'bedrock/converse-text.json' });
    await provider.infer([...HELLO, { role: 'assistant', content: first.content, reasoning: first.reasoningParts }, { role: 'user', content: 'Why?' }], [], { thinking: { budgetTokens: 2048 } });
    expect(server.requests[1].rawBody).toContain(JSON.stringify(recordedBlock.signature));
    expect(lastBody().messages[1].content[0]).toEqual({ reasoningContent: { reasoningText: { text: recordedBlock.text, signature: recordedBlock.signature } } });
  });

  it('hand-made from converse-thinking.json with cache counters set: cached and written tokens, and their cost', async () => {
    const body = recordedJson('converse-thinking.json');
    body.usage = { inputTokens: 80, outputTokens: 588, totalTokens: 4668, cacheReadInputTokens: 3000, cacheReadInputTokenCount: 3000, cacheWriteInputTokens: 1000, cacheWriteInputTokenCount: 1000 };
    server.enqueue(pathFor(HAIKU, 'converse'), { status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const provider = bedrockFor(server, { model: HAIKU });
    const output = await provider.infer(HELLO);
    expect(output.tokenUsage).toEqual({ promptTokens: 4080, completionTokens: 588, totalTokens: 4668, cachedTokens: 3000, cacheWriteTokens: 1000 });
    const info = provider.modelInfo();
    expect(info.pricing).toEqual({ input: 1.1, output: 5.5, cachedInput: 0.11, cacheWrite: 1.375 });
    expect(info.pricingSource).toMatch(/genai-prices 0\.1\.8.*aws\.amazon\.com\/bedrock\/pricing/);
    // 80 uncached × 1.1 + 3000 × 0.11 + 1000 × 1.375 + 588 × 5.5, per million.
    expect(calculateCost(info, output.tokenUsage)).toBeCloseTo((80 * 1.1 + 3000 * 0.11 + 1000 * 1.375 + 588 * 5.5) / 1e6, 12);
    expect(provider.modelInfo('global.anthropic.claude-haiku-4-5-20251001-v1:0').pricing).toEqual({ input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 });
    // The database's loose Titan match would price v2 at v1's rate: unpriced rather than wrong.
    expect(provider.modelInfo('amazon.titan-embed-text-v2:0')).toMatchObject({ pricing: 'unknown', pricingSource: expect.stringContaining('amazon.titan-embed-text-v1') });
    expect(provider.modelInfo('us.meta.llama3-3-70b-instruct-v1:0').pricing).toEqual({ input: 0.72, output: 0.72 });
  });

  it('cacheControl becomes cachePoint blocks: after a system part, a user part, and the tools (cacheTools)', async () => {
    server.enqueue(pathFor(HAIKU, 'converse'), { fixture: 'bedrock/converse-text.json' });
    await bedrockFor(server, { model: HAIKU, cacheTools: true }).infer(
      [
        { role: 'system', content: [{ type: 'text', text: 'A long system prompt.', cacheControl: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'A long document.', cacheControl: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'The question.' }] },
      ],
      [WEATHER],
    );
    const body = lastBody();
    expect(body.system).toEqual([{ text: 'A long system prompt.' }, { cachePoint: { type: 'default' } }]);
    expect(body.messages[0].content).toEqual([{ text: 'A long document.' }, { cachePoint: { type: 'default', ttl: '1h' } }, { text: 'The question.' }]);
    expect(body.toolConfig.tools.at(-1)).toEqual({ cachePoint: { type: 'default' } });
  });

  it('a model without prompt caching on Bedrock (Llama): no cachePoint is sent, and a warning says so', async () => {
    const llama = 'us.meta.llama3-3-70b-instruct-v1:0';
    server.enqueue(pathFor(llama, 'converse'), { fixture: 'bedrock/converse-text.json' });
    const output = await bedrockFor(server, { model: llama, cacheTools: true }).infer([{ role: 'user', content: [{ type: 'text', text: 'Long.', cacheControl: { type: 'ephemeral' } }] }], [WEATHER]);
    expect(server.requests[0].rawBody).not.toContain('cachePoint');
    expect(output.metadata.warnings).toEqual([expect.stringMatching(/no prompt caching on Bedrock/)]);
  });

  it('images and documents: image blocks by format, a PDF as a named document, a URL refused with advice', async () => {
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    const provider = bedrockFor(server);
    await provider.infer([
      { role: 'user', content: [{ type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' }, { type: 'image', url: 'data:application/pdf;base64,JVBERi0x' }, { type: 'text', text: 'Describe.' }] },
    ]);
    expect(lastBody().messages[0].content).toEqual([
      { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
      { document: { format: 'pdf', name: 'document-1', source: { bytes: 'JVBERi0x' } } },
      { text: 'Describe.' },
    ]);
    await expect(provider.infer([{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }])).rejects.toThrow(/does not fetch images from URLs.*data/);
  });
});

describe('stream: ConverseStream over HTTP, the binary body in 1–7-byte writes', () => {
  for (const name of ['converse-stream-text.eventstream', 'converse-stream-tool-use.eventstream', 'converse-stream-thinking.eventstream']) {
    it(`${name}: the same events as decoded in process, for writes of 1 to 7 bytes`, async () => {
      const expected = inProcess(name);
      const sizes = name.includes('thinking') ? [1, 4, 7] : [1, 2, 3, 4, 5, 6, 7];
      for (const chunkSize of sizes) {
        const model = name.includes('thinking') ? HAIKU : NOVA;
        server.enqueue(pathFor(model, 'converse-stream'), { fixture: `bedrock/${name}`, chunkSize });
        const stream = bedrockFor(server, { model }).inferStream(HELLO, name.includes('tool') ? [WEATHER] : []);
        const events = (await collect(stream)).filter((event) => event.type !== 'usage');
        expect(events, `writes of ${chunkSize} bytes`).toEqual(expected);
        const request = server.requests.at(-1)!;
        expect(request.path).toBe(pathFor(model, 'converse-stream'));
        expect(request.headers.accept).toBe('application/vnd.amazon.eventstream');
        expectSigned(request);
      }
    });
  }

  it('streamed thinking: output() has the signed reasoning, and the next request carries the signature intact', async () => {
    server.enqueue(pathFor(HAIKU, 'converse-stream'), { fixture: 'bedrock/converse-stream-thinking.eventstream', chunkSize: 4096 });
    const provider = bedrockFor(server, { model: HAIKU });
    const stream = provider.inferStream(HELLO, [], { thinking: { effort: 'low' } });
    const output = await stream.output();
    const signature = inProcess('converse-stream-thinking.eventstream').find((event) => event.type === 'reasoning-signature') as { signature: string };
    expect(output.reasoningParts).toEqual([{ text: expect.stringMatching(/^This is a clever/), signature: signature.signature }]);
    expect(output.metadata).toMatchObject({ requestId: '46d2eeeb-6008-434b-8270-93d4b27e2a56', rawFinishReason: 'end_turn' });
    expect(lastBody().additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });

    server.enqueue(pathFor(HAIKU, 'converse-stream'), { fixture: 'bedrock/converse-stream-text.eventstream' });
    await provider.inferStream([...HELLO, { role: 'assistant', content: output.content, reasoning: output.reasoningParts }, { role: 'user', content: 'More?' }]).output();
    expect(lastBody().messages[1].content[0].reasoningContent.reasoningText.signature).toBe(signature.signature);
  });
});
