import type { Ajv, ErrorObject } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createAjv, createAjv2020 } from './ajv-loader.js';
import { InvalidRequestError } from './errors.js';
import type { LLMMessage, ToolSchema } from './types.js';

/** One thing wrong with a request, at its place in it, e.g. `messages[2].toolCallId`. */
export interface MessageProblem {
  readonly path: string;
  readonly message: string;
}

const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'tool']);
// What OpenAI and Anthropic both accept as a function/tool name.
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SHOWN = 40;

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function contentProblems(content: unknown, at: string, problems: MessageProblem[]): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) {
    problems.push({ path: `${at}.content`, message: `must be text or a list of parts (got ${show(content)})` });
    return;
  }
  content.forEach((part: unknown, index) => {
    const where = `${at}.content[${index}]`;
    if (!isRecord(part)) problems.push({ path: where, message: `must be a part object (got ${show(part)})` });
    else if (part.type === 'text') {
      if (typeof part.text !== 'string') problems.push({ path: `${where}.text`, message: `must be text (got ${show(part.text)})` });
    } else if (part.type === 'image') {
      if (typeof part.url !== 'string' && typeof part.data !== 'string') problems.push({ path: where, message: 'an image part needs "url" or base64 "data"' });
      if (typeof part.data === 'string' && typeof part.mediaType !== 'string') problems.push({ path: `${where}.mediaType`, message: 'is required with "data", e.g. "image/png"' });
    } else problems.push({ path: `${where}.type`, message: `must be "text" or "image" (got ${show(part.type)})` });
  });
}

/**
 * What is wrong with a conversation before it is sent: roles, contents, tool calls and the results
 * that answer them (each `tool` message must answer a call an earlier assistant message made, once).
 */
export function messageProblems(messages: unknown): MessageProblem[] {
  if (!Array.isArray(messages)) return [{ path: 'messages', message: `must be a list of messages (got ${show(messages)})` }];
  if (messages.length === 0) return [{ path: 'messages', message: 'is empty: send at least one message' }];
  const problems: MessageProblem[] = [];
  const open = new Set<string>();
  const answered = new Set<string>();
  messages.forEach((message: unknown, index) => {
    const at = `messages[${index}]`;
    if (!isRecord(message)) {
      problems.push({ path: at, message: `must be a message object (got ${show(message)})` });
      return;
    }
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      problems.push({ path: `${at}.role`, message: `must be one of system, user, assistant, tool (got ${show(role)})` });
      return;
    }
    contentProblems(message.content, at, problems);
    if (role === 'assistant' && message.toolCalls !== undefined) {
      if (!Array.isArray(message.toolCalls)) problems.push({ path: `${at}.toolCalls`, message: `must be a list (got ${show(message.toolCalls)})` });
      else
        message.toolCalls.forEach((call: unknown, callIndex) => {
          const where = `${at}.toolCalls[${callIndex}]`;
          if (!isRecord(call)) return void problems.push({ path: where, message: `must be a tool call object (got ${show(call)})` });
          if (typeof call.id !== 'string' || call.id === '') problems.push({ path: `${where}.id`, message: `must be a non-empty string (got ${show(call.id)})` });
          else if (open.has(call.id) || answered.has(call.id)) problems.push({ path: `${where}.id`, message: `repeats the id ${show(call.id)} of an earlier tool call` });
          else open.add(call.id);
          if (typeof call.name !== 'string' || call.name === '') problems.push({ path: `${where}.name`, message: `must be a non-empty string (got ${show(call.name)})` });
          if (!isRecord(call.arguments)) problems.push({ path: `${where}.arguments`, message: `must be an object of arguments (got ${show(call.arguments)})` });
        });
    } else if (message.toolCalls !== undefined && role !== 'assistant') {
      problems.push({ path: `${at}.toolCalls`, message: `only assistant messages make tool calls (this one is "${role}")` });
    }
    if (role === 'tool') {
      const id = message.toolCallId;
      if (typeof id !== 'string' || id === '') problems.push({ path: `${at}.toolCallId`, message: `must be the id of the tool call this result answers (got ${show(id)})` });
      else if (answered.has(id)) problems.push({ path: `${at}.toolCallId`, message: `answers the tool call ${show(id)} a second time` });
      else if (!open.has(id)) problems.push({ path: `${at}.toolCallId`, message: `answers no tool call: no earlier assistant message called a tool with id ${show(id)}` });
      else {
        open.delete(id);
        answered.add(id);
      }
    }
  });
  return problems;
}

