import type { HyperAgentError } from '../core/errors.js';

// The kernel checks a request in its own terms (`messages[2].toolCallId`, `tools[0].name`); the
// gateway converts OpenAI's messages and tools one for one, so only the field names differ.
const RENAMES: readonly (readonly [RegExp, string])[] = [
  [/^(messages\[\d+\])\.toolCallId/, '$1.tool_call_id'],
  [/^(messages\[\d+\])\.toolCalls(\[\d+\])\.(name|arguments)/, '$1.tool_calls$2.function.$3'],
  [/^(messages\[\d+\])\.toolCalls/, '$1.tool_calls'],
  [/^(messages\[\d+\]\.content\[\d+\])\.(mediaType|url|data)$/, '$1.image_url.url'],
  [/^(tools\[\d+\])\.(name|description|parameters)/, '$1.function.$2'],
];

function isProblem(value: unknown): value is { path: string } {
  return typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string';
}

/**
 * OpenAI's `param` for a request the kernel refused before sending it (`validateMessages` puts
 * `{ problems: [{ path, message }] }` in the error's body): the first problem's path in the
 * client's own field names. `null` for anything else, e.g. a 400 from the upstream.
 */
export function problemParam(error: HyperAgentError): string | null {
  if (error.status !== undefined) return null;
  const problems = (error.body as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems) || !isProblem(problems[0])) return null;
  const path = problems[0].path;
  for (const [pattern, replacement] of RENAMES) if (pattern.test(path)) return path.replace(pattern, replacement);
  return path;
}
