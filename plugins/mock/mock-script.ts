import type { InferOptions, LLMMessage, Role, ToolSchema } from '../../core/types.js';
import { lastUserText, mockMessageText } from './mock-message-text.js';
import type { MockPattern, MockPredicate } from './mock-options.js';
import { MockResponse } from './mock-response.js';

interface Rule {
  readonly matches: MockPredicate;
  readonly response: MockResponse;
}

export interface MockScriptSettings {
  readonly echo: boolean;
  readonly defaultResponse: MockResponse;
  readonly whenExhausted: 'repeat-last' | 'default';
}

function lastMessageText(messages: readonly LLMMessage[]): string {
  const last = messages[messages.length - 1];
  return last ? mockMessageText(last) : '';
}

/**
 * Patterns look at the last message, whatever its role unless they name one: a pattern with
 * `role: "user"` is not matched again by the result of the tool call it made.
 */
export function containsPredicate(text: string): MockPredicate {
  return (messages) => lastMessageText(messages).includes(text);
}

export function regexPredicate(pattern: string | RegExp, flags?: string): MockPredicate {
  const source = typeof pattern === 'string' ? new RegExp(pattern, flags) : pattern;
  // Without `g`/`y`, `test` keeps no `lastIndex` between calls.
  const regex = new RegExp(source.source, source.flags.replace(/[gy]/g, ''));
  return (messages) => regex.test(lastMessageText(messages));
}

const ROLES: readonly Role[] = ['system', 'user', 'assistant', 'tool'];

export function rolePredicate(role: Role): MockPredicate {
  return (messages) => messages[messages.length - 1]?.role === role;
}

function textPredicate(pattern: MockPattern, where: string): MockPredicate | undefined {
  if ('contains' in pattern && typeof pattern.contains === 'string') return containsPredicate(pattern.contains);
  if ('regex' in pattern && (typeof pattern.regex === 'string' || pattern.regex instanceof RegExp)) {
    try {
      return regexPredicate(pattern.regex, pattern.flags);
    } catch (error) {
      throw new TypeError(`${where}.regex: ${(error as Error).message}`, { cause: error });
    }
  }
  return undefined;
}

export function patternPredicate(pattern: MockPattern, where: string): MockPredicate {
  const role = pattern.role;
  if (role !== undefined && !ROLES.includes(role)) throw new TypeError(`${where}.role: expected one of ${ROLES.join(', ')}, received ${JSON.stringify(role)}.`);
  const text = textPredicate(pattern, where);
  if (text && role !== undefined) {
    const hasRole = rolePredicate(role);
    return (messages, tools, options) => hasRole(messages, tools, options) && text(messages, tools, options);
  }
  if (text) return text;
  if (role !== undefined) return rolePredicate(role);
  throw new TypeError(`${where}: a pattern needs \`contains\` (a string), \`regex\` (a string or RegExp) or \`role\`.`);
}

/** Where the answer to each call comes from: patterns, then the sequence, then echo, then the default. */
export class MockScript {
  private readonly rules: Rule[] = [];
  private readonly sequence: MockResponse[] = [];
  private position = 0;

  constructor(private readonly settings: MockScriptSettings) {}

  addRule(matches: MockPredicate, response: MockResponse): void {
    this.rules.push({ matches, response });
  }

  addResponse(response: MockResponse): void {
    this.sequence.push(response);
  }

  /** Responses of the sequence not used yet. */
  get remaining(): number {
    return this.sequence.length - this.position;
  }

  next(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): MockResponse {
    for (const rule of this.rules) if (rule.matches(messages, tools, options)) return rule.response;
    if (this.position < this.sequence.length) return this.sequence[this.position++];
    if (this.sequence.length > 0 && this.settings.whenExhausted === 'repeat-last') return this.sequence[this.sequence.length - 1];
    if (this.settings.echo) return MockResponse.text(lastUserText(messages));
    return this.settings.defaultResponse;
  }

  rewind(): void {
    this.position = 0;
  }
}