// Checking a schema against the meta-schema is the slow part; tool lists are usually constants.
const checked = new WeakMap<object, readonly string[]>();
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function schemaErrors(schema: JsonObject): readonly string[] {
  let found = checked.get(schema);
  if (found) return found;
  const errors: string[] = [];
  try {
    const uses2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
    const ajv = uses2020 ? (draft2020 ??= createAjv2020({ strict: false })) : (draft07 ??= createAjv({ strict: false }));
    // validateSchema does not cache the schema, so distinct tool lists per request cannot pile up.
    if (!ajv.validateSchema(schema)) errors.push(...(ajv.errors ?? []).slice(0, 3).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`));
  } catch (error) {
    errors.push((error as Error).message);
  }
  errors.push(...badPatterns(schema));
  found = Object.freeze(errors);
  checked.set(schema, found);
  return found;
}

/** `pattern` and `patternProperties` keys that are not regular expressions (the meta-schema does not check them). */
function badPatterns(schema: unknown): string[] {
  const bad: string[] = [];
  const stack: unknown[] = [schema];
  for (let steps = 0; stack.length > 0 && steps < 10_000; steps += 1) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const record = node as JsonObject;
    const patterns = [...(typeof record.pattern === 'string' ? [record.pattern] : []), ...(isRecord(record.patternProperties) ? Object.keys(record.patternProperties) : [])];
    for (const pattern of patterns) {
      try {
        new RegExp(pattern, 'u');
      } catch {
        bad.push(`pattern ${show(pattern)} is not a valid regular expression`);
      }
    }
    stack.push(...Object.values(record));
  }
  return bad;
}

/** What is wrong with the tools offered to the model: names, descriptions, and parameters that are not an object JSON Schema. */
export function toolProblems(tools: unknown): MessageProblem[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return [{ path: 'tools', message: `must be a list of tools (got ${show(tools)})` }];
  const problems: MessageProblem[] = [];
  const names = new Set<string>();
  tools.forEach((tool: unknown, index) => {
    const at = `tools[${index}]`;
    if (!isRecord(tool)) return void problems.push({ path: at, message: `must be a tool object (got ${show(tool)})` });
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      problems.push({ path: `${at}.name`, message: `must be 1-64 letters, digits, "_" or "-" (got ${show(tool.name)})` });
    } else if (names.has(tool.name)) problems.push({ path: `${at}.name`, message: `repeats the name ${show(tool.name)} of an earlier tool` });
    else names.add(tool.name);
    if (tool.description !== undefined && typeof tool.description !== 'string') problems.push({ path: `${at}.description`, message: `must be text (got ${show(tool.description)})` });
    const parameters = tool.parameters;
    if (!isRecord(parameters)) return void problems.push({ path: `${at}.parameters`, message: `must be a JSON Schema object (got ${show(parameters)})` });
    if (parameters.type !== undefined && parameters.type !== 'object') {
      problems.push({ path: `${at}.parameters.type`, message: `must be "object": tool arguments are an object (got ${show(parameters.type)})` });
    }
    for (const error of schemaErrors(parameters)) problems.push({ path: `${at}.parameters`, message: `is not a valid JSON Schema: ${error}` });
  });
  return problems;
}

const NO_TOOLS: readonly ToolSchema[] = Object.freeze([]);

/**
 * True when `messages` certainly has no problem: a non-empty list of system, user and assistant
 * messages with text (or text-part) contents and no tool calls. Anything else — tool calls, tool
 * results, images, or anything odd — is left to `messageProblems`, which says what is wrong, if anything.
 */
function isPlainConversation(messages: unknown): boolean {
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (let index = 0; index < messages.length; index += 1) {
    const message: unknown = messages[index];
    if (!isRecord(message)) return false;
    const role = message.role;
    if (role !== 'user' && role !== 'system' && role !== 'assistant') return false;
    if (message.toolCalls !== undefined) return false;
    const content = message.content;
    if (typeof content === 'string') continue;
    if (!Array.isArray(content)) return false;
    for (let part = 0; part < content.length; part += 1) {
      const item: unknown = content[part];
      if (!isRecord(item) || item.type !== 'text' || typeof item.text !== 'string') return false;
    }
  }
  return true;
}

/**
 * Throws an InvalidRequestError listing every problem with `messages` and `tools`, each at its
 * place, before anything is sent (or waited for, or charged).
 */
export function validateMessages(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = NO_TOOLS, provider?: string): void {
  // Runs before every call: a plain conversation without tools is passed without allocating anything.
  if (isPlainConversation(messages) && (tools === undefined || (Array.isArray(tools) && tools.length === 0))) return;
  const problems = messageProblems(messages);
  for (const problem of toolProblems(tools)) problems.push(problem);
  if (problems.length === 0) return;
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const list = problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
  throw new InvalidRequestError(`The request has ${count}, so it was not sent:\n${list}`, { provider, retryable: false, body: { problems } });
}
