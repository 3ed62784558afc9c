import { MOCK_ERROR_KINDS } from './mock-errors.js';

// The `options` of a mock backend in hyperagent.config.json; mirrors `MockBackendOptions` less `model` and `rateLimits`.

/** "Has the property `key`", spelled so ajv's strictRequired accepts it inside an applicator. */
function has<Key extends string>(key: Key) {
  return { properties: { [key]: true } as Record<Key, true>, required: [key] } as const;
}

const count = { type: 'integer', minimum: 0 } as const;
const milliseconds = { type: 'number', minimum: 0 } as const;

const usage = {
  type: 'object',
  description: 'Token counts to report instead of the estimate (about 4 characters per token).',
  additionalProperties: false,
  properties: {
    promptTokens: count,
    completionTokens: count,
    totalTokens: count,
    cachedTokens: count,
    cacheWriteTokens: count,
    reasoningTokens: count,
    reportedCostUsd: { type: 'number', minimum: 0 },
  },
} as const;

const toolCall = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    arguments: { type: 'object', description: 'The tool arguments, any JSON object.' },
    id: { type: 'string', minLength: 1 },
  },
} as const;

const response = {
  type: 'object',
  description: 'A scripted response: `text` and/or `toolCall`/`toolCalls`, or an `error`.',
  additionalProperties: false,
  properties: {
    text: { type: 'string', description: 'May use {{lastUserMessage}}, {{previousUserMessage}} and {{lastToolResult}}.' },
    toolCall,
    toolCalls: { type: 'array', minItems: 1, items: toolCall },
    error: { enum: [...MOCK_ERROR_KINDS] },
    message: { type: 'string', description: 'Error responses only.' },
    retryAfterMs: { ...milliseconds, description: 'Error responses only.' },
    reasoning: { type: 'string' },
    latencyMs: milliseconds,
    usage,
    finishReason: { enum: ['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other'] },
    chunkSize: { type: 'integer', minimum: 1, description: 'Words per streamed text delta.' },
  },
  anyOf: [has('text'), has('toolCall'), has('toolCalls'), has('error')],
  allOf: [
    { if: has('toolCall'), then: { properties: { toolCalls: false } } },
    {
      if: has('error'),
      then: { properties: { text: false, toolCall: false, toolCalls: false, reasoning: false } },
      else: { properties: { message: false, retryAfterMs: false } },
    },
  ],
} as const;

const vector = { type: 'array', minItems: 1, items: { type: 'number' } } as const;

/** JSON Schema of a mock backend's `options`. */
export const mockOptionsSchema = {
  title: 'mock provider options',
  type: 'object',
  additionalProperties: false,
  properties: {
    responses: { type: 'array', items: response, description: 'Answers given in order, one per call.' },
    whenExhausted: { enum: ['repeat-last', 'default'], default: 'repeat-last' },
    patterns: {
      type: 'array',
      description: 'Checked first, against the last message: `contains` a text or matches `regex` (with `flags`), and/or has `role`.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['response'],
        properties: {
          contains: { type: 'string' },
          regex: { type: 'string' },
          flags: { type: 'string', pattern: '^[dimsuv]*$' },
          role: { enum: ['system', 'user', 'assistant', 'tool'], description: 'Match only when the last message has this role.' },
          response,
        },
        anyOf: [has('contains'), has('regex'), has('role')],
        not: { properties: { contains: true, regex: true }, required: ['contains', 'regex'] },
      },
    },
    echo: { type: 'boolean', default: false },
    defaultResponse: response,
    latencyMs: { ...milliseconds, default: 0 },
    streamDelayMs: { ...milliseconds, default: 0 },
    streamChunkSize: { type: 'integer', minimum: 1, default: 3 },
    embeddings: {
      description: 'Vectors `embed` returns: a list used in order, or an object from text to vector.',
      oneOf: [
        { type: 'array', items: vector },
        { type: 'object', additionalProperties: vector },
      ],
    },
    embeddingDimensions: { type: 'integer', minimum: 1, default: 8 },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      properties: {
        functionCalling: { type: 'boolean' },
        streaming: { type: 'boolean' },
        vision: { type: 'boolean' },
        jsonMode: { type: 'boolean' },
        thinking: { type: 'boolean' },
        embeddings: { type: 'boolean' },
        promptCaching: { type: 'boolean' },
      },
    },
  },
} as const;
