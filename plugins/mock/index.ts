import { defineProvider, type BackendConfig } from '../../core/define.js';
import { MockBackend } from './mock-backend.js';
import type { MockBackendOptions } from './mock-options.js';
import { mockOptionsSchema } from './mock-options-schema.js';

/** A mock backend from a config entry. Synchronous: nothing to connect to, no key to read. */
export function createMockBackend(config: BackendConfig<MockBackendOptions>): MockBackend {
  const options = config.options ?? {};
  return new MockBackend({
    ...options,
    ...(config.model === undefined ? {} : { model: config.model }),
    ...(config.rateLimits === undefined ? {} : { rateLimits: config.rateLimits }),
    ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
  });
}

export default defineProvider<MockBackendOptions>({
  name: 'mock',
  optionsSchema: mockOptionsSchema,
  create: createMockBackend,
});

export { DEFAULT_MOCK_TEXT, DEFAULT_STREAM_CHUNK_SIZE, MockBackend, type MockCall } from './mock-backend.js';
export { DEFAULT_EMBEDDING_DIMENSIONS, hashEmbedding, type MockEmbeddingPresets } from './mock-embeddings.js';
export { createMockError, DEFAULT_RETRY_AFTER_MS, MOCK_ERROR_KINDS, type MockErrorKind, type MockErrorSpec } from './mock-errors.js';
export { MOCK_CAPABILITIES, MOCK_MODEL_ID, MOCK_PRICING, mockModelInfo, type MockModelId } from './mock-models.js';
export type { MockBackendOptions, MockPattern, MockPredicate } from './mock-options.js';
export { mockOptionsSchema } from './mock-options-schema.js';
export { MockResponse, type MockToolCallSpec, type MockUsage } from './mock-response.js';
export { toMockResponse, type MockResponseInput, type ScriptedResponse, type ScriptedToolCall } from './mock-scripted-response.js';
export { mockStreamEventList } from './mock-stream.js';
export { MOCK_TEMPLATE_NAMES, renderMockTemplate, type MockTemplateName } from './mock-template.js';
